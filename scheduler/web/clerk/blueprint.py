"""The clerk blueprint (`clerk` at /clerk) and who may use it.

A leaf module: the view modules of scheduler.web.clerk import `bp` from here and add their routes.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("clerk", __name__, url_prefix="/clerk")
CLERKS = ("clerk", "planner", "admin")
# Who may accept a change that breaks a hard rule, giving a reason.
OVERRIDERS = ("planner", "admin")
