"""What the OpenAPI document says about values: null where a record may hold none, strict types, the error answers.

tests/api/test_openapi_conformance.py checks the answers against the document; these tests pin the defects it
was written for, and the shared pieces that keep the document honest.
"""

import importlib
import pkgutil

import pytest
from marshmallow import fields

import engage
from engage.core.schemas import QueryFlag, Schema, StrictBoolean

ERROR_REF = {"$ref": "#/components/schemas/Error"}


@pytest.fixture
def spec(client, app) -> dict:
    return client.get("/api/v1/openapi.json").json


@pytest.mark.parametrize(("schema", "name"), [
    ("StaffCommentOut", "consented_at"), ("StaffCommentOut", "moderated_at"), ("StaffUnitOut", "opinion_due_on"),
    ("StaffCaseOut", "assigned_on"), ("StaffCaseOut", "due_on"), ("PeriodOut", "opens_at"),
    ("StaffConsultationOut", "published_at"),
])
def test_a_value_a_record_may_lack_is_nullable(spec, schema, name):
    assert spec["components"]["schemas"][schema]["properties"][name].get("nullable") is True


def test_a_value_every_record_has_is_not_nullable(spec):
    properties = spec["components"]["schemas"]["StaffCaseOut"]["properties"]
    assert "nullable" not in properties["title"] and "nullable" not in properties["id"]


def test_an_answer_made_from_a_model_promises_every_field(spec):
    schema = spec["components"]["schemas"]["StaffCommentOut"]
    assert set(schema["required"]) == set(schema["properties"])


@pytest.mark.parametrize(("path", "method"), [
    ("/api/v1/consultations/{consultation_id}/comments", "post"),
    ("/api/v1/events/{event_id}/registrations", "post"),
    ("/api/v1/consultations", "post"),
])
def test_an_operation_with_a_body_documents_the_body_errors(spec, path, method):
    responses = spec["paths"][path][method]["responses"]
    assert {"400", "415", "422"} <= set(responses)
    assert "default" not in responses  # a catch-all would let any status pass as documented


@pytest.mark.parametrize("status", ["BAD_REQUEST", "UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "CONFLICT",
                                    "UNSUPPORTED_MEDIA_TYPE", "UNPROCESSABLE_ENTITY", "TOO_MANY_REQUESTS"])
def test_every_error_answer_has_the_error_body_and_says_what_it_means(spec, status):
    response = spec["components"]["responses"][status]
    assert response["content"]["application/json"]["schema"] == ERROR_REF
    assert len(response["description"]) > 30  # more than the bare reason phrase


def test_the_error_body_promises_its_code_and_message(spec):
    assert set(spec["components"]["schemas"]["Error"]["required"]) == {"code", "message"}


def test_lengths_checked_by_the_sign_up_service_are_documented(spec):
    name = spec["components"]["schemas"]["RegistrationIn"]["properties"]["name"]
    assert (name["minLength"], name["maxLength"]) == (1, 50)


@pytest.mark.parametrize("consent", [0, 1, "true", "yes", None])
def test_a_boolean_takes_only_true_or_false(client, open_consultation, consent):
    answer = client.post(f"/api/v1/consultations/{open_consultation.id}/comments",
                         json={"body": "建议延长开放时间。", "consent": consent})
    assert answer.status_code == 422 and "consent" in answer.json["errors"]


@pytest.mark.parametrize(("value", "status"), [("true", 200), ("false", 200), ("yes", 422), ("1", 422)])
def test_a_query_flag_is_true_or_false(client, app, value, status):
    assert client.get("/api/v1/events", query_string={"seats_left": value}).status_code == status


@pytest.mark.parametrize(("article", "status"), [(1.5, 422), (2.5890419884777833e-42, 422), (1.0, 201)])
def test_a_whole_number_refuses_a_fraction(client, open_consultation, article, status):
    answer = client.post(f"/api/v1/consultations/{open_consultation.id}/comments",
                         json={"body": "建议延长开放时间。", "article": article})
    assert answer.status_code == status, answer.json


def _all_schemas() -> list[type]:
    for module in pkgutil.walk_packages(engage.__path__, "engage."):
        if module.name.endswith("schemas"):
            importlib.import_module(module.name)
    found, todo = [], [Schema]
    while todo:
        found.append(todo.pop())
        todo += found[-1].__subclasses__()
    return found


def test_every_boolean_a_client_sends_is_strict():
    # marshmallow's own Boolean takes 0, 1, "yes" or "off": a body or a query would accept what the document refuses.
    loose = [f"{cls.__module__}.{cls.__name__}.{name}" for cls in _all_schemas() if not cls.__name__.endswith("Out")
             for name, field in cls._declared_fields.items()
             if isinstance(field, fields.Boolean) and not isinstance(field, StrictBoolean | QueryFlag)]
    assert len(_all_schemas()) > 50 and not loose
