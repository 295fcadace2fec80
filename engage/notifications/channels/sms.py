"""SMS: the government SMS platform's HTTP API, or a file or the console for trying Engage without one.

The platform's contract: ``POST SMS_GATEWAY_URL`` with ``Authorization: Bearer SMS_GATEWAY_TOKEN`` and JSON
``{"id", "to", "text", "template", "params"}``; 2xx accepted, 4xx refused for good (the reason in the body),
5xx or no answer in time: try again. ``id`` is the outbox row's key, the same on every try, so the platform
drops a repeat sent after a crash.
"""

import json
import logging
import urllib.error
import urllib.request
from pathlib import Path

from engage.notifications.channels import PermanentFailure, TemporaryFailure

log = logging.getLogger(__name__)


def payload(message) -> dict:
    return {"id": message.idempotency_key, "to": message.recipient, "text": message.body_text,
            "template": message.template, "params": message.params or {}}


class GatewaySms:
    def __init__(self, config):
        self.url = config["SMS_GATEWAY_URL"]
        self.token = config["SMS_GATEWAY_TOKEN"]
        self.timeout = config["SMS_GATEWAY_TIMEOUT"]

    def send(self, message, unsubscribe_url: str = "") -> None:
        if not self.url:
            raise TemporaryFailure("SMS_GATEWAY_URL is not set")
        request = urllib.request.Request(
            self.url, data=json.dumps(payload(message), ensure_ascii=False).encode(), method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                answer.read()
        except urllib.error.HTTPError as error:
            reason = _reason(error)
            if 400 <= error.code < 500 and error.code not in (408, 429):
                raise PermanentFailure(f"HTTP {error.code}: {reason}") from error
            raise TemporaryFailure(f"HTTP {error.code}: {reason}") from error
        except (TimeoutError, urllib.error.URLError, OSError) as error:
            raise TemporaryFailure(f"{type(error).__name__}: {getattr(error, 'reason', error)}") from error


def _reason(error: urllib.error.HTTPError) -> str:
    """The platform's own words when it gives them (``{"error": ...}``, ``{"message": ...}`` or plain text)."""
    body = error.read(2000).decode("utf-8", "replace").strip()
    try:
        data = json.loads(body)
    except ValueError:
        return body or error.reason
    if isinstance(data, dict):
        return str(data.get("error") or data.get("message") or data.get("reason") or body)
    return body


class FileSms:
    """One JSON file per message under ``SMS_FILE_PATH`` (``instance/outbox/sms``), as the platform would get it."""

    def __init__(self, config):
        self.folder = Path(config["SMS_FILE_PATH"])

    def send(self, message, unsubscribe_url: str = "") -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{message.created_at:%Y%m%d-%H%M%S}-{message.id}.json"
        target.write_text(json.dumps(payload(message), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


class ConsoleSms:
    def __init__(self, config):
        pass

    def send(self, message, unsubscribe_url: str = "") -> None:
        log.info("SMS to %s: %s", message.recipient, message.body_text)
