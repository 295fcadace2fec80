"""Importing a session's list: a job row that any worker can report on, checked first, stored all at once.

A file with any bad row imports nothing. Rows are stored with bulk inserts, so 5,000 cases take seconds.
"""

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select

from engage.accounts.models import Department
from engage.core import audit
from engage.core.errors import NotAllowed, NotFound, ValidationFailed
from engage.core.timeutil import china_date, utcnow
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

log = logging.getLogger(__name__)
BATCH = 500


def create_job(kind: str, session_name: str, filename: str, *, actor, now: datetime) -> ImportJob:
    """A queued import; the caller saves the file under ``upload_path(job)`` and runs it."""
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
                    created_by_id=getattr(actor, "id", None), created_at=now)
    db.session.add(job)
    db.session.flush()
    return job


def get_job(job_id: int, *, actor, now: datetime) -> ImportJob:
    """An import for the supervising office, settled first if its worker died (see ``settle_if_stale``).

    :raises NotAllowed: the actor is not of the supervising office
    :raises NotFound: there is no such import
    """
    if not permissions.is_supervisor(actor):
        raise NotAllowed()
    job = db.session.get(ImportJob, job_id)
    if job is None:
        raise NotFound()
    return settle_if_stale(job, now)


def upload_path(job: ImportJob, folder: str) -> Path:
    extension = job.filename.rsplit(".", 1)[-1].lower() if "." in job.filename else "bin"
    return Path(folder) / "proposal-imports" / f"{job.id}.{extension}"


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
        return _fail(job, [RowError(0, "file", error.message, error.params)], now)
    if len(table) > config["PROPOSAL_IMPORT_MAX_ROWS"]:
        message = N_("The file has %(count)d rows; at most %(max)d can be imported at once.")
        return _fail(job, [RowError(0, "file", message, {"count": len(table),
                                                            "max": config["PROPOSAL_IMPORT_MAX_ROWS"]})], now)
    job.total_rows, job.state = len(table), ImportState.VALIDATING
    report(ImportState.VALIDATING, 0, len(table))
    lookups = lookups_for(job.kind, job.session_name, china_date(now))
    rows, errors = check_rows(table, lookups, lambda done: report(ImportState.VALIDATING, done, len(table)))
    if errors:
        return _fail(job, errors, now)
    if not rows:
        return _fail(job, [RowError(0, "file", N_("The file holds no cases."))], now)
    job.state = ImportState.IMPORTING
    report(ImportState.IMPORTING, 0, len(rows))
    store_rows(rows, job, actor=actor, now=now, config=config,
               progress=lambda done: report(ImportState.IMPORTING, done, len(rows)))
    job.state, job.imported_rows, job.processed_rows, job.finished_at = ImportState.DONE, len(rows), len(rows), now
    audit.record("proposal.imported", job, actor=actor, now=now, rows=len(rows), session=job.session_name)
    db.session.flush()
    return job


def _fail(job: ImportJob, errors: list[RowError], now: datetime) -> ImportJob:
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


# ---- running in the background -------------------------------------------------------------------------

#: an import still running after this long was cut off (its worker restarted); its transaction rolled back
STALE_AFTER = timedelta(minutes=15)


def settle_if_stale(job: ImportJob, now: datetime) -> ImportJob:
    """Mark an import whose worker died as failed, so its page stops waiting; nothing of it was stored."""
    if job.state in (ImportState.QUEUED, ImportState.VALIDATING, ImportState.IMPORTING) \
            and now - job.created_at > STALE_AFTER:
        _fail(job, [RowError(0, "file", N_("The import was interrupted. Nothing was imported; try again."))], now)
    return job



def start_in_background(app, job_id: int, data: bytes, actor_id: int | None, locale: str) -> threading.Thread:
    """Run the import in a thread of this worker; the job row (committed as it goes) tells every worker.

    ``locale`` is the uploader's language, for anything the import says while it runs; the problems found are
    stored as message ids and shown in the language of whoever reads them.
    """
    thread = threading.Thread(target=_run_job, args=(app, job_id, data, actor_id, locale), daemon=True,
                              name=f"proposal-import-{job_id}")
    thread.start()
    return thread


def _run_job(app, job_id: int, data: bytes, actor_id: int | None, locale: str) -> None:
    from engage.accounts.models import User

    # A write context, so that on SQLite every transaction here takes the write lock up front (BEGIN IMMEDIATE,
    # see engage.core.engine): a deferred one that reads and then writes fails when a request wrote in between.
    with app.test_request_context("/staff/proposals/import", method="POST", query_string={"lang": locale}):
        job = db.session.get(ImportJob, job_id)
        actor = db.session.get(User, actor_id) if actor_id else None
        try:
            run_import(job, data, actor=actor, now=utcnow(), config=app.config,
                       progress=lambda state, done, total: _save_progress(job, state, done))
            db.session.commit()
        except Exception:
            log.exception("Import %s failed", job_id)
            db.session.rollback()
            job = db.session.get(ImportJob, job_id)
            _fail(job, [RowError(0, "file", N_("The import stopped because of an internal error. "
                                               "Nothing was imported; try again."))], utcnow())
            db.session.commit()
        finally:
            db.session.remove()


def _save_progress(job: ImportJob, state, done: int) -> None:
    """Checking commits its progress; storing runs in one transaction, so it only says when it begins."""
    job.state, job.processed_rows = state, done
    if state == ImportState.VALIDATING or done == 0:
        db.session.commit()
