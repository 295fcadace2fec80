"""Notifications: a durable outbox of e-mail and SMS messages, delivered by background jobs.

A service that causes a message calls ``services.queue_message(...)`` inside its transaction: the message is
rendered (``templates/messages/<template>/``, in the person's language) and stored as a row. When the
transaction commits, the delivery job (``jobs.deliver_message``, carrying only the row's id) is enqueued; a
rollback sends nothing. A consumer claims the row (compare-and-set on its status), sends it through its
channel (``channels``: SMTP, the SMS platform, or files under ``instance/outbox/``), and records the attempt;
temporary faults are retried with back-off, refusals fail with the provider's reason, and the sweeper takes up
rows a killed consumer left behind.
"""
