"""Webhooks for other government systems: administrators register an address and a secret for event types;
every matching domain event becomes a signed POST sent through the outbox, with its retries and history."""
