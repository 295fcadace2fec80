"""Rules of adoption feedback: which answer applies, when a report may be published, the revision hash chain.

No Flask, no database: plain values in, plain values out.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

#: comment statuses that must be answered before a report is published (offline opinions are ``recorded``)
ANSWERABLE_STATUSES = ("published", "recorded")
#: what the first revision of a report chains to
GENESIS_HASH = ""


def effective_outcome(own_outcome, group_outcome):
    """A comment's own answer wins; otherwise its group's answer applies (None: not answered)."""
    return own_outcome or group_outcome


def effective_reason(own_outcome, own_reason: str, group_reason: str) -> str:
    return own_reason if own_outcome else group_reason


def publish_problems(unanswered: int, pending: int, explanation: str) -> list[str]:
    """Why a report cannot be published yet, as message keys (the services translate them)."""
    problems = []
    if unanswered:
        problems.append("unanswered")
    if pending:
        problems.append("pending")
    if not explanation.strip():
        problems.append("explanation")
    return problems


# ---- the hash chain ------------------------------------------------------------------------------------


def canonical(record: dict) -> bytes:
    """One byte string per record: sorted keys, no spaces, Chinese as UTF-8, so the hash never depends on layout."""
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def revision_record(*, consultation_id: int, number: int, content: dict, reason: str, changes: list,
                    published_at: datetime, published_by_name: str) -> dict:
    """Everything a revision's hash covers (times as ISO text in UTC)."""
    return {
        "consultation_id": consultation_id,
        "number": number,
        "content": content,
        "reason": reason,
        "changes": changes,
        "published_at": published_at.isoformat(),
        "published_by": published_by_name,
    }


def chain_hash(previous_hash: str, record: dict) -> str:
    """SHA-256 over the previous revision's hash and this revision's canonical record."""
    digest = hashlib.sha256()
    digest.update(previous_hash.encode())
    digest.update(b"\n")
    digest.update(canonical(record))
    return digest.hexdigest()


@dataclass(frozen=True)
class StoredRevision:
    number: int
    record: dict
    previous_hash: str
    content_hash: str


@dataclass(frozen=True)
class ChainCheck:
    valid: bool
    checked: int
    #: the first revision whose stored hash or link does not match, None when the chain holds
    broken_at: int | None = None
    problem: str = ""


def verify_chain(revisions: list[StoredRevision]) -> ChainCheck:
    """Recompute every hash in order; the first mismatch or missing link breaks the chain."""
    previous = GENESIS_HASH
    for expected_number, revision in enumerate(revisions, start=1):
        if revision.number != expected_number:
            return ChainCheck(False, expected_number - 1, expected_number, "missing")
        if revision.previous_hash != previous:
            return ChainCheck(False, expected_number - 1, revision.number, "link")
        if chain_hash(previous, revision.record) != revision.content_hash:
            return ChainCheck(False, expected_number - 1, revision.number, "content")
        previous = revision.content_hash
    return ChainCheck(True, len(revisions))


def answers_digest(answers) -> str:
    """SHA-256 over every comment's published answer, as (comment id, outcome, reason) in id order.

    Stored in the hashed report content, so a published answer altered later in the database is detected.
    """
    digest = hashlib.sha256()
    for comment_id, outcome, reason in answers:
        digest.update(canonical([comment_id, outcome or "", reason or ""]))
        digest.update(b"\n")
    return digest.hexdigest()


# ---- what changed between two revisions ----------------------------------------------------------------


def is_unchanged(published: dict, draft: dict) -> bool:
    """Whether a correction would repeat the published revision: same figures, explanation, groups and answers.

    A correction is a new revision only when something in it differs; an empty one would only add noise.
    """
    return canonical(published) == canonical(draft)


def describe_changes(old: dict | None, new: dict) -> list[dict]:
    """The differences between two revisions' content, as plain records a page can translate and show."""
    if old is None:
        return []
    changes = []
    if old.get("explanation") != new.get("explanation"):
        changes.append({"kind": "explanation"})
    if any(old.get(key) != new.get(key) for key in ("total", "channels", "outcomes")):
        changes.append({"kind": "counts"})
    changes += _group_changes(old.get("groups", []), new.get("groups", []))
    answers_changed = old.get("answers_digest") != new.get("answers_digest")
    if answers_changed and not any(change["kind"] == "group_answer" for change in changes):
        changes.append({"kind": "answers"})
    return changes


def _group_changes(old_list: list[dict], new_list: list[dict]) -> list[dict]:
    old_groups = {group["id"]: group for group in old_list}
    new_ids = {group["id"] for group in new_list}
    changes = []
    for group in new_list:
        before = old_groups.get(group["id"])
        if before is None:
            changes.append({"kind": "group_added", "title": group["title"]})
            continue
        if (before["outcome"], before["reason"]) != (group["outcome"], group["reason"]):
            changes.append({"kind": "group_answer", "title": group["title"], "before": before["outcome"],
                            "after": group["outcome"]})
        if (before["title"], before["size"]) != (group["title"], group["size"]):
            changes.append({"kind": "group_changed", "title": group["title"]})
    changes += [{"kind": "group_removed", "title": group["title"]} for group in old_list if group["id"] not in new_ids]
    return changes
