"""`python -m scheduler.cli.entry ...` runs the command line (used where the console script is not on PATH)."""

from scheduler.cli import main

if __name__ == "__main__":
    main()
