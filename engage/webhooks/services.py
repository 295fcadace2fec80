"""Registering webhooks, and turning each domain event into one signed delivery per hook that wants it."""

import json
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from engage.accounts import permissions as accounts
from engage.core.errors import NotAllowed, NotFound, ValidationFailed
from engage.core.pagination import Page, paginate
from engage.domain_events.models import DomainEvent, EventType
from engage.extensions import db
from engage.notifications import services as outbox
from engage.notifications.models import Channel, OutboxMessage
from engage.webhooks import signing
from engage.webhooks.models import Webhook

#: the outbox template name of webhook rows (they are not rendered from a folder: the body is the JSON)
TEMPLATE = "webhook"
SECRET_MIN = 16


@dataclass
class HookFields:
    name: str
    url: str
    event_types: list[str] = field(default_factory=list)
    #: empty: a new hook gets a generated secret, an existing one keeps its own
    secret: str = ""
    is_active: bool = True


def can_manage_webhooks(user) -> bool:
    """Administrators only: a hook's secret lets anyone sign deliveries as Engage."""
    return accounts.is_admin(user)


def require_manager(actor) -> None:
    if not can_manage_webhooks(actor):
        raise NotAllowed()


def list_hooks(*, actor) -> list[Webhook]:
    require_manager(actor)
    return db.session.scalars(sa.select(Webhook).order_by(Webhook.id)).all()


def get_hook(hook_id: int, *, actor) -> Webhook:
    require_manager(actor)
    hook = db.session.get(Webhook, hook_id)
    if hook is None:
        raise NotFound()
    return hook


def _problems(fields: HookFields) -> dict:
    problems: dict = {}
    if not fields.name.strip():
        problems["name"] = [_l("Give the hook a name, e.g. the receiving system's.")]
    elif len(fields.name.strip()) > 100:
        problems["name"] = [_l("At most %(n)d characters.", n=100)]
    parts = urlsplit(fields.url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        problems["url"] = [_l("Enter the receiver's full address, starting with https:// (or http://).")]
    elif len(fields.url.strip()) > 254:
        problems["url"] = [_l("At most %(n)d characters.", n=254)]
    known = {event_type.value for event_type in EventType}
    if not fields.event_types or not set(fields.event_types) <= known:
        problems["event_types"] = [_l("Choose at least one kind of event.")]
    if fields.secret and not SECRET_MIN <= len(fields.secret) <= 100:
        problems["secret"] = [_l("A secret has %(low)d to %(high)d characters; leave it empty to have one made.",
                                 low=SECRET_MIN, high=100)]
    return problems


def save_hook(hook: Webhook | None, fields: HookFields, *, actor, now: datetime) -> Webhook:
    """Register a hook (``hook`` None) or change one.

    :raises ValidationFailed: no name, an address that is not http(s), no known event type, a short secret
    """
    require_manager(actor)
    problems = _problems(fields)
    if problems:
        raise ValidationFailed(problems)
    if hook is None:
        hook = Webhook(created_at=now, created_by_id=actor.id, secret=fields.secret or signing.new_secret())
        db.session.add(hook)
    elif fields.secret:
        hook.secret = fields.secret
    hook.name, hook.url = fields.name.strip(), fields.url.strip()
    hook.event_types = [event_type.value for event_type in EventType if event_type.value in fields.event_types]
    hook.is_active, hook.updated_at = fields.is_active, now
    db.session.flush()
    return hook


def delete_hook(hook: Webhook, *, actor) -> None:
    """Remove a hook; deliveries still waiting fail for good (the sender finds no hook), the log is kept."""
    require_manager(actor)
    db.session.delete(hook)
    db.session.flush()


def _deliveries_statement(hook: Webhook):
    return (sa.select(OutboxMessage).where(OutboxMessage.channel == Channel.WEBHOOK,
                                           OutboxMessage.about_type == Webhook.__tablename__,
                                           OutboxMessage.about_id == hook.id)
            .order_by(OutboxMessage.id.desc()))


def list_deliveries(hook: Webhook, *, actor, page: int = 1, per_page: int = 20) -> Page:
    """The hook's deliveries newest first; each row's history holds every try and the receiver's answers."""
    require_manager(actor)
    return paginate(db.session, _deliveries_statement(hook), page, per_page)


def last_answer(message: OutboxMessage) -> str:
    """The receiver's last answer (``HTTP 200: ok``) or why the last try failed."""
    for attempt in reversed(message.attempt_history):
        if attempt.detail:
            return attempt.detail
    return ""


# ---- deliveries ----------------------------------------------------------------------------------------------


def body_of(event: DomainEvent) -> str:
    """The JSON every hook receives for ``event`` (docs/WEBHOOKS.md)."""
    return json.dumps({"id": event.id, "type": event.name,
                       "occurred_at": event.occurred_at.isoformat().replace("+00:00", "Z"), "data": event.data},
                      ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def on_domain_event(event: DomainEvent, subject) -> None:
    """Queue one delivery of ``event`` per active hook that asked for its type, in the event's transaction."""
    hooks = [hook for hook in db.session.scalars(sa.select(Webhook).where(Webhook.is_active)).all()
             if event.name in hook.event_types]
    if not hooks:
        return
    body = body_of(event)
    for hook in hooks:
        outbox.queue_message(channel=Channel.WEBHOOK, recipient=hook.url, template=TEMPLATE,
                             params={"event": event.name, "event_id": event.id, "body": body}, about=hook,
                             transactional=True, language="en", now=event.occurred_at)
