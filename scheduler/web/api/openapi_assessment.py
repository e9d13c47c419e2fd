"""The OpenAPI path of the assessment (scheduler.web.api.assessment) and the schemas of its answer."""

from __future__ import annotations

from scheduler.attendance.assessment import COUNTS
from scheduler.attendance.grades import GRADES, REASON_TEMPLATES
from scheduler.web.api.openapi_operations import PLANNERS, operation
from scheduler.web.api.openapi_schemas import BOOL, ID, INT, STR, Schema, array, enum, nullable, obj, ref

GRADE: Schema = enum(GRADES)


def assessment_schemas() -> dict[str, Schema]:
    return {
        "GradeReason": obj(
            {
                "code": enum(tuple(REASON_TEMPLATES)),
                "params": {"type": "object", "additionalProperties": INT},
                "text": STR,
            }
        ),
        "AssessedLawyer": obj(
            {
                "lawyer_id": ID,
                "name": STR,
                "licence_no": STR,
                "firm": STR,
                "counts": obj({count: INT for count in COUNTS}),
                "flagged": BOOL,
                "grade": nullable(GRADE),
                "computed": nullable(GRADE),
                "override": nullable(GRADE),
                "override_reason": STR,
                "reasons": array(ref("GradeReason")),
            }
        ),
        "Assessment": obj(
            {
                "year": INT,
                "graded": BOOL,
                "lawyers": array(ref("AssessedLawyer")),
                "commendation": obj({"lawyer_ids": array(ID), "firms": array(STR)}),
            }
        ),
    }


def assessment_paths() -> dict[str, dict[str, Schema]]:
    year: Schema = {
        "name": "year",
        "in": "path",
        "required": True,
        "description": "The year assessed (2000-2100).",
        "schema": {"type": "integer", "minimum": 2000, "maximum": 2100},
    }
    return {
        "/assessment/{year}": {
            "get": operation(
                "getAssessment",
                "The year's assessment: each lawyer's counts and grade, and the lawyers and firms proposed for "
                "commendation (grade null until computed; a scoped planner sees their offices' lawyers)",
                "assessment",
                (200, "The assessment.", ref("Assessment")),
                roles=PLANNERS,
                parameters=(year,),
                errors=(404,),
            )
        }
    }
