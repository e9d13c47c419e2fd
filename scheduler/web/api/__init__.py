"""The JSON API under /api/v1. The blueprint and its error handling are in `blueprint`; the resources
in `directory`, `rosters` and `changes`; who may call what in `auth`; the OpenAPI document in `openapi`."""

from scheduler.web.api.blueprint import bp

__all__ = ["bp"]
