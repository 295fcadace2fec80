"""The OpenID Connect client (Authlib) for the unified identity provider, and what can go wrong with it.

Authlib does the protocol: discovery, the authorization URL with PKCE and nonce, the code exchange, the ID
token's signature and claims. Its errors are turned here into refusals a person can read.
"""

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import current_app
from flask_babel import lazy_gettext as _l
from joserfc.errors import ClaimError, ExpiredTokenError, JoseError

from engage.core.errors import DomainError
from engage.identities import rules

SCOPE = "openid profile email phone"
#: seconds Engage waits for the provider's answer to discovery, token and userinfo requests
TIMEOUT_SECONDS = 10


class SignInRefused(DomainError):
    """A sign-in through the identity provider that did not sign anyone in."""

    status_code = 400
    default_message = _l("The unified identity provider's answer could not be verified; you have not been signed in.")


class ProviderUnreachable(SignInRefused):
    status_code = 503
    default_message = _l("The unified identity provider cannot be reached at the moment. Please try again later, "
                         "or log in with your e-mail address and password.")


class ReplayedOrUnknownState(SignInRefused):
    default_message = _l("This sign-in answer was already used, or never started here. Please sign in again.")


class WrongAudience(SignInRefused):
    default_message = _l("The identity provider's answer was issued for another application (wrong audience); "
                         "you have not been signed in.")


class CodeRefused(SignInRefused):
    default_message = _l("The identity provider refused this sign-in (its code was already used or has expired). "
                         "Please sign in again.")


class ExpiredAnswer(SignInRefused):
    default_message = _l("The identity provider's answer has expired; you have not been signed in. Please sign in "
                         "again (if this keeps happening, the clocks of this server and the provider differ).")


def provider_error(args) -> str:
    """What the provider said when it sent the person back without signing them in (``error`` in the answer)."""
    reason = (args.get("error_description") or args.get("error") or "")[:200]
    return _l("The unified identity provider did not sign you in (%(reason)s).", reason=reason)


def is_enabled(config) -> bool:
    """Unified sign-in is on when an issuer and a client id are configured."""
    return bool(config.get("OIDC_ISSUER") and config.get("OIDC_CLIENT_ID"))


def is_enabled_for_citizens(config) -> bool:
    return is_enabled(config) and bool(config.get("OIDC_CITIZENS"))


def provider_client():
    """Authlib's client for the configured provider, one per configuration and process (it caches discovery)."""
    config = current_app.config
    key = (config["OIDC_ISSUER"], config["OIDC_CLIENT_ID"], config.get("OIDC_CLIENT_SECRET") or "")
    clients = current_app.extensions.setdefault("engage.oidc_clients", {})
    if key not in clients:
        oauth = OAuth(current_app._get_current_object())
        clients[key] = oauth.register(
            "unified", client_id=key[1], client_secret=key[2] or None,
            server_metadata_url=key[0].rstrip("/") + "/.well-known/openid-configuration",
            client_kwargs={"scope": SCOPE, "code_challenge_method": "S256", "default_timeout": TIMEOUT_SECONDS},
        )
    return clients[key]


def metadata(client) -> dict:
    """The provider's discovery document, which must be the configured issuer's own."""
    try:
        document = client.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnreachable() from error
    if not rules.same_issuer(current_app.config["OIDC_ISSUER"], document.get("issuer", "")):
        raise SignInRefused(_l("The identity provider's discovery document names another issuer than the one "
                               "configured (OIDC_ISSUER); an administrator must correct the configuration."))
    return document


def authorization(redirect_uri: str) -> dict:
    """Where to send the browser, with the ``state``, ``nonce`` and PKCE ``code_verifier`` to keep for the answer."""
    client = provider_client()
    metadata(client)
    return client.create_authorization_url(redirect_uri)


def _refusal_for(error: Exception) -> SignInRefused:
    if isinstance(error, ExpiredTokenError):
        return ExpiredAnswer()
    if isinstance(error, ClaimError) and error.claim in ("aud", "azp"):
        return WrongAudience()
    if getattr(error, "error", "") == "invalid_grant":
        return CodeRefused()
    return SignInRefused()


def verified_claims(*, code: str, redirect_uri: str, code_verifier: str, nonce: str) -> dict:
    """Exchange the code for tokens and return the ID token's claims, checked, with userinfo's added.

    :raises SignInRefused: the provider refused the code, or the ID token's signature, issuer, audience, expiry
        or nonce is wrong
    """
    client = provider_client()
    document = metadata(client)
    try:
        token = client.fetch_access_token(redirect_uri=redirect_uri, code=code, code_verifier=code_verifier)
        if "id_token" not in token:
            raise SignInRefused()
        options = {"iss": {"essential": True, "value": document["issuer"]},
                   "aud": {"essential": True, "value": client.client_id}}
        claims = dict(client.parse_id_token(token, nonce=nonce, claims_options=options,
                                            leeway=rules.CLOCK_LEEWAY_SECONDS))
        if document.get("userinfo_endpoint"):
            claims = rules.merge_userinfo(claims, dict(client.userinfo(token=token)))
    except requests.RequestException as error:
        raise ProviderUnreachable() from error
    except (AuthlibBaseError, JoseError, ValueError, KeyError) as error:
        current_app.logger.warning("unified sign-in refused: %r", error)
        raise _refusal_for(error) from error
    return claims
