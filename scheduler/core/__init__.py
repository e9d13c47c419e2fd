"""Plain values of the domain: problem data, working days, licence numbers, errors. Imports nothing of ours."""
