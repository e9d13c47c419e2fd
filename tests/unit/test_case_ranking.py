"""The pure parts of entrusted cases: ranking lawyers for a case, and what an opinion file may be."""

from __future__ import annotations

import io
import zipfile

import pytest

from scheduler.casework.errors import BadOpinionFile
from scheduler.casework.opinion_files import MAX_OPINION_BYTES, opinion_kind
from scheduler.casework.ranking import Candidate, CaseNeeds, rank_lawyers


def candidate(
    id: int,
    *,
    since: int = 2010,
    specialties: tuple[str, ...] = (),
    languages: tuple[str, ...] = (),
    open_cases: int = 0,
) -> Candidate:
    return Candidate(id, f"律师{id}", "", since, frozenset(specialties), frozenset(languages), open_cases)


def test_a_matching_specialty_comes_before_seniority() -> None:
    ranked = rank_lawyers(
        CaseNeeds("土地征收", year=2026),
        [candidate(1, since=1990), candidate(2, since=2024, specialties=("土地征收",))],
    )
    assert [r.candidate.id for r in ranked] == [2, 1]
    assert ranked[0].specialty_match and not ranked[1].specialty_match


def test_an_open_case_outweighs_any_seniority_and_ties_go_to_the_lower_id() -> None:
    busy, free = candidate(1, since=1980, open_cases=1), candidate(2, since=2025)
    assert [r.candidate.id for r in rank_lawyers(CaseNeeds("行政"), [busy, free])] == [2, 1]
    same = [candidate(5), candidate(3), candidate(4)]
    assert [r.candidate.id for r in rank_lawyers(CaseNeeds("行政"), same)] == [3, 4, 5]


def test_a_needed_language_counts_and_the_figures_explain_the_rank() -> None:
    ranked = rank_lawyers(
        CaseNeeds("婚姻家庭", language="buyi", year=2026),
        [candidate(1, open_cases=2), candidate(2, languages=("buyi",), open_cases=1)],
        limit=1,
    )
    (best,) = ranked
    assert best.candidate.id == 2 and best.language_match and best.years == 16
    assert best.open_cases == 1 and best.average_open == 1.5


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("a.pdf", b"%PDF-1.4\n", "pdf"),
        ("意见书.DOCX", _zip({"[Content_Types].xml": "", "word/document.xml": ""}), "docx"),
        ("a.odt", _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": ""}), "odt"),
    ],
)
def test_pdf_docx_and_odt_documents_are_accepted(name: str, content: bytes, kind: str) -> None:
    assert opinion_kind(name, content) == kind


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("a.xlsx", _zip({"[Content_Types].xml": "", "xl/workbook.xml": ""}), "只接受 PDF、DOCX 或 ODT 文件"),
        ("a.docx", _zip({"[Content_Types].xml": "", "xl/workbook.xml": ""}), "文件内容不是 DOCX 文档"),
        ("a.odt", _zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}), "文件内容不是 ODT 文档"),
        ("a.docx", b"PK\x03\x04 broken", "文件内容不是 DOCX 文档"),
        ("a", b"%PDF-1.4", "只接受 PDF、DOCX 或 ODT 文件"),
        ("a.pdf", b"", "文件是空的"),
        ("a.pdf", b"%PDF-" + bytes(MAX_OPINION_BYTES), "文件超过 8 MB"),
    ],
)
def test_other_files_are_refused_naming_the_file_and_why(name: str, content: bytes, problem: str) -> None:
    with pytest.raises(BadOpinionFile) as refused:
        opinion_kind(name, content)
    assert str(refused.value) == f"法律意见书 {name}：{problem}"
