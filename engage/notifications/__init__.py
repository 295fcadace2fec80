"""Notifications: a durable outbox of e-mail and SMS messages, delivered by background jobs.

Work in progress (issue 10). Present so far: ``rules`` (retry back-off, SMS segments, per-recipient limits,
contact masking) and ``models`` (OutboxMessage, DeliveryAttempt, Suppression). The planned public API is
``queue_message(channel=, recipient=, template=, language=, context=, about=, transactional=True)``, called
inside the business transaction; the delivery job is enqueued after commit and carries only the row id.
"""
