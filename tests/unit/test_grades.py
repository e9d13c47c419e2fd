"""The grading rule: each threshold at its boundary, and the firms' commendation rule."""

from __future__ import annotations

import pytest

from scheduler.attendance.grades import (
    BASIC,
    COMPETENT,
    EXCELLENT,
    INCOMPETENT,
    BadGradeRule,
    FirmRule,
    Reason,
    Thresholds,
    attendance_rate,
    commended_firms,
    grade,
    parse_rules,
)

# A year that meets every default condition for 优秀.
BEST = {"attended": 10, "late": 1, "absent": 0, "consultations": 10, "opinions": 0, "trainings_attended": 1}


def _grade(**changes: int) -> str:
    return grade(BEST | changes).grade


def _codes(**changes: int) -> list[str]:
    return [r.code for r in grade(BEST | changes).reasons]


def test_the_best_year_is_excellent_with_its_reasons() -> None:
    result = grade(BEST)
    assert result.grade == EXCELLENT
    assert [r.text() for r in result.reasons] == ["出勤率 100%，无缺勤", "接待 10 次、法律意见书 0 份", "参加培训 1 次"]


def test_a_sanction_in_the_year_is_incompetent_whatever_the_counts() -> None:
    result = grade(BEST, sanctioned=True)
    assert result.grade == INCOMPETENT and result.reasons == (Reason("sanctioned"),)


@pytest.mark.parametrize(("absent", "expected"), [(0, EXCELLENT), (1, BASIC), (2, BASIC), (3, INCOMPETENT)])
def test_absences_lower_the_grade_at_their_thresholds(absent: int, expected: str) -> None:
    # attended 30: the rate stays above 90 % so only the absences decide
    assert _grade(attended=30, absent=absent) == expected


@pytest.mark.parametrize(("served", "absent", "expected"), [(60, 40, BASIC), (59, 41, INCOMPETENT)])
def test_the_attendance_rate_boundary_for_incompetent(served: int, absent: int, expected: str) -> None:
    # absences set high: only the rate decides (60 % is not below 60 %)
    strict = Thresholds(incompetent_absences=99, basic_absences=99)
    assert grade({"attended": served, "absent": absent}, thresholds=strict).grade == expected


def test_the_attendance_rate_boundary_for_basic() -> None:
    lenient = Thresholds(basic_absences=99, incompetent_absences=99)
    assert grade(BEST | {"attended": 9, "late": 0, "absent": 1}, thresholds=lenient).grade == COMPETENT  # 90 %
    assert grade(BEST | {"attended": 8, "late": 0, "absent": 1}, thresholds=lenient).grade == BASIC  # 88 %


@pytest.mark.parametrize(("late", "expected"), [(1, EXCELLENT), (2, COMPETENT), (3, BASIC)])
def test_lateness_boundaries(late: int, expected: str) -> None:
    assert _grade(late=late) == expected


@pytest.mark.parametrize(("missed", "expected"), [(1, COMPETENT), (2, BASIC)])
def test_missed_trainings_boundaries(missed: int, expected: str) -> None:
    assert _grade(trainings_missed=missed) == expected


def test_excellent_needs_enough_duties_served() -> None:
    assert _grade(attended=3, late=1) == EXCELLENT  # 4 served
    assert _grade(attended=2, late=1) == COMPETENT
    assert _codes(attended=2, late=1) == ["few_served"]


def test_excellent_needs_consultations_or_an_opinion() -> None:
    assert _grade(consultations=9) == COMPETENT
    assert _codes(consultations=9) == ["few_contributions"]
    assert _grade(consultations=0, opinions=1) == EXCELLENT


def test_excellent_needs_a_training_attended() -> None:
    assert _grade(trainings_attended=0) == COMPETENT
    assert _codes(trainings_attended=0) == ["no_training"]


def test_no_duty_due_is_competent_never_excellent_nor_incompetent() -> None:
    result = grade({"consultations": 20, "trainings_attended": 2})
    assert attendance_rate(0, 0) is None
    assert result.grade == COMPETENT and [r.code for r in result.reasons] == ["few_served"]


def test_thresholds_are_configurable() -> None:
    assert (
        grade(BEST | {"absent": 1, "attended": 30}, thresholds=Thresholds(basic_absences=2, excellent_rate=95)).grade
        == EXCELLENT
    )
    assert grade(BEST, thresholds=Thresholds(excellent_consultations=11, excellent_opinions=5)).grade == COMPETENT


def test_firms_are_commended_by_the_share_of_good_grades() -> None:
    firms = {
        "甲": [EXCELLENT, COMPETENT, COMPETENT, COMPETENT, BASIC],  # 80 %, one excellent
        "乙": [EXCELLENT, COMPETENT, BASIC, BASIC],  # 50 %
        "丙": [EXCELLENT],  # too few lawyers
        "丁": [EXCELLENT, EXCELLENT, INCOMPETENT, EXCELLENT, EXCELLENT, EXCELLENT],  # an incompetent lawyer
        "戊": [COMPETENT, COMPETENT],  # nobody excellent
    }
    assert commended_firms(firms) == ["甲"]
    assert commended_firms(firms, FirmRule(firm_min_lawyers=1)) == ["甲", "丙"]
    assert commended_firms(firms, FirmRule(firm_min_excellent=0)) == ["甲", "戊"]


def test_the_rate_weighs_only_from_enough_duties_due() -> None:
    # one absence in two duties: 50 %, but only the absences rule speaks (基本称职, not 不称职)
    assert grade({"attended": 1, "absent": 1}).grade == BASIC
    assert [r.code for r in grade({"attended": 1, "absent": 1}).reasons] == ["absences"]
    assert grade({"attended": 2, "absent": 2}).grade == INCOMPETENT  # 4 due, 50 %
    assert grade({"attended": 1, "absent": 1}, thresholds=Thresholds(rate_min_due=2)).grade == INCOMPETENT


def test_rules_are_read_from_name_value_pairs() -> None:
    thresholds, firms = parse_rules("excellent_min_served=6, basic_late=4，firm_good_share=75")
    assert (thresholds.excellent_min_served, thresholds.basic_late, thresholds.basic_rate) == (6, 4, 90)
    assert firms == FirmRule(firm_good_share=75)
    assert parse_rules("") == (Thresholds(), FirmRule())
    for bad in ("no_such_rule=1", "basic_late=-1", "basic_late"):
        with pytest.raises(BadGradeRule, match=f"考核等次规则“{bad}”有误"):
            parse_rules(bad)
