"""Chinese by default, English on request; the English catalogue is complete and works from a fresh clone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from scheduler.web.i18n import STANDARD_TEXTS, TRANSLATIONS, load_catalogues
from tests.unit.test_messages import all_templates
from tests.web.conftest import SQLITE_ONLY, build_roster

WEB = TRANSLATIONS.parent
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _html_lang(page: str) -> str:
    found = re.search(r'<html lang="([^"]+)"', page)
    assert found, "the page declares no <html lang>"
    return found.group(1)


@SQLITE_ONLY
def test_pages_are_chinese_by_default(client: FlaskClient, session_factory: sessionmaker[Session]) -> None:
    build_roster(session_factory)
    for url in ("/", "/notice/522326/week/2026/10", "/login"):
        page = client.get(url).get_data(as_text=True)
        assert _html_lang(page) == "zh-CN"
    assert "星期三" in client.get("/notice/522326/week/2026/10").get_data(as_text=True)


@SQLITE_ONLY
def test_the_switch_turns_the_interface_to_english_and_back(
    client: FlaskClient, session_factory: sessionmaker[Session]
) -> None:
    build_roster(session_factory)
    notice = "/notice/522326/week/2026/10"
    response = client.get(f"/language/en?next={notice}")
    assert response.status_code == 302 and response.headers["Location"] == notice
    page = client.get(notice).get_data(as_text=True)
    assert _html_lang(page) == "en"
    for english in (
        "Wednesday",
        "March 4, 2026",
        "Wangmo Xian Petition Bureau",
        "Lawyer reception window",
        "Scope of reception",
    ):
        assert english in page
    assert "Arrive on time and do not leave the post" in page  # the standard discipline rules, in English
    assert "律师0" in page  # names stay as they are
    client.get("/language/zh_CN")
    assert _html_lang(client.get(notice).get_data(as_text=True)) == "zh-CN"


@SQLITE_ONLY
def test_an_unknown_language_changes_nothing(client: FlaskClient) -> None:
    client.get("/language/fr")
    assert _html_lang(client.get("/").get_data(as_text=True)) == "zh-CN"


@SQLITE_ONLY
@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]
)
def test_the_switch_never_sends_the_reader_to_another_site(client: FlaskClient, target: str) -> None:
    response = client.get("/language/en", query_string={"next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"


@SQLITE_ONLY
def test_error_pages_speak_the_reader_s_language(client: FlaskClient) -> None:
    assert "页面不存在" in client.get("/no/such/page").get_data(as_text=True)
    client.get("/language/en")
    page = client.get("/no/such/page").get_data(as_text=True)
    assert "Page not found" in page and _html_lang(page) == "en"


def _extracted() -> set[str]:
    """The interface's message ids: those in templates and code, and the templates of the error and outcome codes."""
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    method_map = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
    return {
        str(message)
        for _file, _line, message, _comments, _context in extract_from_dir(WEB, method_map, keywords=keywords)
    } | set(all_templates().values())


def _catalogue() -> dict[str, tuple[str, bool]]:
    with (TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalogue = read_po(fh)
    return {str(m.id): (str(m.string), m.fuzzy) for m in catalogue if m.id}


def test_every_message_of_the_interface_has_an_english_translation() -> None:
    catalogue = _catalogue()
    untranslated = sorted(m for m in _extracted() | STANDARD_TEXTS if not catalogue.get(m, ("", True))[0])
    fuzzy = sorted(m for m, (_text, is_fuzzy) in catalogue.items() if is_fuzzy)
    assert untranslated == [] and fuzzy == []


def test_the_catalogue_holds_no_message_the_interface_no_longer_uses() -> None:
    assert sorted(set(_catalogue()) - _extracted() - STANDARD_TEXTS) == []


def test_translations_keep_their_placeholders() -> None:
    wrong = {
        m: t for m, (t, _f) in _catalogue().items() if sorted(PLACEHOLDER.findall(m)) != sorted(PLACEHOLDER.findall(t))
    }
    assert wrong == {}


def test_the_catalogue_is_compiled_in_memory_from_the_committed_po_file() -> None:
    assert list(Path(TRANSLATIONS).rglob("*.mo")) == []  # nothing to build after a fresh clone
    english = load_catalogues()["en"]
    assert english.ugettext("本周") == "This week"
    assert english.ugettext("没有这条消息") == "没有这条消息"
