"""What the outbox tells other domains, without knowing them."""

from blinker import Namespace

_signals = Namespace()

#: sent with ``channel``, ``recipient`` and ``now`` when a person unsubscribes in one click from a message
contact_unsubscribed = _signals.signal("contact-unsubscribed")
