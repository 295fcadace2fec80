"""Demo followers and a webhook, set up before anything is published, so the demo's own publications reach the
followers (their messages land in instance/outbox/). The webhook is registered switched off: its address is an
example where nothing listens; an administrator points it at a receiver and switches it on to try it."""

from datetime import datetime

from engage.accounts.models import Department, User
from engage.domain_events.models import EventType
from engage.extensions import db
from engage.subscriptions.models import ContactChannel, Frequency, Subscription, SubscriptionStatus, TargetKind
from engage.webhooks import services as webhooks

HOOK_URL = "http://127.0.0.1:5999/engage-events"
#: (department key, channel, contact, frequency)
FOLLOWERS = [
    ("market", ContactChannel.EMAIL, "chen.jing@example.cn", Frequency.IMMEDIATE),
    ("urban", ContactChannel.SMS, "13700001234", Frequency.DAILY),
]


def load(admin: User, departments: dict[str, Department], now: datetime) -> None:
    webhooks.save_hook(None, webhooks.HookFields(
        name="临江市政务服务平台（演示）", url=HOOK_URL, event_types=[str(t) for t in EventType], is_active=False),
        actor=admin, now=now)
    for key, channel, contact, frequency in FOLLOWERS:
        department = departments[key]
        # Confirmed as if the person had opened the link or typed the code.
        db.session.add(Subscription(
            target_kind=TargetKind.DEPARTMENT, target_id=department.id, target_title=department.name,
            channel=channel, contact=contact, language="zh", frequency=frequency,
            status=SubscriptionStatus.ACTIVE, created_at=now, confirmed_at=now))
    db.session.flush()
