"""SMS: the government SMS platform's HTTP API, or a file or the console for trying Engage without one.

The platform's contract: ``POST SMS_GATEWAY_URL`` with ``Authorization: Bearer SMS_GATEWAY_TOKEN`` and JSON
``{"id", "to", "text", "template", "params"}``; 2xx accepted, 4xx refused for good (the reason in the body),
5xx or no answer in time: try again. ``id`` is the outbox row's key, the same on every try, so the platform
drops a repeat sent after a crash.
"""

import http.client
import json
import logging
from pathlib import Path
from urllib.parse import urlsplit

from engage.notifications.channels import PermanentFailure, TemporaryFailure

log = logging.getLogger(__name__)


def payload(message) -> dict:
    return {"id": message.idempotency_key, "to": message.recipient, "text": message.body_text,
            "template": message.template, "params": message.params or {}}


class GatewaySms:
    """The platform over one kept-alive connection per sender (a delivery run makes one sender per batch)."""

    def __init__(self, config):
        self.url = config["SMS_GATEWAY_URL"]
        self.token = config["SMS_GATEWAY_TOKEN"]
        self.timeout = config["SMS_GATEWAY_TIMEOUT"]
        self._connection: http.client.HTTPConnection | None = None

    def send(self, message, unsubscribe_url: str = "") -> None:
        if not self.url:
            raise TemporaryFailure("SMS_GATEWAY_URL is not set")
        body = json.dumps(payload(message), ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8", "Authorization": f"Bearer {self.token}"}
        try:
            status, reason = self._post(body, headers)
        except (TimeoutError, OSError, http.client.HTTPException) as error:
            self.close()
            raise TemporaryFailure(f"{type(error).__name__}: {error}") from error
        if status < 300:
            return
        if 400 <= status < 500 and status not in (408, 429):
            raise PermanentFailure(f"HTTP {status}: {reason}")
        raise TemporaryFailure(f"HTTP {status}: {reason}")

    def _post(self, body: bytes, headers: dict) -> tuple[int, str]:
        target = urlsplit(self.url)
        path = (target.path or "/") + (f"?{target.query}" if target.query else "")
        reused = self._connection is not None
        try:
            return self._exchange(path, body, headers)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The platform closed the kept-alive connection while it was idle: open a new one, once. Should it
            # have taken the message after all, it drops the repeat by its id.
            self.close()
            if not reused:
                raise
            return self._exchange(path, body, headers)

    def _exchange(self, path: str, body: bytes, headers: dict) -> tuple[int, str]:
        if self._connection is None:
            target = urlsplit(self.url)
            kind = http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
            self._connection = kind(target.hostname, target.port, timeout=self.timeout)
        self._connection.request("POST", path, body, headers)
        answer = self._connection.getresponse()
        text = answer.read(2000).decode("utf-8", "replace").strip()
        if answer.will_close:
            self.close()
        return answer.status, "" if answer.status < 300 else _reason(text, answer.reason)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _reason(body: str, status_text: str) -> str:
    """The platform's own words when it gives them (``{"error": ...}``, ``{"message": ...}`` or plain text)."""
    try:
        data = json.loads(body)
    except ValueError:
        return body or status_text
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
