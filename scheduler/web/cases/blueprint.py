"""The entrusted cases blueprint (`cases` at /cases) and who may use it.

A leaf module: the view modules of scheduler.web.cases import `bp` from here and add their routes.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/cases")
# The petition bureau's clerks and the justice bureau's planners keep the cases; a lawyer sees their own.
STAFF = ("clerk", "planner", "admin")
