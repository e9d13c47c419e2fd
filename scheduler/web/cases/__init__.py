"""Entrusted cases (委托案件) at /cases: the list, a new case, one case with its ranked lawyer suggestions,
status and legal opinions (staff); a lawyer's own cases on their page (`lawyer_section`).

  staff           list, create, assign, status, upload and download opinions
  lawyer_section  the section of the lawyer's page (a template global) and their opinion downloads
"""

from scheduler.web.cases import lawyer_section, staff
from scheduler.web.cases.blueprint import bp

__all__ = ["bp", "lawyer_section", "staff"]
