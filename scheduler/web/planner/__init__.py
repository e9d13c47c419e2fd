"""The planner's pages (justice bureau, 司法局) at /planner, for planners and admins.

The blueprint lives in the leaf module `blueprint`; the views live in modules by subject, each adding
its routes to `bp` when imported here:
  overview   the periods, recent solve jobs and the form to solve a period
  people     offices, law firms, lawyers (search, edit, import)
  calendar   unavailability, leader reception days, holiday overrides, re-planning after a calendar change
  duties     one duty: cancel, move, delete a leader day entered by mistake
  rosters    solving a period in the background, its progress, reviewing and publishing a draft
  reports    the monthly allowance and the annual assessment, on screen and as downloads
  hotline    the consultation hotline and mailbox of each office (律师咨询电话、电子信箱)
  reception  the reception log's monthly statistics and its categories
  training   trainings (专项培训): setting up, invitations, attendance
"""

from scheduler.web.planner import (
    calendar,
    duties,
    hotline,
    overview,
    people,
    reception,
    reports,
    rosters,
    training,
)
from scheduler.web.planner.blueprint import bp, init_app

__all__ = [
    "bp",
    "calendar",
    "duties",
    "hotline",
    "init_app",
    "overview",
    "people",
    "reception",
    "reports",
    "rosters",
    "training",
]
