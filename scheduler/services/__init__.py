"""Use cases between the database, the solver, the calendars and the web: one module per idea."""
