"""Webhooks: a signed POST of the row's JSON body to the address an administrator registered (engage/webhooks).

The signature is HMAC-SHA256 over ``<unix time>.<body>`` with the hook's secret, made at each try (so a receiver
may refuse old timestamps): ``X-Engage-Signature: t=<unix time>,v1=<hex>``. ``X-Engage-Delivery`` is the row's
key, the same on every try, so a receiver that got a delivery drops a repeat. 2xx accepted; 410 Gone refused
for good (the receiver says it is gone); anything else, or no answer in time, is tried again.
"""

import time
import urllib.error
import urllib.request

from engage.extensions import db
from engage.notifications.channels import PermanentFailure, TemporaryFailure
from engage.webhooks import signing

#: how much of a receiver's answer the delivery log keeps
EXCERPT = 300


def _excerpt(raw: bytes) -> str:
    return raw[:EXCERPT].decode("utf-8", "replace").strip()


class SignedPost:
    def __init__(self, config):
        self.timeout = config["WEBHOOK_TIMEOUT"]

    def send(self, message, unsubscribe_url: str = "") -> str:
        from engage.webhooks.models import Webhook

        hook = db.session.get(Webhook, message.about_id) if message.about_id else None
        if hook is None or not hook.is_active:
            raise PermanentFailure("the webhook was removed or switched off")
        body = message.body_text.encode("utf-8")
        timestamp = int(time.time())
        request = urllib.request.Request(message.recipient, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8", "User-Agent": "Engage-Webhooks/1",
            "X-Engage-Event": message.subject, "X-Engage-Delivery": message.idempotency_key,
            "X-Engage-Signature": signing.signature_header(hook.secret, timestamp, body)})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return f"HTTP {answer.status}: {_excerpt(answer.read(EXCERPT))}"
        except urllib.error.HTTPError as error:
            failure = PermanentFailure if error.code == 410 else TemporaryFailure
            raise failure(f"HTTP {error.code}: {_excerpt(error.read(EXCERPT))}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise TemporaryFailure(f"{type(error).__name__}: {error}") from error
