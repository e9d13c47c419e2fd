"""The `scheduler` command line: one group, with the commands of each area in its own module.

The modules are imported only when one of their commands runs (or shows its own help): `scheduler --help`
and `scheduler publish --help` must not pay for OR-Tools (which pulls pandas) or Flask. Each command's
one-line help is therefore written here too; a test keeps it equal to the command's own.
"""

from __future__ import annotations

import importlib

import click

from scheduler.cli.group import SchedulerGroup

# name: (module under scheduler.cli, attribute, one-line help as click shortens it to 80 characters).
COMMANDS: dict[str, tuple[str, str, str]] = {
    "demo": ("demo", "demo", "Build the demo prefecture (Qianxinan, 黔西南州) if missing, solve and publish its..."),
    "holidays": ("planning", "holidays", "Working-day overrides for years chinesecalendar does not know (节假日安排)."),
    "duties": ("planning", "duties", "The duties of a period."),
    "leader-day": ("planning", "leader_day", "Leader reception days (党政领导信访接待日)."),
    "hotline": (
        "hotline",
        "hotline",
        "The consultation hotline and mailbox (律师咨询电话、电子信箱) of an office or the...",
    ),
    "duty": ("duty_changes", "duty", "Cancel or move one duty; on a published period each change is a new version."),
    "import": ("imports", "import_", "Read lawyers or unavailability from a .csv or .xlsx file; nothing is stored..."),
    "export": ("imports", "export", "Write lawyers or unavailability to a .csv or .xlsx file that `import` reads..."),
    "solve": ("solving", "solve", "Staff every duty of [FROM, TO] and store the roster as the period's draft."),
    "solve-file": (
        "solver_files",
        "solve_file",
        "Solve the roster problem in PROBLEM.json and write the roster to SOLUTION.json.",
    ),
    "check-file": (
        "solver_files",
        "check_file",
        "Check the roster in SOLUTION.json against every rule of PROBLEM.json and...",
    ),
    "publish-roster": (
        "changes",
        "publish_roster",
        "Publish the period's draft as its next version (the previous one is superseded).",
    ),
    "roster": ("changes", "roster", "Roster versions."),
    "lawyer": ("changes", "lawyer", "A lawyer's standing: removal, suspension, reinstatement, unavailability."),
    "swap": ("changes", "swap", "Propose that two lawyers exchange their duties."),
    "cover": ("changes", "cover", "Propose that a lawyer takes a duty in place of another."),
    "proposal": ("changes", "proposal", "Proposals awaiting a clerk."),
    "suggest": ("changes", "suggest", "Rank the lawyers who could take a duty (or swap partners), best first."),
    "swap-request": (
        "changes",
        "swap_request",
        "Lawyers' swap requests: offer, exchange, accept, decline, withdraw; clerks...",
    ),
    "worker": ("jobs", "worker", "Run solve jobs queued by the web view."),
    "publish": (
        "calendars",
        "publish",
        "Write every calendar feed into the calendars folder; files whose bytes would...",
    ),
    "send-notices": (
        "calendars",
        "send_notices",
        "Send the queued change notices through the SMTP server (SCHEDULER_SMTP_HOST,...",
    ),
    "calendar": ("calendars", "calendar", "Lawyers' private calendars."),
    "attendance": (
        "attendance",
        "attendance",
        "Record who attended past duties (出勤登记), one by one or from a sign-in sheet.",
    ),
    "report": ("attendance", "report", "Monthly allowance and annual assessment reports as .xlsx or .csv."),
    "allowance-rate": (
        "attendance",
        "allowance_rate",
        "Allowance rates (生活补贴标准) per duty type, each from a date on.",
    ),
    "meeting": (
        "attendance",
        "meeting",
        "Joint meetings (联席会议) of the bureaus, shown in the office and prefecture...",
    ),
    "case": ("cases", "case", "Entrusted cases (委托案件): add, assign lawyers, status, legal opinions, reminders."),
    "availability": (
        "availability",
        "availability",
        "Lawyers' availability requests: request windows per period, approve or decline.",
    ),
    "reception": (
        "records",
        "reception",
        "The reception log (接待登记): consultations on served duties, monthly statistics.",
    ),
    "training": (
        "records",
        "training_group",
        "Trainings (专项培训): set up, invite lawyers, offices or firms, record attendance.",
    ),
    "assessment": (
        "assessment",
        "assessment",
        "Assessment grades (考核等次) per lawyer and the commendation list (表彰奖励).",
    ),
    "serve": ("web", "serve", "Serve the web application with Werkzeug's threaded server (a demo or one..."),
    "user": ("users", "user", "Accounts of the web application."),
}


class LazyGroup(SchedulerGroup):
    """A group whose commands are imported from their module when first used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module, attribute, _help = entry
        command: click.Command = getattr(importlib.import_module(f"scheduler.cli.{module}"), attribute)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # The listing uses the help written above, so that `scheduler --help` imports no command module.
        rows = [(name, short) for name, (_m, _a, short) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup)
@click.version_option(package_name="petition-duty-scheduler")
def main() -> None:
    """Duty rosters for lawyers at petition-reception offices (信访律师值班排班)."""
