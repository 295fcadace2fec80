"""Domain events: one named record of each thing that happened (a consultation opened, a reply given), written in
the transaction that made it happen, and handed to every listener (subscriptions, webhooks) in that transaction.

A domain service calls ``emit(EventType.X, subject, now=now)`` once where the thing happens; what the event says
about its subject (``describe.py``) and who listens (``register_listeners`` in the app factory) live here, so the
services stay unaware of who follows them.
"""

from engage.domain_events.bus import emit, listen

__all__ = ["emit", "listen"]
