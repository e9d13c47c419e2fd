"""Static publication of every feed into calendars/, for a plain web server to serve.

Layout (the same paths as the web app's routes under /calendars/):
  index.html             the public feeds, with webcal:// and http(s) links
  prefecture.ics         every office's duties
  office/{code}.ics      one office's duties
  private/{token}.ics    one lawyer's duties; nothing public links here, and private/index.html is an
                         empty page so that a server's directory listing cannot reveal the tokens

The changed files are written into a staging folder first and renamed into place once all are written,
so a reader sees the old file or the new one, never a part, and a failed run switches nothing in. A file
whose bytes would not change is not touched (its modification time stays), and files of feeds that no
longer exist (a rotated token) are removed.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from scheduler.calendars.views import SAFE_TOKEN, CalendarOptions, EventView
from scheduler.config import Settings
from scheduler.core.errors import InputError, SchedulerError
from scheduler.calendars.ical import calendar
from scheduler.calendars.feeds import (
    AllFeeds,
    all_feeds,
    calendar_options,
    feed_url,
    private_path,
    webcal_url,
)

INDEX = "index.html"
PRIVATE_INDEX = "private/index.html"
# Only these files are ours to replace or remove; anything else in calendars/ (README.md) is left alone.
MANAGED = (("", ".ics"), ("", INDEX), ("office", ".ics"), ("private", ".ics"), ("private", INDEX))
TEMP_PREFIX = ".publish-"
# A run's changed files are written here first (a hidden folder: not served, not managed).
STAGING_PREFIX = ".staging-"
# A temporary file this old is a leftover of a killed run, not the file of a run still going.
STALE_TEMP_S = 3600


class PublishError(SchedulerError):
    """The calendars folder could not be written (disk full, read-only): nothing of the run was switched in."""

    code = "calendars.publish_failed"
    template = "无法在 {directory} 发布日历：{reason}"


class EmptyPublication(InputError):
    """A publication without any office or lawyer feed would replace a folder that has some."""

    code = "calendars.empty_publication"
    template = "拒绝用空的发布覆盖 {directory} 中的 {count} 个日历文件：数据库是否正确？确需删除时加 --allow-empty"


@dataclass(frozen=True)
class PublishResult:
    """Paths (relative to calendars/) written, left as they were, and removed."""

    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]


def index_page(links: Iterable[tuple[str, str]], settings: Settings) -> bytes:
    """The page listing the public feeds, given as (title, path); it never names a private feed."""
    rows = []
    for title, path in links:
        url = feed_url(settings, path)
        rows.append(
            f'<li>{html.escape(title)}：<a href="{html.escape(webcal_url(url))}">一键订阅</a> · '
            f'<a href="{html.escape(url)}">下载 .ics</a></li>'
        )
    page = "\n".join(
        [
            "<!doctype html>",
            '<html lang="zh-CN">',
            '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
            "<title>律师值班日历</title></head>",
            "<body>",
            "<h1>信访律师值班日历（公示）</h1>",
            "<p>用日历应用订阅后，值班安排变更时会自动更新。</p>",
            "<ul>",
            *rows,
            "</ul>",
            "</body>",
            "</html>",
            "",
        ]
    )
    return page.encode("utf-8")


PRIVATE_INDEX_PAGE = (
    '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8"><meta name="robots" content="noindex">'
    "<title>律师值班日历</title></head><body></body></html>\n"
).encode()


def render_files(feeds: AllFeeds, options: CalendarOptions, settings: Settings) -> dict[str, bytes]:
    """Every file of the publication: relative path -> bytes."""
    shared: dict[tuple[EventView, bool], bytes] = {}  # an office's events are in the prefecture's feed too
    files = {item.path: calendar(item.feed, options, shared) for item in feeds.public}
    files.update(
        (private_path(token), calendar(feed, options))
        for token, feed in feeds.lawyers.items()
        # A token of another form could name a path outside private/; such a feed is not served either.
        if SAFE_TOKEN.fullmatch(token)
    )
    files[INDEX] = index_page(((item.title, item.path) for item in feeds.public), settings)
    files[PRIVATE_INDEX] = PRIVATE_INDEX_PAGE
    return files


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` by `data` with one rename: readers see the whole old file or the whole new one."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX, suffix=".tmp")
    try:
        # No fsync: readers are protected by the rename alone, and after a crash the database still
        # holds everything, so the next publication rewrites any file the crash damaged. (An fsync per
        # file was a third of a province's publication time.)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp, 0o644)  # mkstemp makes 0600; the web server must read the file
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _unchanged(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except FileNotFoundError:
        return False


def _managed_files(directory: Path) -> set[str]:
    found = set()
    for folder, suffix in MANAGED:
        base = directory / folder if folder else directory
        if base.is_dir():
            for path in base.iterdir():
                if path.is_file() and path.name.endswith(suffix) and not path.name.startswith("."):
                    found.add(path.relative_to(directory).as_posix())
    return found


def _feed_files(paths: Iterable[str]) -> set[str]:
    """The office and lawyer feeds among `paths` (what an empty database has none of)."""
    return {p for p in paths if p.endswith(".ics") and p.startswith(("office/", "private/"))}


def refuse_empty_over_published(directory: Path, files: Mapping[str, bytes]) -> None:
    """Raise EmptyPublication when `files` has no office or lawyer feed but `directory` holds some.

    A publication from the wrong (empty) database would otherwise delete every feed subscribers poll.
    """
    if not _feed_files(files) and (existing := _feed_files(_managed_files(directory))):
        raise EmptyPublication(directory=directory, count=len(existing))


def write_files(directory: Path, files: Mapping[str, bytes]) -> PublishResult:
    """Make `directory` hold exactly `files` among the files it manages, writing only those that changed.

    The changed files are first written into a staging folder inside `directory` (same file system), and
    only when all of them are written are they renamed into place: a disk that fills up or a folder that
    cannot be written leaves the published set as it was (office and lawyer feeds never disagree), and
    the failure is one PublishError.
    """
    unchanged = [relative for relative in sorted(files) if _unchanged(directory / relative, files[relative])]
    written = [relative for relative in sorted(files) if relative not in set(unchanged)]
    removed = sorted(_managed_files(directory) - set(files))
    staging: Path | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=directory, prefix=STAGING_PREFIX))
        for relative in written:
            (staging / relative).parent.mkdir(parents=True, exist_ok=True)
            write_atomically(staging / relative, files[relative])
        for relative in written:
            (directory / relative).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / relative, directory / relative)
        for relative in removed:
            (directory / relative).unlink(missing_ok=True)
    except OSError as exc:
        raise PublishError(directory=directory, reason=exc.strerror or exc) from exc
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    _remove_leftovers(directory)
    return PublishResult(tuple(written), tuple(unchanged), tuple(removed))


def _remove_leftovers(directory: Path) -> None:
    """Temporary files and staging folders of killed runs (old enough not to be a running one's)."""
    limit = time.time() - STALE_TEMP_S
    for folder in ("", "office", "private"):
        for temp in (directory / folder).glob(f"{TEMP_PREFIX}*.tmp"):
            if temp.stat().st_mtime < limit:
                temp.unlink(missing_ok=True)
    for staging in directory.glob(f"{STAGING_PREFIX}*"):
        if staging.is_dir() and staging.stat().st_mtime < limit:
            shutil.rmtree(staging, ignore_errors=True)


def static_publication_in_use(settings: Settings) -> bool:
    """True when feeds have been published into calendars/ (its private/ folder exists)."""
    return (settings.calendars_dir / "private").is_dir()


def publish_all(session: Session, settings: Settings, now: dt.datetime, *, allow_empty: bool = False) -> PublishResult:
    """Write every feed of the publication state into `settings.calendars_dir`.

    Without `allow_empty`, a publication with no office or lawyer feed over a folder that has some is
    refused (EmptyPublication) and nothing is touched.
    """
    files = render_files(all_feeds(session, settings, now), calendar_options(settings), settings)
    if not allow_empty:
        refuse_empty_over_published(settings.calendars_dir, files)
    return write_files(settings.calendars_dir, files)
