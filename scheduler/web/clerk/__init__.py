"""The clerk's pages (petition bureau, 信访局) at /clerk, for clerks, planners and admins.

The blueprint lives in the leaf module `blueprint`; the views live in modules by subject, each adding
its routes to `bp` when imported here:
  week     the week's published duties by office
  changes  a duty's ranked swap and cover suggestions, proposals with their rule check (accept,
           discard, override), removal and suspension with the replacement proposals
  records  lawyers' swap requests awaiting approval, attendance on past duties, the audit log
  reception  the reception log (接待登记) of served duties, kept for the lawyers
  meetings  joint meetings' minutes and decisions
"""

from scheduler.web.clerk import changes, meetings, reception, records, week
from scheduler.web.clerk.blueprint import bp

__all__ = ["bp", "changes", "meetings", "reception", "records", "week"]
