"""The admin blueprint (`admin` at /admin): accounts, for admins only.

A leaf module: the view modules of scheduler.web.admin import `bp` from here and add their routes.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
ADMINS = ("admin",)
