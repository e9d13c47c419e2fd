"""The API's changes: proposals (swap, cover, repair) and lawyers' swap requests."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.api.conftest import County, Headers, errors_of, swap_pair


def _propose(client: FlaskClient, headers: Headers, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/v1/proposals", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    proposal: dict[str, Any] = response.get_json()
    return proposal


def test_a_swap_proposal_is_computed_and_changes_nothing_until_accepted(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    clerk = basic("clerk")
    body = swap_pair(county)
    proposal = _propose(client, clerk, body)
    assert (proposal["kind"], proposal["state"], proposal["base_version"]) == ("swap", "open", 1)
    assert {c["duty_id"] for c in proposal["changes"]} == {body["duty_id"], body["other_duty_id"]}
    assert proposal["evaluation"]["new_violations"] == []
    assert client.get(f"/api/v1/proposals/{proposal['id']}", headers=clerk).get_json() == proposal
    assert [r["version"] for r in client.get("/api/v1/rosters", headers=clerk).get_json()] == [1]


def test_accepting_a_proposal_publishes_the_next_version(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    clerk = basic("clerk")
    proposal = _propose(client, clerk, swap_pair(county))
    response = client.post(f"/api/v1/proposals/{proposal['id']}/accept", headers=clerk)
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert answer["proposal"]["state"] == "accepted"
    assert answer["roster"]["version"] == 2 and answer["proposal"]["result_roster_id"] == answer["roster"]["id"]


def test_a_proposal_made_on_a_superseded_version_is_a_409(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    clerk = basic("clerk")
    first = _propose(client, clerk, swap_pair(county))
    duty = county.duty_ids[-1]
    stale = _propose(
        client,
        clerk,
        {"kind": "cover", "duty_id": duty, "lawyer_out_id": county.team[duty][0], "lawyer_in_id": county.off(duty)[0]},
    )
    assert client.post(f"/api/v1/proposals/{first['id']}/accept", headers=clerk).status_code == 200
    response = client.post(f"/api/v1/proposals/{stale['id']}/accept", headers=clerk)
    assert response.status_code == 409
    assert "当前为第 2 版" in response.get_json()["message"]


def test_a_decided_proposal_cannot_be_decided_again(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    clerk = basic("clerk")
    proposal = _propose(client, clerk, swap_pair(county))
    discarded = client.post(f"/api/v1/proposals/{proposal['id']}/discard", headers=clerk)
    assert discarded.status_code == 200 and discarded.get_json()["state"] == "discarded"
    assert client.post(f"/api/v1/proposals/{proposal['id']}/discard", headers=clerk).status_code == 409
    assert client.post(f"/api/v1/proposals/{proposal['id']}/accept", headers=clerk).status_code == 409


def _breaking_cover(client: FlaskClient, headers: Headers, county: County) -> dict[str, Any]:
    """A cover that puts on the second duty a lawyer who is unavailable that day (a hard rule)."""
    duty = county.duty_ids[1]
    newcomer = county.off(duty)[0]
    response = client.post(
        "/api/v1/unavailability",
        json={"lawyer_id": newcomer, "start": "2026-03-11", "end": "2026-03-11", "reason": "开庭"},
        headers=headers,
    )
    assert response.status_code == 201
    body = {"kind": "cover", "duty_id": duty, "lawyer_out_id": county.team[duty][0], "lawyer_in_id": newcomer}
    proposal = _propose(client, headers, body)
    assert proposal["evaluation"]["new_violations"], proposal
    return proposal


def test_a_proposal_that_breaks_a_hard_rule_needs_a_planners_override(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    clerk, planner = basic("clerk"), basic("planner")
    proposal = _breaking_cover(client, clerk, county)
    accept = f"/api/v1/proposals/{proposal['id']}/accept"
    assert client.post(accept, headers=clerk).status_code == 409
    assert client.post(accept, json={"override_reason": "局长批准"}, headers=clerk).status_code == 403
    response = client.post(accept, json={"override_reason": "局长批准"}, headers=planner)
    assert response.status_code == 200 and response.get_json()["roster"]["version"] == 2


def test_a_cover_fills_an_open_place_only_when_there_is_one(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    duty = county.duty_ids[0]
    body = {"kind": "cover", "duty_id": duty, "lawyer_in_id": county.off(duty)[0]}
    response = client.post("/api/v1/proposals", json=body, headers=basic("clerk"))
    assert response.status_code == 400 and "没有空缺" in response.get_json()["message"]


def test_bad_proposals_name_each_bad_field(client: FlaskClient, basic: Callable[..., Headers]) -> None:
    clerk = basic("clerk")
    swap = {"kind": "swap", "duty_id": "1", "lawyer_id": 0, "other_duty_id": 2**31, "reason": "x" * 501}
    assert set(errors_of(client.post("/api/v1/proposals", json=swap, headers=clerk))) == {
        "duty_id",
        "lawyer_id",
        "other_duty_id",
        "other_lawyer_id",
        "reason",
    }
    cover = {"kind": "cover", "duty_id": 1, "lawyer_in_id": 1.5, "lawyer_out_id": "x", "other_duty_id": 1}
    assert set(errors_of(client.post("/api/v1/proposals", json=cover, headers=clerk))) == {
        "lawyer_in_id",
        "lawyer_out_id",
        "other_duty_id",
    }
    assert set(errors_of(client.post("/api/v1/proposals", json={"kind": "trade"}, headers=clerk))) == {
        "kind",
        "duty_id",
    }
    same = {"kind": "swap", "duty_id": 1, "lawyer_id": 1, "other_duty_id": 1, "other_lawyer_id": 2}
    assert set(errors_of(client.post("/api/v1/proposals", json=same, headers=clerk))) == {"other_duty_id"}


@pytest.mark.parametrize(
    ("data", "content_type", "field"),
    [
        ("", "application/json", "body"),
        ("[1, 2]", "application/json", "body"),
        ("{not json", "application/json", "body"),
        ('{"kind": "swap"}', "text/plain", "Content-Type"),
        (b"\xff\xfe{", "application/json", "body"),
        ("[" * 100_000, "application/json", "body"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_a_400(
    client: FlaskClient, basic: Callable[..., Headers], data: str | bytes, content_type: str, field: str
) -> None:
    response = client.post("/api/v1/proposals", data=data, content_type=content_type, headers=basic("clerk"))
    assert set(errors_of(response)) == {field}


def test_a_proposal_naming_an_unknown_duty_or_lawyer_is_a_404(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    clerk = basic("clerk")
    duty = county.duty_ids[0]
    unknown_duty = {"kind": "cover", "duty_id": 4242, "lawyer_in_id": county.lawyer_ids[0]}
    unknown_lawyer = {"kind": "cover", "duty_id": duty, "lawyer_out_id": county.team[duty][0], "lawyer_in_id": 4242}
    assert client.post("/api/v1/proposals", json=unknown_duty, headers=clerk).status_code == 404
    assert client.post("/api/v1/proposals", json=unknown_lawyer, headers=clerk).status_code == 404
    assert client.get("/api/v1/proposals/4242", headers=clerk).status_code == 404
    assert client.post("/api/v1/proposals/4242/accept", headers=clerk).status_code == 404


def test_lawyers_may_not_propose_or_decide_changes(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    lawyer = basic("lawyer", lawyer_id=county.lawyer_ids[0])
    assert client.post("/api/v1/proposals", json=swap_pair(county), headers=lawyer).status_code == 403
    assert client.post("/api/v1/proposals/1/accept", headers=lawyer).status_code == 403
    assert client.get("/api/v1/proposals/1", headers=lawyer).status_code == 403


# --- swap requests ---------------------------------------------------------------------------------


def _offer(
    client: FlaskClient, county: County, basic: Callable[..., Headers]
) -> tuple[dict[str, Any], Headers, Headers]:
    """Lawyer A offers their first duty to lawyer B, who is off it; returns the request and both lawyers' headers."""
    duty = county.duty_ids[0]
    a, b = county.team[duty][0], county.off(duty)[0]
    mine, theirs = basic("lawyer", lawyer_id=a), basic("lawyer", lawyer_id=b)
    response = client.post(
        "/api/v1/swap-requests", json={"duty_id": duty, "to_lawyer_id": b, "message": "家中有事"}, headers=mine
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json(), mine, theirs


def test_a_swap_request_goes_from_offer_to_acceptance_to_approval(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    request, _mine, theirs = _offer(client, county, basic)
    assert (request["state"], request["expires_on"]) == ("proposed", "2026-03-04")
    accepted = client.post(f"/api/v1/swap-requests/{request['id']}/accept", headers=theirs)
    assert accepted.status_code == 200 and accepted.get_json()["state"] == "accepted"
    clerk = basic("clerk")
    approved = client.post(f"/api/v1/swap-requests/{request['id']}/approve", headers=clerk)
    assert approved.status_code == 200 and approved.get_json()["state"] == "approved"
    duties = client.get("/api/v1/duties?from=2026-03-04&to=2026-03-04").get_json()
    assert request["to_lawyer_id"] in [lw["id"] for lw in duties[0]["lawyers"]]
    assert duties[0]["roster"]["version"] == 2


def test_the_colleague_may_decline_and_the_requester_withdraw(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    declined, _mine, theirs = _offer(client, county, basic)
    response = client.post(f"/api/v1/swap-requests/{declined['id']}/decline", headers=theirs)
    assert response.get_json()["state"] == "declined"
    withdrawn, mine, _theirs = _offer(client, county, basic)
    assert client.post(f"/api/v1/swap-requests/{withdrawn['id']}/withdraw", headers=mine).get_json()["state"] == (
        "withdrawn"
    )
    assert client.post(f"/api/v1/swap-requests/{withdrawn['id']}/accept", headers=theirs).status_code == 409


def test_each_side_of_a_swap_request_does_only_its_own_part(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    request, mine, theirs = _offer(client, county, basic)
    assert client.post(f"/api/v1/swap-requests/{request['id']}/accept", headers=mine).status_code == 403
    assert client.post(f"/api/v1/swap-requests/{request['id']}/withdraw", headers=theirs).status_code == 403
    assert client.post(f"/api/v1/swap-requests/{request['id']}/approve", headers=mine).status_code == 403
    # Only an accepted request can be decided.
    assert client.post(f"/api/v1/swap-requests/{request['id']}/approve", headers=basic("clerk")).status_code == 409


def test_a_swap_request_is_private_to_the_two_lawyers_and_staff(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    request, mine, theirs = _offer(client, county, basic)
    path = f"/api/v1/swap-requests/{request['id']}"
    outsider_id = next(lw for lw in county.lawyer_ids if lw not in (request["from_lawyer_id"], request["to_lawyer_id"]))
    outsider = basic("lawyer", lawyer_id=outsider_id)
    assert client.get(path, headers=mine).status_code == 200
    assert client.get(path, headers=theirs).status_code == 200
    assert client.get(path, headers=basic("clerk")).status_code == 200
    assert client.get(path, headers=outsider).status_code == 404
    assert client.post(f"{path}/accept", headers=outsider).status_code == 404


def test_a_lawyer_can_offer_only_their_own_duty(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    duty = county.duty_ids[0]
    stranger = county.off(duty)[0]
    lawyer = basic("lawyer", lawyer_id=stranger)
    body = {"duty_id": duty, "to_lawyer_id": county.team[duty][0]}
    response = client.post("/api/v1/swap-requests", json=body, headers=lawyer)
    assert response.status_code == 400 and "不在第 1 版排班的" in response.get_json()["message"]
    unknown = {"duty_id": duty, "to_lawyer_id": 4242}
    assert client.post("/api/v1/swap-requests", json=unknown, headers=lawyer).status_code == 404
    assert set(errors_of(client.post("/api/v1/swap-requests", json={"duty_id": -3}, headers=lawyer))) == {
        "duty_id",
        "to_lawyer_id",
    }


def test_an_exchange_of_duties_is_approved_as_a_swap(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    body = swap_pair(county)
    mine = basic("lawyer", lawyer_id=body["lawyer_id"])
    theirs = basic("lawyer", lawyer_id=body["other_lawyer_id"])
    offer = {
        "duty_id": body["duty_id"],
        "to_lawyer_id": body["other_lawyer_id"],
        "exchange_duty_id": body["other_duty_id"],
    }
    request = client.post("/api/v1/swap-requests", json=offer, headers=mine).get_json()
    assert request["exchange_duty_id"] == body["other_duty_id"]
    client.post(f"/api/v1/swap-requests/{request['id']}/accept", headers=theirs)
    approved = client.post(f"/api/v1/swap-requests/{request['id']}/approve", headers=basic("planner"))
    assert approved.get_json()["state"] == "approved"


def test_automatic_approval_applies_when_configured(
    app: Flask, client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    app.extensions["scheduler.settings"] = dataclasses.replace(
        app.extensions["scheduler.settings"], auto_approve_swaps=True
    )
    request, _mine, theirs = _offer(client, county, basic)
    accepted = client.post(f"/api/v1/swap-requests/{request['id']}/accept", headers=theirs)
    assert accepted.get_json()["state"] == "approved"
