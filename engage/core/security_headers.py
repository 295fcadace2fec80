"""Security headers on every answer: pages, JSON, error pages and static files alike.

A small after_request rather than flask-talisman: talisman's last release is from 2023 and it also redirects
to HTTPS and adds per-response nonces, neither of which Engage wants. The headers are the same for every
visitor (no nonce, nothing from the session), so a caching proxy may keep public pages as they are.
"""

from flask import Flask, request

#: No inline script, style or event handler anywhere: every script and stylesheet is a file under static/.
#: ``data:`` images only (none are remote); forms post to this site only; nothing may be embedded as a plugin.
CSP_WITHOUT_FRAME_ANCESTORS = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
)

#: Browser features Engage never uses. The camera only on the pages that ask for it (``allow_camera``).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
#: the check-in page reads QR codes with the phone's camera, from this site's own scripts only
CAMERA_PERMISSIONS_POLICY = PERMISSIONS_POLICY.replace("camera=()", "camera=(self)")


def allow_camera(response):
    """Let this answer's page use the camera (the other headers are added as for every answer)."""
    response.headers["Permissions-Policy"] = CAMERA_PERMISSIONS_POLICY
    return response


def content_security_policy(frame_ancestors: str) -> str:
    """The policy, with the sources allowed to embed Engage in a frame (``'none'``, ``'self'`` or origins)."""
    return f"{CSP_WITHOUT_FRAME_ANCESTORS}; frame-ancestors {frame_ancestors}"


def x_frame_options(frame_ancestors: str) -> str | None:
    """The older header where it can say the same; it cannot name other origins, so then CSP alone speaks."""
    return {"'none'": "DENY", "'self'": "SAMEORIGIN"}.get(frame_ancestors.strip())


def security_headers(frame_ancestors: str, *, over_https: bool, hsts_seconds: int) -> dict[str, str]:
    """Every header an answer gets, from the settings and whether the visitor reached us over HTTPS."""
    headers = {
        "Content-Security-Policy": content_security_policy(frame_ancestors),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": PERMISSIONS_POLICY,
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    frame_options = x_frame_options(frame_ancestors)
    if frame_options:
        headers["X-Frame-Options"] = frame_options
    # Over plain HTTP the header would be ignored by browsers and would wrongly promise HTTPS to a proxy.
    if over_https and hsts_seconds > 0:
        headers["Strict-Transport-Security"] = f"max-age={hsts_seconds}"
    return headers


def register(app: Flask) -> None:
    # Settled once: the headers depend only on the settings and the scheme, and every answer needs them.
    by_scheme = {over_https: security_headers(app.config["FRAME_ANCESTORS"], over_https=over_https,
                                              hsts_seconds=app.config["HSTS_SECONDS"])
                 for over_https in (False, True)}

    @app.after_request
    def add_security_headers(response):
        # request.is_secure follows X-Forwarded-Proto once TRUSTED_PROXIES puts ProxyFix in front.
        for name, value in by_scheme[request.is_secure].items():
            response.headers.setdefault(name, value)
        return response
