"""The JSON problem and solution documents: exact round trips, and errors that name each bad field."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.core.errors import InputError
from scheduler.core.problem import LEADER_DAY, WINDOW, Duty, InactivePeriod, Lawyer, Office, Problem, Weights
from scheduler.solver import SolveParams, check, solve
from scheduler.solver.format_writing import problem_to_json, solution_to_json
from scheduler.solver.problem_format import FORMAT_VERSION, assignments_from_solution_json, problem_from_json

Doc = dict[str, Any]
DOCS = Path(__file__).resolve().parents[2] / "docs" / "problem-format.md"


def small_problem() -> Problem:
    """Two offices, three lawyers, three duties: every field of the format used at least once."""
    return Problem(
        start=dt.date(2026, 3, 2),
        end=dt.date(2026, 3, 29),
        offices=(
            Office(1, "522326", "望谟县信访局", frozenset({"buyi"})),
            Office(2, "522300", "黔西南州信访局"),
        ),
        lawyers=(
            Lawyer(
                1,
                "韦丽",
                firm_id=7,
                first_practice_year=2012,
                specialties=frozenset({"land", "labour"}),
                languages=frozenset({"buyi", "mandarin"}),
                offices=frozenset({1, 2}),
                unavailable=frozenset({dt.date(2026, 3, 11)}),
                inactive=(InactivePeriod(dt.date(2026, 3, 20), dt.date(2026, 3, 24), "suspended", "纪律处分"),),
                max_per_month=2,
                preferred_weekdays=frozenset({2}),
                undesired_weekdays=frozenset({4}),
                history_duties=3,
            ),
            Lawyer(2, "王明", firm_id=None, first_practice_year=2020, offices=frozenset({1})),
            Lawyer(
                3,
                "岑芳",
                firm_id=7,
                first_practice_year=2001,
                offices=frozenset({2}),
                inactive=(InactivePeriod(dt.date(2026, 3, 27), None, "removed"),),
            ),
        ),
        duties=(
            Duty(1, 1, dt.date(2026, 3, 4), dt.time(9), dt.time(17, 30), WINDOW),
            Duty(2, 2, dt.date(2026, 3, 12), dt.time(14, 30), dt.time(17, 30), LEADER_DAY, 2, 5, "land", None, "领导"),
            Duty(3, 1, dt.date(2026, 3, 18), dt.time(9), dt.time(12, 0, 30), WINDOW, language="buyi"),
        ),
        fixed=frozenset({(1, 2)}),
        previous=frozenset({(2, 1), (2, 3)}),
        weights=Weights(fairness=20, stability=0),
        min_gap_days=5,
    )


def valid_doc() -> Doc:
    """A fresh, valid document to break one field at a time (through JSON, as a file would be)."""
    doc: Doc = json.loads(json.dumps(problem_to_json(small_problem())))
    return doc


def error_of(doc: object) -> str:
    with pytest.raises(InputError) as caught:
        problem_from_json(doc)
    return str(caught.value)


# --- round trip ---------------------------------------------------------------------------------


def test_a_problem_survives_the_round_trip_through_json_text() -> None:
    problem = small_problem()
    assert problem_from_json(json.loads(json.dumps(problem_to_json(problem)))) == problem


def test_the_written_document_names_format_and_version_and_uses_plain_json_values() -> None:
    doc = problem_to_json(small_problem())
    assert doc["format"] == "petition-duty-problem"
    assert doc["version"] == FORMAT_VERSION == 1
    assert doc["duties"][1]["start"] == "14:30"
    assert doc["duties"][2]["end"] == "12:00:30"
    assert doc["lawyers"][2]["inactive"] == [{"start": "2026-03-27", "end": None, "status": "removed", "reason": ""}]
    assert doc["fixed"] == [[1, 2]]


def test_optional_keys_take_the_defaults_of_the_problem_classes() -> None:
    doc = {
        "format": "petition-duty-problem",
        "version": 1,
        "period": {"start": "2026-01-05", "end": "2026-01-11"},
        "offices": [{"id": 1, "code": "522301", "name": "兴义市信访局"}],
        "lawyers": [{"id": 1, "name": "王丽", "first_practice_year": 2015}],
        "duties": [{"id": 1, "office_id": 1, "date": "2026-01-07", "start": "09:00", "end": "12:00", "kind": "window"}],
    }
    problem = problem_from_json(doc)
    assert problem.weights == Weights()
    assert problem.min_gap_days == Problem.min_gap_days
    assert problem.fixed == problem.previous == frozenset()
    assert problem.lawyers[0] == Lawyer(1, "王丽", firm_id=None, first_practice_year=2015)
    assert problem.duties[0] == Duty(1, 1, dt.date(2026, 1, 7), dt.time(9), dt.time(12), WINDOW)


def test_weekdays_may_be_given_by_name() -> None:
    doc = valid_doc()
    doc["lawyers"][0]["preferred_weekdays"] = ["Mon", "wed", 4]
    assert problem_from_json(doc).lawyers[0].preferred_weekdays == {0, 2, 4}


def test_the_example_in_the_documentation_is_a_valid_problem() -> None:
    example = DOCS.read_text(encoding="utf-8").split("```json\n", 1)[1].split("```", 1)[0]
    problem = problem_from_json(json.loads(example))
    assert len(problem.duties) == 3
    assert problem.lawyers[0].preferred_weekdays == {2}
    assert problem.weights == Weights()


names = st.text(st.characters(codec="utf-8"), min_size=1, max_size=8).filter(lambda s: s.strip() != "")
codes = st.sampled_from(["buyi", "miao", "yi", "land", "labour", "土地", "劳动"])


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    """Any valid problem, small enough to draw quickly."""
    start = draw(st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)))
    end = start + dt.timedelta(days=draw(st.integers(0, 120)))
    days = st.dates(start, end)
    office_ids = draw(st.lists(st.integers(-5, 10_000), min_size=1, max_size=4, unique=True))
    offices = tuple(Office(i, draw(names), draw(names), draw(st.frozensets(codes, max_size=2))) for i in office_ids)
    weekdays = st.frozensets(st.integers(0, 6), max_size=3)

    def inactive() -> InactivePeriod:
        first = draw(st.dates(dt.date(2019, 1, 1), dt.date(2031, 1, 1)))
        last = draw(st.none() | st.dates(first, first + dt.timedelta(days=90)))
        return InactivePeriod(first, last, draw(st.sampled_from(["suspended", "removed"])), draw(st.text(max_size=5)))

    lawyer_ids = draw(st.lists(st.integers(0, 10_000), max_size=5, unique=True))
    lawyers = tuple(
        Lawyer(
            i,
            draw(names),
            firm_id=draw(st.none() | st.integers(1, 50)),
            first_practice_year=draw(st.integers(1950, 2030)),
            specialties=draw(st.frozensets(codes, max_size=3)),
            languages=draw(st.frozensets(codes, max_size=3)),
            offices=draw(st.frozensets(st.sampled_from(office_ids), max_size=3)),
            unavailable=draw(st.frozensets(days, max_size=3)),
            inactive=tuple(inactive() for _ in range(draw(st.integers(0, 2)))),
            max_per_month=draw(st.integers(0, 6)),
            preferred_weekdays=draw(weekdays),
            undesired_weekdays=draw(weekdays),
            history_duties=draw(st.integers(0, 30)),
        )
        for i in lawyer_ids
    )
    duty_ids = draw(st.lists(st.integers(1, 10_000), max_size=6, unique=True))
    duties = []
    for i in duty_ids:
        begin = draw(st.times(dt.time(0), dt.time(22, 59)).map(lambda t: t.replace(microsecond=0)))
        minutes = draw(st.integers(1, 60 * (23 - begin.hour)))
        finish = (dt.datetime.combine(start, begin) + dt.timedelta(minutes=minutes)).time()
        duties.append(
            Duty(
                i,
                draw(st.sampled_from(office_ids)),
                draw(days),
                begin,
                finish,
                draw(st.sampled_from([WINDOW, LEADER_DAY, "training"])),
                needed=draw(st.integers(1, 3)),
                min_years=draw(st.integers(0, 10)),
                specialty=draw(st.none() | codes),
                language=draw(st.none() | codes),
                note=draw(st.text(max_size=10)),
            )
        )
    pairs = st.frozensets(st.tuples(st.sampled_from(duty_ids), st.sampled_from(lawyer_ids)), max_size=4)
    has_pairs = bool(duty_ids and lawyer_ids)
    return Problem(
        start=start,
        end=end,
        offices=offices,
        lawyers=lawyers,
        duties=tuple(duties),
        fixed=draw(pairs) if has_pairs else frozenset(),
        previous=draw(pairs) if has_pairs else frozenset(),
        weights=Weights(**{name: draw(st.integers(0, 10_000)) for name in Weights.__dataclass_fields__}),
        min_gap_days=draw(st.integers(0, 14)),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_any_problem_survives_the_round_trip(problem: Problem) -> None:
    text = json.dumps(problem_to_json(problem), ensure_ascii=False)
    assert problem_from_json(json.loads(text)) == problem


# --- refusals -----------------------------------------------------------------------------------


def _set(path: str, value: object) -> Callable[[Doc], None]:
    """A change that sets the value at a dotted path with [i] indexes, e.g. 'duties[0].needed'."""

    def change(doc: Doc) -> None:
        keys: list[str | int] = []
        for part in path.replace("]", "").split("."):
            name, *indexes = part.split("[")
            keys += [name, *map(int, indexes)]
        target: Any = doc
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return change


def _delete(path: str, key: str) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        target: Any = doc
        for part in path.split("."):
            name, _, index = part.partition("[")
            target = target[name][int(index[:-1])] if index else target[name]
        del target[key]

    return change


def _append_copy(key: str, index: int) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        doc[key].append(json.loads(json.dumps(doc[key][index])))

    return change


BAD_FIELDS = [
    (_set("version", 2), "version 2 is not supported (this program reads version 1)"),
    (_set("format", "roster"), "format: must be 'petition-duty-problem', not \"roster\""),
    (_set("period.start", "2026-03-30"), "period.end: 2026-03-29 is before period.start 2026-03-30"),
    (_set("min_gap_days", -1), "min_gap_days: must be >= 0, not -1"),
    (_set("weights.fairnes", 3), "weights.fairnes: unknown key (did you mean 'fairness'?)"),
    (_set("weights.spacing", -2), "weights.spacing: must be >= 0, not -2"),
    (_set("offices", {}), "offices: must be a list, not {}"),
    (_set("offices[1].code", ""), 'offices[1].code: must not be empty, not ""'),
    (_set("offices[0].wanted_languages", "buyi"), 'offices[0].wanted_languages: must be a list, not "buyi"'),
    (_delete("lawyers[1]", "name"), "lawyers[1].name: is missing"),
    (_set("lawyers[0].max_per_mont", 3), "lawyers[0].max_per_mont: unknown key (did you mean 'max_per_month'?)"),
    (_set("lawyers[0].max_per_month", True), "lawyers[0].max_per_month: must be an integer, not true"),
    (_set("lawyers[0].max_per_month", "2"), 'lawyers[0].max_per_month: must be an integer, not "2"'),
    (_set("lawyers[0].history_duties", -1), "lawyers[0].history_duties: must be >= 0, not -1"),
    (_set("lawyers[0].first_practice_year", 12), "lawyers[0].first_practice_year: must be >= 1900, not 12"),
    (_set("lawyers[0].firm_id", "7"), 'lawyers[0].firm_id: must be an integer, not "7"'),
    (_set("lawyers[0].offices[1]", 99), "lawyers[0].offices[1]: office 99 does not exist"),
    (_set("lawyers[0].unavailable[0]", "2026/03/11"), 'lawyers[0].unavailable[0]: "2026/03/11" is not a date'),
    (_set("lawyers[0].preferred_weekdays[0]", 7), "lawyers[0].preferred_weekdays[0]: 7 is not a weekday"),
    (_set("lawyers[0].undesired_weekdays[0]", "friday"), 'undesired_weekdays[0]: "friday" is not a weekday'),
    (_set("lawyers[0].inactive[0].status", "resting"), 'lawyers[0].inactive[0].status: must be "suspended"'),
    (_set("lawyers[0].inactive[0].end", "2026-03-01"), "lawyers[0].inactive[0].end: 2026-03-01 is before start"),
    (_append_copy("lawyers", 1), "duplicate lawyer id 2 at lawyers[3] (first at lawyers[1])"),
    (_append_copy("offices", 0), "duplicate office id 1 at offices[2] (first at offices[0])"),
    (_append_copy("duties", 2), "duplicate duty id 3 at duties[3] (first at duties[2])"),
    (_set("duties[2].date", "2026-13-01"), 'duties[2].date: "2026-13-01" is not a date (YYYY-MM-DD)'),
    (_set("duties[2].date", "2026-04-01"), "duties[2].date: 2026-04-01 is outside the period 2026-03-02 to 2026-03-29"),
    (_set("duties[0].start", "9:00"), 'duties[0].start: "9:00" is not a time of day (HH:MM)'),
    (_set("duties[0].end", "08:00"), "duties[0].end: 08:00 is not after start 09:00"),
    (_set("duties[0].needed", 0), "duties[0].needed: must be >= 1, not 0"),
    (_set("duties[0].min_years", -3), "duties[0].min_years: must be >= 0, not -3"),
    (_set("duties[0].office_id", 42), "duties[0].office_id: office 42 does not exist"),
    (_set("duties[0].kind", None), "duties[0].kind: must be a string, not null"),
    (_set("duties[0].specialty", ""), "duties[0].specialty: must not be empty"),
    (_set("fixed[0]", [5, 1]), "fixed[0]: duty 5 does not exist"),
    (_set("previous[1]", [2, 8]), "previous[1]: lawyer 8 does not exist"),
    (_set("fixed[0]", [1]), "fixed[0]: must be a pair [duty_id, lawyer_id], not [1]"),
    (_set("previous[0]", ["2", 1]), 'previous[0][0]: must be an integer, not "2"'),
]


@pytest.mark.parametrize(("change", "expected"), BAD_FIELDS, ids=[expected[:50] for _, expected in BAD_FIELDS])
def test_a_bad_field_is_refused_with_its_json_path(change: Callable[[Doc], None], expected: str) -> None:
    doc = valid_doc()
    change(doc)
    assert expected in error_of(doc)


def test_every_error_is_reported_at_once() -> None:
    doc = valid_doc()
    changes = [BAD_FIELDS[i][0] for i in (0, 16, 25, 29, 34)]
    for change in changes:
        change(doc)
    message = error_of(doc)
    assert message.startswith("invalid problem document (5 errors): ")
    for i in (0, 16, 25, 29, 34):
        assert BAD_FIELDS[i][1] in message
    assert "\n" not in message


def test_an_entity_with_a_bad_field_still_counts_as_existing_for_references() -> None:
    doc = valid_doc()
    doc["offices"][0]["name"] = 5
    message = error_of(doc)
    assert message == "invalid problem document (1 error): offices[0].name: must be a string, not 5"


@pytest.mark.parametrize(("doc", "expected"), [(None, "document: must be an object, not null"), ([], "not []")])
def test_a_document_that_is_not_an_object_is_refused(doc: object, expected: str) -> None:
    assert expected in error_of(doc)


def test_missing_top_level_keys_are_each_named() -> None:
    message = error_of({"format": "petition-duty-problem", "version": 1})
    for key in ("period", "offices", "lawyers", "duties"):
        assert f"{key}: is missing" in message


# --- solution documents -------------------------------------------------------------------------


def solution_doc(assignments: dict[str, Any]) -> Doc:
    return {"format": "petition-duty-solution", "version": 1, "assignments": assignments}


def test_a_solved_roster_survives_the_round_trip_and_passes_the_checker() -> None:
    problem = small_problem()
    solution = solve(problem, SolveParams(time_limit_s=10, workers=1))
    assert solution.report.status in ("optimal", "feasible")
    doc = json.loads(json.dumps(solution_to_json(problem, solution), ensure_ascii=False))
    assignments = assignments_from_solution_json(doc, problem)
    assert assignments == {duty.id: tuple(sorted(solution.assignments.get(duty.id, ()))) for duty in problem.duties}
    result = check(problem, assignments)
    assert result.violations == ()
    assert doc["report"]["objective"] == result.objective
    assert set(doc["report"]) >= {"status", "bound", "gap", "wall_s", "first_solution_s", "terms", "fairness"}
    for unstaffed in doc["report"]["unstaffed"]:
        assert all(reason["en"] and reason["zh"] for reason in unstaffed["reasons"])


def test_a_duty_left_out_of_a_solution_has_no_lawyers() -> None:
    assignments = assignments_from_solution_json(solution_doc({"1": [2]}), small_problem())
    assert assignments == {1: (2,), 2: (), 3: ()}


def test_a_solution_naming_unknown_duties_or_lawyers_is_refused_with_every_path() -> None:
    doc = solution_doc({"1": [2, 2], "9": [1], "x": [], "3": [77]})
    doc["extra"] = True
    with pytest.raises(InputError) as caught:
        assignments_from_solution_json(doc, small_problem())
    message = str(caught.value)
    assert message.startswith("invalid solution document (5 errors): ")
    for expected in (
        "extra: unknown key",
        'assignments["1"][1]: lawyer 2 is listed twice',
        'assignments["9"]: duty 9 does not exist in the problem',
        'assignments["x"]: duty x does not exist in the problem',
        'assignments["3"][0]: lawyer 77 does not exist in the problem',
    ):
        assert expected in message


def test_a_problem_document_is_not_taken_for_a_solution() -> None:
    with pytest.raises(InputError, match="format: must be 'petition-duty-solution'"):
        assignments_from_solution_json({**valid_doc(), "assignments": {}}, small_problem())
