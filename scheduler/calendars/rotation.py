"""Rotating a lawyer's private feed address: one use case for the lawyer's page and the command line.

A leaked link must stop working everywhere at once: in the web app (the token changes in the database)
and on a web server serving the static calendars/ folder (the old file is removed and the new one written
straight away, not at the next `scheduler publish`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from scheduler.calendars.feeds import rotate_token
from scheduler.calendars.static_files import PublishError, publish_all, static_publication_in_use
from scheduler.db import settings_of


@dataclass(frozen=True)
class Rotation:
    """The new token, whether the static files were republished (False when none are published), and the
    error of a failed republication (the token is rotated all the same)."""

    token: str
    republished: bool
    error: str = ""


def rotate_and_republish(session: Session, licence_no: str, actor: str, reason: str, now: dt.datetime) -> Rotation:
    """Give the lawyer a new token, commit it, then republish the static feeds if they are in use.

    The commit comes first: the publication reads the new token, and a failed publication (reported by
    publish_all's error) must not bring the leaked token back.
    """
    token = rotate_token(session, licence_no, actor, reason)
    session.commit()
    settings = settings_of(session)
    if not static_publication_in_use(settings):
        return Rotation(token, republished=False)
    try:
        publish_all(session, settings, now)
    except PublishError as exc:
        return Rotation(token, republished=False, error=str(exc))
    return Rotation(token, republished=True)
