"""Attendance: records of served duties, the allowance, the annual assessment, joint meetings, report files."""
