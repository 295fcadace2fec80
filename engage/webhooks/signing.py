"""The webhook signature, made by Engage and checked by receivers (docs/WEBHOOKS.md shows a receiver's side)."""

import hashlib
import hmac
import secrets


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """HMAC-SHA256 of ``<timestamp>.<body>`` with ``secret``, in hex."""
    return hmac.new(secret.encode("utf-8"), str(timestamp).encode("ascii") + b"." + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={sign(secret, timestamp, body)}"


def is_valid(header: str, secret: str, body: bytes, *, now: int, tolerance: int = 300) -> bool:
    """What a receiver checks: the header's signature matches, and its time is within ``tolerance`` seconds."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    return abs(now - timestamp) <= tolerance and hmac.compare_digest(parts.get("v1", ""),
                                                                     sign(secret, timestamp, body))
