"""What a legal opinion file may be: a PDF, DOCX or ODT document of at most MAX_OPINION_BYTES.

The name's extension and the content must agree: a renamed spreadsheet or an executable is refused
whatever it is called. Pure: bytes in, a kind out, nothing read from disk.
"""

from __future__ import annotations

import io
import zipfile

from scheduler.casework.errors import BadOpinionFile

MAX_OPINION_BYTES = 8 * 1024 * 1024  # an opinion of a few dozen pages with scans; the web caps uploads at 10 MB
KINDS = ("pdf", "docx", "odt")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def opinion_kind(filename: str, content: bytes) -> str:
    """The kind ("pdf", "docx" or "odt") of an opinion named `filename` with `content`; BadOpinionFile when
    the file is empty, too large, of another type, or its content is not what its extension says."""
    name = filename.strip() or "（无文件名）"
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension not in KINDS:
        raise BadOpinionFile(filename=name, problem="只接受 PDF、DOCX 或 ODT 文件")
    if not content:
        raise BadOpinionFile(filename=name, problem="文件是空的")
    if len(content) > MAX_OPINION_BYTES:
        raise BadOpinionFile(filename=name, problem=f"文件超过 {MAX_OPINION_BYTES // (1024 * 1024)} MB")
    if not _content_is(extension, content):
        raise BadOpinionFile(filename=name, problem=f"文件内容不是 {extension.upper()} 文档")
    return extension


def _content_is(kind: str, content: bytes) -> bool:
    if kind == "pdf":
        return content.startswith(b"%PDF-")
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if kind == "docx":
                return "[Content_Types].xml" in names and "word/document.xml" in names
            # ODF: the first member is "mimetype", stored, naming the document type.
            return "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return False
