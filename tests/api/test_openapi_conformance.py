"""The API keeps the word its OpenAPI document gives: schemathesis sends every operation valid and invalid requests.

Two kinds of requests, both repeatable:

- schemathesis' coverage cases: for each operation, every field at its bounds and, one field at a time, every kind
  of wrong value (wrong type, null, too long, out of range, missing, unknown), on real records;
- a fixed-seed sample of generated requests, valid and invalid, on real records and on generated ids, sent
  anonymously, with a department's staff token and with an administrator's.

Any server error, an undocumented status, an answer whose body breaks the document, or an invalid request that
is accepted, fails the test, with a curl command for each distinct failure.
"""

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import hypothesis
import pytest
import schemathesis
from flask import current_app
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation import GenerationMode
from schemathesis.generation.drivers import CoverageGenerator
from schemathesis.generation.feedback import NO_FEEDBACK
from schemathesis.generation.overrides import Override
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from engage.accounts import services as accounts
from engage.core.timeutil import utcnow
from engage.extensions import db, limiter
from engage.feedback import grouping_runs
from engage.feedback.models import OpinionGroup
from engage.identities import services as identities
from engage.notifications.models import OutboxMessage
from engage.webhooks import services as webhooks
from tests.fixtures.events import sign_up

SEED = 20261203
#: generated requests per operation and caller; the coverage cases come on top
EXAMPLES = 12
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]


def _token(user) -> dict:
    _record, token = accounts.create_api_token(user, name="schemathesis", now=utcnow())
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def real_ids(open_consultation, answered_consultation, open_event, assigned_case, comments_of, admin) -> dict:
    """Records behind the path parameters, so that requests get past the 404: the choices for each parameter."""
    registration = sign_up(open_event)  # its confirmation SMS is an outbox message
    hook = webhooks.save_hook(None, webhooks.HookFields(name="receiver", url="http://127.0.0.1:9/hook",
                                                        event_types=["event.published"]), actor=admin, now=utcnow())
    run = grouping_runs.request_run(answered_consultation, actor=answered_consultation.created_by, now=utcnow())
    identity = identities.map_identity(issuer="https://id.example.gov.cn", subject="sub-1", user=admin, actor=admin,
                                       now=utcnow())
    db.session.commit()
    return {
        "consultation_id": [open_consultation.id, answered_consultation.id],
        "receipt_number": [comments_of(answered_consultation)[0].receipt_number],
        "group_id": [db.session.scalar(db.select(OpinionGroup.id))],
        "event_id": [open_event.id],
        "code": [registration.code],
        "proposal_id": [assigned_case.id],
        "session_id": [assigned_case.session_id],
        "year": [date.today().year],
        "message_id": [db.session.scalar(db.select(OutboxMessage.id))],
        "run_id": [run.id],
        "hook_id": [hook.id],
        "identity_id": [identity.id],
    }


@pytest.fixture
def callers(staff, admin) -> dict:
    return {"anonymous": {}, "staff": _token(staff), "admin": _token(admin)}


@dataclass
class Findings:
    #: each distinct failure once, with a command that repeats it
    failures: dict = field(default_factory=dict)
    #: operation -> the statuses it answered
    statuses: defaultdict = field(default_factory=lambda: defaultdict(set))


def _send(case, findings: Findings) -> None:
    try:
        # A context of its own, as each request has in production: the fixture's would share ``g`` (and the
        # caller it remembers) between requests.
        with current_app.app_context():
            response = case.call()
            findings.statuses[case.operation.label].add(response.status_code)
            case.validate_response(response, checks=CHECKS)
    except FailureGroup as group:
        for failure in group.exceptions:
            key = (case.operation.label, failure.title, failure.message)
            findings.failures.setdefault(
                key, f"{key[0]}: {failure.title}\n{failure.message}\n{case.as_curl_command()}")
    finally:
        limiter.reset()  # the limits have tests of their own; here they would only stop the requests


def _real_path_parameters(operation, ids: dict) -> list[dict]:
    names = [p.name for p in operation.path_parameters]
    return [dict(zip(names, values, strict=True)) for values in itertools.product(*(ids[name] for name in names))]


def _send_coverage_cases(operation, ids: dict, headers: dict, findings: Findings) -> None:
    generator = CoverageGenerator(
        operation=operation, generation_modes=list(GenerationMode),
        generation_config=operation.schema.config.generation, auth_storage=None, feedback=NO_FEEDBACK,
        override=Override(headers=headers),
    )
    for case in generator:
        path = case.meta.components.get(ParameterLocation.PATH)
        if path is not None and path.mode is GenerationMode.NEGATIVE:
            _send(case, findings)  # a wrong id: the route or the record is not found
            continue
        for path_parameters in _real_path_parameters(operation, ids):
            case.path_parameters = path_parameters
            _send(case, findings)


def _generated_cases(operation, ids: dict, headers: dict):
    """Valid and invalid requests on real records, and valid ones on generated ids (mostly unknown: 404)."""
    real = st.sampled_from(_real_path_parameters(operation, ids))
    return st.one_of(
        real.flatmap(lambda fixed: operation.as_strategy(GenerationMode.POSITIVE, path_parameters=fixed,
                                                         headers=headers)),
        real.flatmap(lambda fixed: operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=fixed,
                                                         headers=headers)),
        operation.as_strategy(GenerationMode.POSITIVE, headers=headers),
    )


def _send_generated_cases(operation, ids: dict, headers: dict, findings: Findings) -> None:
    @hypothesis.seed(SEED)
    @hypothesis.settings(max_examples=EXAMPLES, deadline=None, database=None,
                         phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @hypothesis.given(case=_generated_cases(operation, ids, headers))
    def send(case):
        _send(case, findings)

    send()


def test_every_operation_keeps_to_the_document(app, real_ids, callers):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 40  # guards against a document that lost its paths
    findings = Findings()
    for operation in operations:
        # The coverage cases go as the caller who gets furthest: staff endpoints' checks come before the body's.
        caller = callers["admin" if "security" in operation.definition.raw else "anonymous"]
        _send_coverage_cases(operation, real_ids, caller, findings)
        for headers in callers.values():
            _send_generated_cases(operation, real_ids, headers, findings)
    failures = findings.failures
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures.values())
    # Answers that all stop at the door (a token refused, no record found) would conform without testing anything.
    stopped = {op.label for op in operations if findings.statuses[op.label] <= {401, 404, 405}}
    assert not stopped, f"no request got past authentication and lookup: {sorted(stopped)}"
