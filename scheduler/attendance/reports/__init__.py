"""Reports for the bureaus: plain tables built from the services' report objects, written as .xlsx
(openpyxl) or CSV, and an SVG chart of the annual assessment.

`sheets` turns a report into titled tables, `excel` and `csv` render tables, `chart` draws, and
`export` is what the command line and the planner pages call: report object in, bytes or a file out.
"""
