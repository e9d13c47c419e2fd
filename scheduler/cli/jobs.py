"""`scheduler worker`: serve solve jobs from the RQ queue (SCHEDULER_REDIS_URL), on this or another machine."""

from __future__ import annotations

import click

from scheduler.cli.common import session_scope, settings
from scheduler.core.errors import InputError
from scheduler.planning import jobs


class NoRedis(InputError):
    code = "cli.no_redis"
    template = "没有设置 SCHEDULER_REDIS_URL：没有 Redis 时，网页在自己的进程中求解"


@click.command()
@click.option("--burst", is_flag=True, help="Stop when the queue is empty (for scripts and tests).")
def worker(burst: bool) -> None:
    """Run solve jobs queued by the web view. Needs SCHEDULER_REDIS_URL and the same database as the web."""
    url = settings().redis_url
    if not url:
        raise NoRedis()
    from redis import Redis
    from rq import Worker

    with session_scope() as session:
        reaped = jobs.reap(session)
    if reaped:
        click.echo(f"{reaped} stale solve jobs marked failed")
    connection = Redis.from_url(url)
    click.echo(f"serving queue {jobs.QUEUE_NAME} on {url}")
    Worker([jobs.QUEUE_NAME], connection=connection).work(burst=burst)
