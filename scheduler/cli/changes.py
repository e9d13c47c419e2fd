"""Commands that change a published roster: publish, versions and diffs, removal and suspension with
repair, swaps and covers, proposals, suggestions, and lawyers' swap requests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import click
from sqlalchemy.orm import Session

from scheduler.changes.apply import Change
from scheduler.cli.common import DATE, session_scope
from scheduler.models import Duty, Lawyer
from scheduler.models.changes import Proposal
from scheduler.people import standing
from scheduler.rosters import proposals as proposal_service
from scheduler.rosters import publishing, versions
from scheduler.rosters import swap_requests as requests
from scheduler.rosters.suggestions import suggest_for_duty

ACTOR = "cli"


def _duty_label(session: Session, duty_id: int) -> str:
    duty = session.get(Duty, duty_id)
    if duty is None:
        return f"duty {duty_id}"
    return f"duty {duty_id} ({duty.date} {duty.date:%a} {duty.office.name} {duty.duty_type.name_zh})"


def _names(session: Session, lawyer_ids: Iterable[int]) -> str:
    names = []
    for lawyer_id in lawyer_ids:
        lawyer = session.get(Lawyer, lawyer_id)
        names.append(f"{lawyer.name} {lawyer.licence_no}" if lawyer else str(lawyer_id))
    return ", ".join(names) or "-"


def print_proposal(session: Session, proposal: Proposal) -> None:
    """A proposal as a clerk reads it before accepting: the diff, the rule check, the soft effects."""
    base = proposal.base_roster
    click.echo(
        f"proposal {proposal.id} ({proposal.kind}, {proposal.state}) on version {base.version} "
        f"of {base.period_start}..{base.period_end}"
    )
    if proposal.reason:
        click.echo(f"  reason: {proposal.reason}")
    for doc in proposal.changes:
        c = Change.from_json(doc)
        click.echo(f"  {_duty_label(session, c.duty_id)}: {_names(session, c.remove)} -> {_names(session, c.add)}")
    ev = proposal.evaluation
    for v in ev.get("new_violations", []):
        click.echo(f"  BREAKS {v['rule']}: {v['message']}")
    if not ev.get("new_violations"):
        click.echo("  rule check: no hard rule broken")
    click.echo(
        f"  objective: {ev.get('objective_before')} -> {ev.get('objective_after')} ({ev.get('objective_delta', 0):+d})"
    )
    for term, delta in ev.get("terms_delta", {}).items():
        click.echo(f"    {term:<20} {delta:+d}")
    if proposal.kind == "repair":
        click.echo(f"  vacated places: {len(ev.get('vacated', []))}, changed assignments: {ev.get('changed')}")
        for u in ev.get("unfilled", []):
            click.echo(f"  UNFILLED {_duty_label(session, u['duty_id'])}: " + "; ".join(u["reasons"]))


def _accept_or_hint(session: Session, proposals: list[Proposal], accept: bool, override: str | None) -> None:
    if not proposals:
        click.echo("no published duty is affected")
    for proposal in proposals:
        print_proposal(session, proposal)
        if accept:
            roster = proposal_service.accept(session, proposal.id, ACTOR, override)
            click.echo(f"accepted: version {roster.version} published")
        else:
            click.echo(f"accept with: scheduler proposal accept {proposal.id}")


@click.command("publish-roster")
@click.option("--from", "start", type=DATE, required=True)
@click.option("--to", "end", type=DATE, required=True)
@click.option("--reason", default="")
def publish_roster(start: dt.date, end: dt.date, reason: str) -> None:
    """Publish the period's draft as its next version (the previous one is superseded)."""
    with session_scope() as session:
        roster = publishing.publish_draft(session, start, end, ACTOR, reason)
        click.echo(f"published version {roster.version} of {start}..{end} ({len(roster.assignments)} assignments)")


@click.group()
def roster() -> None:
    """Roster versions."""


@roster.command("versions")
@click.option("--from", "start", type=DATE, required=True)
@click.option("--to", "end", type=DATE, required=True)
def roster_versions(start: dt.date, end: dt.date) -> None:
    """List every version of a period with its changelog."""
    with session_scope() as session:
        found = versions.versions(session, start, end)
        if not found:
            click.echo(f"no roster for {start}..{end}")
        for r in found:
            flag = " provisional" if r.provisional else ""
            click.echo(f"version {r.version}: {r.status}{flag}, objective {r.objective}")
            for line in r.changelog[-1:]:
                click.echo(
                    f"    {line['at']} {line['actor']}: {line['what']}" + (f" ({line['why']})" if line["why"] else "")
                )


@roster.command("discard-draft")
@click.option("--from", "start", type=DATE, required=True)
@click.option("--to", "end", type=DATE, required=True)
@click.option("--reason", default="")
def roster_discard_draft(start: dt.date, end: dt.date, reason: str) -> None:
    """Delete the period's unpublished draft; the published roster does not change."""
    from scheduler.rosters.drafts import discard_draft

    with session_scope() as session:
        version = discard_draft(session, start, end, ACTOR, reason)
        click.echo(f"draft (version {version}) of {start}..{end} discarded")


@roster.command("rebase-draft")
@click.option("--from", "start", type=DATE, required=True)
@click.option("--to", "end", type=DATE, required=True)
@click.option("--time-limit", type=click.FloatRange(1, 3600), default=60, show_default=True)
def roster_rebase_draft(start: dt.date, end: dt.date, time_limit: float) -> None:
    """Solve the period's draft again with the current published roster as the stability reference."""
    from scheduler.cli.common import open_database
    from scheduler.planning.solving import solve_period
    from scheduler.rosters.drafts import current_draft
    from scheduler.solver import SolveParams

    with session_scope() as session:
        if current_draft(session, start, end) is None:
            raise click.ClickException(f"时段 {start}..{end} 没有草稿 (no draft to rebase)")
    with open_database() as factory:
        outcome = solve_period(factory, start, end, SolveParams(time_limit_s=time_limit), actor=ACTOR)
    click.echo(f"draft of {start}..{end} solved again as version {outcome.version}: {outcome.solution.report.status}")


@roster.command("show")
@click.option("--from", "start", type=DATE, required=True)
@click.option("--to", "end", type=DATE, required=True)
@click.option("--version", "number", type=int, default=None, help="Default: the published version.")
def roster_show(start: dt.date, end: dt.date, number: int | None) -> None:
    """Print a version duty by duty."""
    with session_scope() as session:
        if number is None:
            current = versions.current_published(session, start, end)
            if current is None:
                raise click.ClickException(f"no published roster for {start}..{end}")
            number = current.version
        r = versions.version(session, start, end, number)
        click.echo(f"version {r.version} ({r.status}) of {start}..{end}")
        for duty_id, lawyers in sorted(versions.assignments_of(r).items(), key=lambda kv: kv[0]):
            click.echo(f"  {_duty_label(session, duty_id)}: {_names(session, lawyers)}")


@roster.command("diff")
@click.option("--from", "start", type=DATE, required=True)
@click.option("--to", "end", type=DATE, required=True)
@click.argument("old", type=int)
@click.argument("new", type=int)
def roster_diff(start: dt.date, end: dt.date, old: int, new: int) -> None:
    """Compare two versions: each duty whose lawyers differ, old lawyers -> new lawyers."""
    with session_scope() as session:
        rows = versions.compare(versions.version(session, start, end, old), versions.version(session, start, end, new))
        click.echo(f"{len(rows)} duties differ between version {old} and version {new}")
        for row in rows:
            click.echo(
                f"  {_duty_label(session, row.duty_id)}: {_names(session, row.old)} -> {_names(session, row.new)}"
            )


@click.group()
def lawyer() -> None:
    """A lawyer's standing: removal, suspension, reinstatement, unavailability."""


_accept = click.option("--accept", is_flag=True, help="Accept the repair proposals at once.")


@lawyer.command("remove")
@click.argument("licence")
@click.option("--from", "start", type=DATE, required=True)
@click.option("--reason", required=True)
@_accept
def lawyer_remove(licence: str, start: dt.date, reason: str, accept: bool) -> None:
    """Remove a lawyer from duty from a date on; propose refilling their duties."""
    with session_scope() as session:
        _accept_or_hint(session, standing.remove(session, licence, start, reason, ACTOR), accept, None)


@lawyer.command("suspend")
@click.argument("licence")
@click.option("--from", "start", type=DATE, required=True)
@click.option("--to", "end", type=DATE, required=True)
@click.option("--reason", required=True)
@_accept
def lawyer_suspend(licence: str, start: dt.date, end: dt.date, reason: str, accept: bool) -> None:
    """Suspend a lawyer for a span of days; propose refilling their duties in it."""
    with session_scope() as session:
        _accept_or_hint(session, standing.suspend(session, licence, start, end, reason, ACTOR), accept, None)


@lawyer.command("reinstate")
@click.argument("licence")
@click.option("--on", "day", type=DATE, required=True)
@click.option("--reason", required=True)
def lawyer_reinstate(licence: str, day: dt.date, reason: str) -> None:
    """Make a suspended lawyer eligible again from a date; nobody is moved."""
    with session_scope() as session:
        standing.reinstate(session, licence, day, reason, ACTOR)
        click.echo(f"{licence} is eligible again from {day}")


@lawyer.command("unavailable")
@click.argument("licence")
@click.option("--from", "start", type=DATE, required=True)
@click.option("--to", "end", type=DATE, required=True)
@click.option("--reason", required=True)
@_accept
def lawyer_unavailable(licence: str, start: dt.date, end: dt.date, reason: str, accept: bool) -> None:
    """Record days a lawyer cannot serve; propose refilling the duties they touch."""
    with session_scope() as session:
        _accept_or_hint(session, standing.add_unavailability(session, licence, start, end, reason, ACTOR), accept, None)


def _lawyer_id(session: Session, licence: str) -> int:
    return standing.lawyer_by_licence(session, licence).id


@click.command()
@click.argument("duty_a", type=int)
@click.argument("licence_a")
@click.argument("duty_b", type=int)
@click.argument("licence_b")
@click.option("--reason", default="")
@click.option("--accept", is_flag=True)
@click.option("--override", default=None, help="Accept despite broken rules, with this reason (planners).")
def swap(
    duty_a: int, licence_a: str, duty_b: int, licence_b: str, reason: str, accept: bool, override: str | None
) -> None:
    """Propose that two lawyers exchange their duties."""
    with session_scope() as session:
        proposal = proposal_service.propose_swap(
            session, duty_a, _lawyer_id(session, licence_a), duty_b, _lawyer_id(session, licence_b), ACTOR, reason
        )
        _accept_or_hint(session, [proposal], accept, override)


@click.command()
@click.argument("duty", type=int)
@click.option("--out", "licence_out", default=None, help="The lawyer to replace (omit for an open place).")
@click.option("--in", "licence_in", required=True, help="The lawyer who takes the duty.")
@click.option("--reason", default="")
@click.option("--accept", is_flag=True)
@click.option("--override", default=None, help="Accept despite broken rules, with this reason (planners).")
def cover(duty: int, licence_out: str | None, licence_in: str, reason: str, accept: bool, override: str | None) -> None:
    """Propose that a lawyer takes a duty in place of another."""
    with session_scope() as session:
        out = _lawyer_id(session, licence_out) if licence_out else None
        proposal = proposal_service.propose_cover(session, duty, out, _lawyer_id(session, licence_in), ACTOR, reason)
        _accept_or_hint(session, [proposal], accept, override)


@click.group()
def proposal() -> None:
    """Proposals awaiting a clerk."""


@proposal.command("show")
@click.argument("proposal_id", type=int)
def proposal_show(proposal_id: int) -> None:
    with session_scope() as session:
        print_proposal(session, proposal_service.get_proposal(session, proposal_id))


@proposal.command("accept")
@click.argument("proposal_id", type=int)
@click.option("--override", default=None, help="Accept despite broken rules, with this reason (planners).")
def proposal_accept(proposal_id: int, override: str | None) -> None:
    with session_scope() as session:
        roster = proposal_service.accept(session, proposal_id, ACTOR, override)
        click.echo(f"accepted: version {roster.version} published")


@proposal.command("discard")
@click.argument("proposal_id", type=int)
def proposal_discard(proposal_id: int) -> None:
    with session_scope() as session:
        proposal_service.discard(session, proposal_id, ACTOR)
        click.echo(f"proposal {proposal_id} discarded")


@click.command()
@click.argument("duty_id", type=int)
@click.option("--replace", "licence", default=None, help="Who leaves the duty (default: fill an open place).")
@click.option("--swap", "swap_licence", default=None, help="Rank swap partners for this lawyer on the duty.")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True)
def suggest(duty_id: int, licence: str | None, swap_licence: str | None, limit: int) -> None:
    """Rank the lawyers who could take a duty (or swap partners), best first."""
    with session_scope() as session:
        if swap_licence:
            ranked = suggest_for_duty(
                session,
                duty_id,
                None,
                leaving=_lawyer_id(session, swap_licence),
                covers=False,
                swaps=True,
                limit=limit,
                field="--swap",
            )
            found = ranked.swaps
        else:
            out = _lawyer_id(session, licence) if licence else None
            found = suggest_for_duty(session, duty_id, None, leaving=out, limit=limit, field="--replace").covers
        click.echo(f"{len(found)} suggestions for {_duty_label(session, duty_id)}")
        for rank, s in enumerate(found, 1):
            extra = f" giving {_duty_label(session, s.partner_duty_id)}" if s.partner_duty_id else ""
            click.echo(f"  {rank}. {_names(session, [s.lawyer_id])}{extra}: objective {s.delta:+d} ({s.reason})")


@click.group("swap-request")
def swap_request() -> None:
    """Lawyers' swap requests: offer, exchange, accept, decline, withdraw; clerks approve or reject."""


@swap_request.command("offer")
@click.argument("duty_id", type=int)
@click.option("--from", "licence_from", required=True)
@click.option("--to", "licence_to", required=True)
@click.option("--exchange", "exchange_duty", type=int, default=None, help="The colleague's duty taken in return.")
@click.option("--message", default="")
def request_offer(duty_id: int, licence_from: str, licence_to: str, exchange_duty: int | None, message: str) -> None:
    with session_scope() as session:
        r = requests.create(
            session,
            duty_id,
            _lawyer_id(session, licence_from),
            _lawyer_id(session, licence_to),
            exchange_duty_id=exchange_duty,
            message=message,
        )
        click.echo(f"swap request {r.id} proposed")


def _answer(request_id: int, licence: str, agree: bool) -> None:
    from scheduler.cli.common import settings

    with session_scope() as session:
        r = requests.respond(
            session, request_id, _lawyer_id(session, licence), agree, auto_approve=settings().auto_approve_swaps
        )
        click.echo(f"swap request {r.id} {r.state}")


@swap_request.command("accept")
@click.argument("request_id", type=int)
@click.option("--as", "licence", required=True, help="Licence number of the lawyer asked.")
def request_accept(request_id: int, licence: str) -> None:
    _answer(request_id, licence, True)


@swap_request.command("decline")
@click.argument("request_id", type=int)
@click.option("--as", "licence", required=True)
def request_decline(request_id: int, licence: str) -> None:
    _answer(request_id, licence, False)


@swap_request.command("withdraw")
@click.argument("request_id", type=int)
@click.option("--as", "licence", required=True)
def request_withdraw(request_id: int, licence: str) -> None:
    with session_scope() as session:
        r = requests.withdraw(session, request_id, _lawyer_id(session, licence))
        click.echo(f"swap request {r.id} {r.state}")


@swap_request.command("approve")
@click.argument("request_id", type=int)
def request_approve(request_id: int) -> None:
    with session_scope() as session:
        r = requests.decide(session, request_id, True, ACTOR)
        click.echo(f"swap request {r.id} {r.state}")


@swap_request.command("reject")
@click.argument("request_id", type=int)
def request_reject(request_id: int) -> None:
    with session_scope() as session:
        r = requests.decide(session, request_id, False, ACTOR)
        click.echo(f"swap request {r.id} {r.state}")


@swap_request.command("list")
@click.option("--lawyer", "licence", default=None)
def request_list(licence: str | None) -> None:
    from sqlalchemy import select

    from scheduler.models.changes import SwapRequest

    with session_scope() as session:
        rows = (
            requests.for_lawyer(session, _lawyer_id(session, licence))
            if licence
            else session.scalars(select(SwapRequest).order_by(SwapRequest.id)).all()
        )
        for r in rows:
            extra = f" for {_duty_label(session, r.exchange_duty_id)}" if r.exchange_duty_id else ""
            click.echo(
                f"{r.id}: {r.state} {_duty_label(session, r.duty_id)}{extra} "
                f"{_names(session, [r.from_lawyer_id])} -> {_names(session, [r.to_lawyer_id])}"
            )


@swap_request.command("expire")
def request_expire() -> None:
    """Mark open requests whose duty has passed as expired (run daily)."""
    with session_scope() as session:
        click.echo(f"{requests.expire(session)} swap requests expired")
