"""Calendars: feeds from the publication state, iCalendar rendering, static files, sync, change mail."""
