"""The operations of the OpenAPI document: how one is described (roles, errors, rules), shared by the
document's read paths (scheduler.web.api.openapi) and its registry writes (openapi_registry)."""

from __future__ import annotations

from typing import Any

from scheduler.web.api.openapi_schemas import ID, Schema, ref

# --- operations ----------------------------------------------------------------------------------

ERRORS = {
    400: ("Bad input: each bad field is named in errors.", "ValidationError"),
    401: ("Not signed in, or wrong Basic credentials.", "Error"),
    403: ("The account's role may not do this.", "Error"),
    404: ("No such resource.", "Error"),
    409: ("The change collides with a newer version or a rule.", "Error"),
    429: ("Too many failed sign-ins from this address, or the account is locked for a while (Retry-After).", "Error"),
    503: ("The solve could not be queued (the job queue did not answer); the job was marked failed.", "Error"),
}


def _json(schema: Schema) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def path_id(name: str, what: str) -> Schema:
    return {"name": name, "in": "path", "required": True, "description": f"The id of the {what}.", "schema": ID}


def operation(
    op_id: str,
    summary: str,
    tag: str,
    ok: tuple[int, str, Schema],
    *,
    roles: tuple[str, ...] = (),
    parameters: tuple[Schema, ...] = (),
    body: str | None = None,
    body_required: bool = True,
    errors: tuple[int, ...] = (),
    headers: dict[str, Schema] | None = None,
    rules: tuple[str, ...] = (),
) -> Schema:
    """An operation; 401 (wrong Basic credentials) and 429 may answer any request, 400 any that has input,
    403 any that needs a role (listed in the description).

    `rules` are what a schema cannot say: rules across fields (the models' x-rules) and the roster's own
    rules. They are listed as the operation's x-rules, and its 400 says that input of the right form that
    breaks one is refused too."""
    status, description, schema = ok
    codes = {401, 429, *errors}
    if parameters or body is not None:
        codes.add(400)
    if roles:
        codes.add(403)
    success: Schema = {"description": description, "content": _json(schema)}
    if headers:
        success["headers"] = {name: {"schema": value} for name, value in headers.items()}
    responses: dict[str, Any] = {str(status): success}
    for code in sorted(codes):
        text_, name = ERRORS[code]
        if code == 400 and rules:
            text_ = "Bad input, or input that breaks one of the operation's x-rules; each bad field is named in errors."
        responses[str(code)] = {"description": text_, "content": _json(ref(name))}
    op: Schema = {
        "operationId": op_id,
        "summary": summary,
        "tags": [tag],
        "description": f"Roles: {', '.join(roles)}." if roles else "Public: no sign-in needed.",
        "responses": responses,
        "security": [{"basicAuth": []}, {"sessionCookie": []}] if roles else [{}, {"basicAuth": []}],
    }
    if parameters:
        op["parameters"] = list(parameters)
    if rules:
        op["x-rules"] = list(rules)
    if body is not None:
        op["requestBody"] = {
            "required": body_required,
            "content": _json(ref(body)),
        }
    return op


STAFF = ("clerk", "planner", "admin")
PLANNERS = ("planner", "admin")
EVERYONE = (*STAFF, "lawyer")
OWN = (*STAFF, "lawyer (their own)")
