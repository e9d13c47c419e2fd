"""What a solver run hands back: the roster, and a report a planner can read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["optimal", "feasible", "no_solution", "infeasible"]
ParamValue = str | int

# Display names of language codes; a code not listed is shown as it is.
LANGUAGE_NAMES = {
    "buyi": ("Buyi", "布依语"),
    "miao": ("Miao", "苗语"),
    "mandarin": ("Mandarin", "普通话"),
    "zhuang": ("Zhuang", "壮语"),
    "yi": ("Yi", "彝语"),
}

# code -> language -> (sentence when the reason rules out every candidate left, sentence otherwise).
_TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "no_office_lawyer": {
        "en": ("no lawyer may serve office {office}",) * 2,
        "zh": ("没有律师可在{office}值班",) * 2,
    },
    "inactive": {
        "en": (
            "no active lawyer may serve office {office} on {date}",
            "{count} of the {of} lawyers who may serve office {office} are suspended or removed on {date}",
        ),
        "zh": (
            "{date}没有可在{office}值班的在职律师",
            "可在{office}值班的{of}名律师中有{count}名在{date}被暂停或取消资格",
        ),
    },
    "min_years": {
        "en": (
            "needs {years} years in practice; none of the {of} active lawyers has that",
            "{count} of {of} active lawyers have fewer than {years} years in practice",
        ),
        "zh": ("需要执业满{years}年；{of}名在职律师均不满足", "{of}名在职律师中有{count}名执业不满{years}年"),
    },
    "specialty": {
        "en": (
            "needs specialty {specialty}; none is eligible",
            "{count} of {of} lawyers lack specialty {specialty}",
        ),
        "zh": ("需要{specialty}专长；没有符合条件的律师", "{of}名律师中有{count}名不具备{specialty}专长"),
    },
    "language": {
        "en": (
            "needs a {language} speaker; none is eligible",
            "{count} of {of} lawyers do not speak {language}",
        ),
        "zh": ("需要会{language}的律师；没有符合条件的律师", "{of}名律师中有{count}名不会{language}"),
    },
    "unavailable": {
        "en": (
            "all {count} eligible lawyers are unavailable that day",
            "{count} of {of} eligible lawyers are unavailable that day",
        ),
        "zh": ("全部{count}名符合条件的律师当天不能值班", "{of}名符合条件的律师中有{count}名当天不能值班"),
    },
    "on_this_duty": {
        "en": (
            "all {count} eligible lawyers free that day are already on this duty",
            "{count} of {of} eligible lawyers free that day are already on this duty",
        ),
        "zh": (
            "当天有空的{count}名符合条件的律师都已在本班次",
            "当天有空的{of}名符合条件的律师中有{count}名已在本班次",
        ),
    },
    "same_day": {
        "en": (
            "all {count} remaining eligible lawyers already serve another duty that day",
            "{count} of {of} remaining eligible lawyers already serve another duty that day",
        ),
        "zh": (
            "其余{count}名符合条件的律师当天都已有其他值班",
            "其余{of}名符合条件的律师中有{count}名当天已有其他值班",
        ),
    },
    "min_gap": {
        "en": (
            "all {count} remaining eligible lawyers have another duty less than {gap} days away",
            "{count} of {of} remaining eligible lawyers have another duty less than {gap} days away",
        ),
        "zh": (
            "其余{count}名符合条件的律师都在{gap}天内有其他值班",
            "其余{of}名符合条件的律师中有{count}名在{gap}天内有其他值班",
        ),
    },
    "monthly_limit": {
        "en": (
            "the {count} remaining eligible lawyers have reached their monthly limit",
            "{count} of {of} remaining eligible lawyers have reached their monthly limit",
        ),
        "zh": (
            "其余{count}名符合条件的律师已达到每月值班上限",
            "其余{of}名符合条件的律师中有{count}名已达到每月值班上限",
        ),
    },
    "not_chosen": {
        "en": (
            "{count} eligible lawyers could still take the place; the solver left it open "
            "(time limit, or a coverage weight too low to pay for it)",
        )
        * 2,
        "zh": ("仍有{count}名符合条件的律师可以值班；求解器未安排（时间限制，或缺岗权重过低）",) * 2,
    },
}

REASON_CODES = tuple(_TEXTS)


@dataclass(frozen=True)
class Reason:
    """Why a place stayed open: a code and its parameters (counts, office, date, language...)."""

    code: str
    params: tuple[tuple[str, ParamValue], ...] = ()

    def param(self, key: str) -> ParamValue | None:
        """The value of one parameter, or None when the reason has no such parameter."""
        return dict(self.params).get(key)

    def text(self, lang: str = "en") -> str:
        """The reason as one sentence in English ("en") or Chinese ("zh")."""
        if lang not in ("en", "zh"):
            raise ValueError(f"unknown language {lang!r}; use 'en' or 'zh'")
        values = dict(self.params)
        every, some = _TEXTS[self.code][lang]
        if "language" in values:
            names = LANGUAGE_NAMES.get(str(values["language"]))
            if names:
                values["language"] = names[0] if lang == "en" else names[1]
        template = every if values.get("count") == values.get("of", values.get("count")) else some
        return template.format(**values)


@dataclass(frozen=True)
class Unstaffed:
    """A duty left with fewer lawyers than it needs, with the reasons found by checking every lawyer."""

    duty_id: int
    missing: int
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class PoolFairness:
    """Duties per lawyer in one pool this period, over the lawyers who could serve any of its duties.

    `sum_squares` is the sum over those lawyers of their duties squared (the usual load-balance
    measure, which the objective does not optimise directly). Lawyers with the same eligibility
    (the same duties open to them, rules on dates aside) and the same history form groups;
    `spread` is the largest most-minus-fewest within one group, and `group_most` and
    `group_fewest` are that group's figures.
    """

    pool: str
    lawyers: int
    min: int
    median: float
    max: int
    sum_squares: int = 0
    spread: int = 0
    group_most: int = 0
    group_fewest: int = 0


@dataclass(frozen=True)
class Progress:
    """One improving roster found during the search (objective of the whole problem so far)."""

    objective: int
    bound: int
    elapsed_s: float
    # Places the roster leaves open (the whole problem's).
    open_places: int | None = None


@dataclass(frozen=True)
class SolveReport:
    """How the run went: status, objective and its terms, fairness, open places, conflicts."""

    status: Status
    objective: int | None
    bound: int | None
    gap: float | None
    wall_s: float
    first_solution_s: float | None
    terms: dict[str, int]
    fairness: tuple[PoolFairness, ...]
    unstaffed: tuple[Unstaffed, ...]
    conflicts: tuple[str, ...]
    # When the best roster was found (the whole problem's), and how many places it leaves open.
    best_solution_s: float | None = None
    open_places: int = 0


@dataclass(frozen=True)
class Solution:
    """The roster (every duty id -> sorted lawyer ids, possibly empty) and its report."""

    assignments: dict[int, tuple[int, ...]]
    report: SolveReport
