"""ORM classes, one module per area. Import from here."""

from scheduler.models.accounts import User
from scheduler.models.attendance import AllowanceRate, Attendance, JointMeeting
from scheduler.models.audit import AuditEvent, AuditEventOffice
from scheduler.models.availability import AvailabilityRequest, RequestWindow
from scheduler.models.calendars import CalendarEntry, Notice, OfficeEntry
from scheduler.models.casework import CaseOpinion, CaseReminder, EntrustedCase, case_lawyers
from scheduler.models.changes import Proposal, SwapRequest
from scheduler.models.duties import Duty, DutyType, Hotline, hotline_offices
from scheduler.models.grades import AssessmentGrade
from scheduler.models.holidays import HolidayOverride
from scheduler.models.jobs import SolveJob
from scheduler.models.lawyers import Lawyer, StatusPeriod, Unavailability, lawyer_offices
from scheduler.models.offices import LawFirm, Office
from scheduler.models.records import (
    Consultation,
    ConsultationCategory,
    MeetingDecision,
    MeetingMinutes,
    Training,
    TrainingInvitation,
)
from scheduler.models.rosters import Assignment, Roster

__all__ = [
    "AllowanceRate",
    "AssessmentGrade",
    "Assignment",
    "Attendance",
    "AuditEvent",
    "AuditEventOffice",
    "AvailabilityRequest",
    "CalendarEntry",
    "CaseOpinion",
    "CaseReminder",
    "Consultation",
    "ConsultationCategory",
    "Duty",
    "DutyType",
    "EntrustedCase",
    "HolidayOverride",
    "Hotline",
    "JointMeeting",
    "LawFirm",
    "Lawyer",
    "MeetingDecision",
    "MeetingMinutes",
    "Notice",
    "Office",
    "OfficeEntry",
    "Proposal",
    "RequestWindow",
    "Roster",
    "SolveJob",
    "StatusPeriod",
    "SwapRequest",
    "Training",
    "TrainingInvitation",
    "Unavailability",
    "User",
    "case_lawyers",
    "hotline_offices",
    "lawyer_offices",
]
