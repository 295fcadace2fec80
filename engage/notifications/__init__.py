"""Notifications: a durable outbox of e-mail and SMS messages, delivered by background jobs.

A service that causes a message calls ``services.queue_message(...)`` (or ``bulk.queue_messages`` for many)
inside its transaction: the message is rendered (``templates/messages/<template>/``, in the person's language)
and stored as a row. When the transaction commits, a delivery run (``jobs.deliver_due_messages``) is asked of
the queue; a rollback sends nothing. A consumer claims due rows in batches (compare-and-set on their status),
checks the per-recipient limits and unsubscriptions, sends each through its channel (``channels``: SMTP, the SMS
platform, or files under ``instance/outbox/``), and records every attempt (``delivery``); temporary faults are
retried with back-off, refusals fail with the provider's reason, and the sweeper takes up rows a killed
consumer left behind.
"""
