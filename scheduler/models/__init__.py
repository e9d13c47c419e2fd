"""ORM classes, one module per area. Import from here."""

from scheduler.models.audit import AuditEvent
from scheduler.models.duties import Duty, DutyType
from scheduler.models.holidays import HolidayOverride
from scheduler.models.lawyers import Lawyer, StatusPeriod, Unavailability, lawyer_offices
from scheduler.models.offices import LawFirm, Office
from scheduler.models.rosters import Assignment, Roster

__all__ = [
    "Assignment",
    "AuditEvent",
    "Duty",
    "DutyType",
    "HolidayOverride",
    "LawFirm",
    "Lawyer",
    "Office",
    "Roster",
    "StatusPeriod",
    "Unavailability",
    "lawyer_offices",
]
