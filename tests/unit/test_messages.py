"""Messages as data: every error class and outcome kind has a Chinese template with an English translation
whose {params} are the same, and the edges word them in the reader's language."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil

import pytest
from babel.messages.pofile import read_po

import scheduler
from scheduler.cli.language import cli_language, error_line
from scheduler.core import wording
from scheduler.core.errors import TEMPLATES, InputError, Message, Outcome, SchedulerError, placeholders


def all_templates() -> dict[str, str]:
    """Every registered code's template, after importing every module (the classes register themselves)."""
    for module in pkgutil.walk_packages(scheduler.__path__, "scheduler."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)
    # Codes under "test." belong to the samples of the tests themselves.
    return {code: template for code, template in TEMPLATES.items() if not code.startswith("test.")}


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def _english() -> dict[str, str]:
    with (wording.TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return {str(m.id): str(m.string) for m in read_po(fh) if m.id and not m.fuzzy}


def test_every_error_class_with_a_template_is_registered_under_its_own_code() -> None:
    templates = all_templates()
    for cls in _subclasses(SchedulerError):
        if "template" in vars(cls) and cls.template and cls.__module__.startswith("scheduler."):
            assert templates.get(cls.code) == cls.template, cls


def test_every_template_has_an_english_translation_with_the_same_params() -> None:
    english = _english()
    templates = all_templates()
    missing = sorted(code for code, template in templates.items() if not english.get(template))
    assert missing == []
    differ = {
        code: (template, english[template])
        for code, template in templates.items()
        if placeholders(template) != placeholders(english[template])
    }
    assert differ == {}


def test_templates_are_chinese() -> None:
    # Chinese characters, or at least Chinese punctuation around the parameters ("{setting}=“{value}”：…").
    def chinese(ch: str) -> bool:
        return "\u4e00" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f"

    latin = {code: t for code, t in all_templates().items() if not any(chinese(ch) for ch in t)}
    assert latin == {}


class _Sample(InputError):
    code = "test.sample"
    template = "日期 {day} 不对：{why}"


def test_an_error_is_chinese_by_itself_and_english_from_the_catalogue() -> None:
    # A template not in the catalogue falls back to the Chinese text, params still worded in English.
    err = _Sample(day=dt.date(2027, 1, 12), why=Message("有人输入的原因"))
    assert str(err) == "日期 2027年1月12日 不对：有人输入的原因"
    assert wording.word(err, "en") == "日期 12 Jan 2027 不对：有人输入的原因"


def test_an_outcome_is_stored_as_code_and_params_and_worded_when_shown() -> None:
    kind = Outcome("test.outcome", "{name} 于 {day} 停止执业")
    said = kind(name="罗磊超", day=dt.date(2027, 1, 12))
    stored = said.to_json()
    assert stored == {"code": "test.outcome", "params": {"name": "罗磊超", "day": "2027-01-12"}}
    assert str(Message.from_json(stored)) == "罗磊超 于 2027年1月12日 停止执业"
    typed_reason = kind(name="罗磊超", day=dt.date(2027, 1, 12)).to_json() | {}
    assert Message.from_json({"code": "", "params": {"text": "违反纪律"}}) == Message("违反纪律")
    assert typed_reason["code"] == "test.outcome"
    nested = Outcome("test.nested", "{who}：{reason}")(who="罗磊超", reason=Message("违反纪律"))
    assert str(Message.from_json(nested.to_json())) == "罗磊超：违反纪律"
    del TEMPLATES["test.outcome"], TEMPLATES["test.nested"]


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({}, "zh_CN"),
        ({"SCHEDULER_LANG": "en"}, "en"),
        ({"SCHEDULER_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh_CN"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh_CN"),
        ({"LC_MESSAGES": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "zh_CN"),
        ({"SCHEDULER_LANG": "fr"}, "zh_CN"),
    ],
)
def test_the_command_line_language_follows_scheduler_lang_then_the_locale(
    environ: dict[str, str], language: str
) -> None:
    assert cli_language(environ) == language


def test_the_command_line_words_an_error_in_its_language(monkeypatch: pytest.MonkeyPatch) -> None:
    from scheduler.core.errors import ReversedPeriod

    err = ReversedPeriod(dt.date(2027, 1, 12), dt.date(2027, 1, 5))
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SCHEDULER_LANG", "zh")
    assert error_line(err) == "错误：结束日期（2027年1月5日）早于开始日期（2027年1月12日）"
    monkeypatch.setenv("SCHEDULER_LANG", "en")
    assert error_line(err) == "error: the period ends (5 Jan 2027) before it starts (12 Jan 2027)"


def test_a_named_thing_reads_in_each_language_and_survives_storage() -> None:
    from scheduler.core.errors import Named

    kind = Outcome("test.named", "{office}的{kind}")
    said = kind(office=Named("望谟县信访局", "Wangmo County Petition Bureau"), kind=Named("领导接待日", ""))
    assert str(said) == "望谟县信访局的领导接待日"
    back = Message.from_json(said.to_json())
    assert back == said and str(back) == str(said)
    assert wording.english_value(Named("领导接待日", "")) == "领导接待日"  # no English name: the Chinese one
    assert wording.english_value(Named("望谟县信访局", "Wangmo")) == "Wangmo"
    del TEMPLATES["test.named"]
