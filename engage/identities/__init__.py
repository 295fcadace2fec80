"""Unified sign-in (统一身份认证) over OpenID Connect: identities mapped to staff accounts, citizens' own records."""
