"""Importing a session's list: a job row that any worker can report on, checked first, stored all at once.

A file with any bad row imports nothing. Rows are stored with bulk inserts, so 5,000 cases take seconds.
The page's imports run on the job queue (``importing.tasks``); ``flask proposals import`` runs one at once.
"""

from collections.abc import Callable
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select

from engage.accounts.models import Department
from engage.core import audit
from engage.core.errors import NotAllowed, NotFound, ValidationFailed
from engage.core.timeutil import china_date
from engage.extensions import db
from engage.proposals import permissions, rules
from engage.proposals.importing.rows import N_, CaseRow, Lookups, RowError, UnreadableFile, check_rows, read_table
from engage.proposals.models import (
    HandlingRound,
    ImportJob,
    ImportState,
    Proposal,
    ProposalKind,
    ProposalSession,
    ProposalStatus,
    ProposalUnit,
    Proposer,
    StatusChange,
    UnitRole,
)
from engage.proposals.services import session_named
from engage.proposals.supervision import notices as unit_notices

BATCH = 500


def create_job(kind: str, session_name: str, filename: str, *, actor, now: datetime,
               data: bytes | None = None) -> ImportJob:
    """A queued import.

    :param data: the file, kept on the row for the consumer that will run it (``importing.tasks``); the CLI,
        which runs the import at once, passes the bytes to ``run_import`` instead
    """
    if actor is not None and not permissions.can_register(actor):
        raise NotAllowed()
    problems = {}
    if kind not in rules.KINDS:
        problems["kind"] = [_l("Choose whether the list holds suggestions or proposals.")]
    if not session_name.strip():
        problems["session"] = [_l("Give the session.")]
    if problems:
        raise ValidationFailed(problems)
    job = ImportJob(kind=ProposalKind(kind), session_name=session_name.strip(), filename=filename[:200],
                    created_by_id=getattr(actor, "id", None), created_at=now, data=data)
    db.session.add(job)
    db.session.flush()
    return job


def get_job(job_id: int, *, actor) -> ImportJob:
    """An import for the supervising office (one cut off by a dying consumer is taken up by the sweep).

    :raises NotAllowed: the actor is not of the supervising office
    :raises NotFound: there is no such import
    """
    if not permissions.is_supervisor(actor):
        raise NotAllowed()
    job = db.session.get(ImportJob, job_id)
    if job is None:
        raise NotFound()
    return job


def lookups_for(kind: str, session_name: str, today) -> Lookups:
    units: dict[str, int] = {}
    for department in db.session.scalars(select(Department).where(Department.is_active)):
        units[department.name] = department.id
        if department.name_en:
            units.setdefault(department.name_en, department.id)
    taken = set(db.session.scalars(
        select(Proposal.number).join(ProposalSession, Proposal.session_id == ProposalSession.id)
        .where(Proposal.kind == kind, ProposalSession.name == session_name.strip())
    ))
    return Lookups(units=units, taken_numbers=taken, today=today)


def run_import(job: ImportJob, data: bytes, *, actor, now: datetime, config,
               progress: Callable[[str, int, int], None] | None = None) -> ImportJob:
    """Read, check and (when every row is good) store the list; the job records the outcome.

    :param progress: called with (state, done, total) as the work goes on (the CLI draws its bar with it)
    :returns: the job, DONE with ``imported_rows`` or FAILED with ``errors`` (then nothing was stored)
    """
    report = progress or (lambda state, done, total: None)
    try:
        table = read_table(data, job.filename)
    except UnreadableFile as error:
        return fail(job, [RowError(0, "file", error.message, error.params)], now)
    if len(table) > config["PROPOSAL_IMPORT_MAX_ROWS"]:
        message = N_("The file has %(count)d rows; at most %(max)d can be imported at once.")
        return fail(job, [RowError(0, "file", message, {"count": len(table),
                                                            "max": config["PROPOSAL_IMPORT_MAX_ROWS"]})], now)
    job.total_rows, job.state = len(table), ImportState.VALIDATING
    report(ImportState.VALIDATING, 0, len(table))
    lookups = lookups_for(job.kind, job.session_name, china_date(now))
    rows, errors = check_rows(table, lookups, lambda done: report(ImportState.VALIDATING, done, len(table)))
    if errors:
        return fail(job, errors, now)
    if not rows:
        return fail(job, [RowError(0, "file", N_("The file holds no cases."))], now)
    job.state = ImportState.IMPORTING
    report(ImportState.IMPORTING, 0, len(rows))
    store_rows(rows, job, actor=actor, now=now, config=config,
               progress=lambda done: report(ImportState.IMPORTING, done, len(rows)))
    job.state, job.imported_rows, job.processed_rows, job.finished_at = ImportState.DONE, len(rows), len(rows), now
    audit.record("proposal.imported", job, actor=actor, now=now, rows=len(rows), session=job.session_name)
    db.session.flush()
    unit_notices.tell_imported(job.id, now=now)
    return job


def fail(job: ImportJob, errors: list[RowError], now: datetime) -> ImportJob:
    """Record the import as failed with its problems (nothing of it is stored)."""
    job.state, job.errors, job.finished_at = ImportState.FAILED, [e.as_dict() for e in errors], now
    db.session.flush()
    return job


def store_rows(rows: list[CaseRow], job: ImportJob, *, actor, now: datetime, config,
               progress: Callable[[int], None]) -> None:
    """Insert the checked rows in batches (bulk inserts: the ORM's unit of work is too slow for thousands)."""
    session = session_named(job.session_name, now)
    actor_id = getattr(actor, "id", None)
    for start in range(0, len(rows), BATCH):
        batch = rows[start:start + BATCH]
        case_ids = db.session.scalars(
            insert(Proposal).returning(Proposal.id, sort_by_parameter_order=True),
            [_case_values(row, job, session.id, actor_id, now, config) for row in batch],
        ).all()
        _insert_children(batch, case_ids, job.kind, actor_id, now, config)
        progress(start + len(batch))


def _case_values(row: CaseRow, job: ImportJob, session_id: int, actor_id, now: datetime, config) -> dict:
    assigned = bool(row.lead_unit_ids)
    return {
        "kind": job.kind, "session_id": session_id, "number": row.number, "title": row.title, "body": row.body,
        "category": row.category, "lead_proposer_name": row.proposers[0]["name"],
        "status": ProposalStatus.ASSIGNED if assigned else ProposalStatus.REGISTERED,
        "assigned_on": row.assigned_on if assigned else None,
        "due_on": rules.due_date(row.assigned_on, job.kind, config["PROPOSAL_DUE_MONTHS"]) if assigned else None,
        "lead_unit_id": row.lead_unit_ids[0] if assigned else None, "round_number": 1, "extension_reason": "",
        "reply_published": False, "created_at": now, "updated_at": now, "created_by_id": actor_id,
        "import_job_id": job.id,
    }


def _insert_children(batch: list[CaseRow], case_ids: list[int], kind: str, actor_id, now: datetime,
                     config) -> None:
    proposers, units, rounds, changes = [], [], [], []
    for row, case_id in zip(batch, case_ids, strict=True):
        for position, person in enumerate(row.proposers):
            proposers.append({"proposal_id": case_id, "name": person["name"], "is_lead": position == 0,
                              "position": position, "affiliation": person.get("affiliation", ""),
                              "phone": person.get("phone", ""), "email": person.get("email", ""), "address": ""})
        changes.append(_change(case_id, None, ProposalStatus.REGISTERED, "register", actor_id, now))
        if not row.lead_unit_ids:
            continue
        opinion_due = rules.add_months(row.assigned_on, config["PROPOSAL_CO_OPINION_MONTHS"])
        for role, ids in ((UnitRole.LEAD, row.lead_unit_ids), (UnitRole.CO, row.co_unit_ids)):
            units += [{"proposal_id": case_id, "department_id": unit_id, "role": role,
                       "assigned_on": row.assigned_on, "opinion_due_on": opinion_due if role == UnitRole.CO else None}
                      for unit_id in ids]
        due_on = rules.due_date(row.assigned_on, kind, config["PROPOSAL_DUE_MONTHS"])
        rounds.append({"proposal_id": case_id, "number": 1, "started_on": row.assigned_on, "due_on": due_on,
                       "reason": "", "extension_reason": ""})
        changes.append(_change(case_id, ProposalStatus.REGISTERED, ProposalStatus.ASSIGNED, rules.ASSIGN,
                               actor_id, now))
    for model, values in ((Proposer, proposers), (ProposalUnit, units), (HandlingRound, rounds),
                          (StatusChange, changes)):
        if values:
            db.session.execute(insert(model), values)


def _change(case_id: int, from_status, to_status, action: str, actor_id, now: datetime) -> dict:
    return {"proposal_id": case_id, "from_status": from_status, "to_status": to_status, "action": action,
            "round_number": 1, "reason": "", "actor_id": actor_id, "changed_at": now}
