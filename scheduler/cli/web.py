"""`scheduler serve`: the web application (its accounts: scheduler.cli.users)."""

from __future__ import annotations

import click

from scheduler.core.errors import InputError


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
def serve(host: str, port: int) -> None:
    """Serve the web application with Werkzeug's threaded server (a demo or one office).

    For production run gunicorn behind a reverse proxy: gunicorn 'scheduler.web:create_app()'.
    """
    from werkzeug.serving import run_simple

    from scheduler.cli.common import settings, sqlite_file
    from scheduler.web import create_app

    # Like every command but `demo`: never start on a fresh empty database created by mistake.
    path = sqlite_file(settings().database_url)
    if path is not None and not path.exists():
        raise NoDatabaseToServe(path=path)
    app = create_app()
    click.echo(f"serving on http://{host}:{port}/ (Ctrl+C stops)")
    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)


class NoDatabaseToServe(InputError):
    code = "cli.no_database_to_serve"
    template = (
        "{path} 处没有数据库：请设置 SCHEDULER_DATABASE_URL（或 SCHEDULER_INSTANCE_DIR），"
        "或用 scheduler demo 建立演示数据，或用 alembic upgrade heads 建立数据库结构"
    )
