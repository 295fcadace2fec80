"""Delivery channels: how one outbox row reaches a mail server or an SMS platform.

A channel's ``send(message)`` returns when the provider accepted the message and raises
:class:`PermanentFailure` (the provider refused it for good: a bad address, a number it will not serve) or
:class:`TemporaryFailure` (down, overloaded, timed out: try again later). Another SMS platform needs only a
class with that ``send`` named by ``SMS_BACKEND`` as ``package.module:ClassName``.
"""

from importlib import import_module

from engage.notifications.models import Channel


class DeliveryFailure(Exception):
    permanent = False


class PermanentFailure(DeliveryFailure):
    permanent = True


class TemporaryFailure(DeliveryFailure):
    permanent = False


def _email_backends():
    from engage.notifications.channels import email

    return {"smtp": email.MailmanEmail, "console": email.MailmanEmail, "file": email.MailmanEmail,
            "locmem": email.MailmanEmail}


def _sms_backends():
    from engage.notifications.channels import sms

    return {"gateway": sms.GatewaySms, "console": sms.ConsoleSms, "file": sms.FileSms}


def channel_for(channel: Channel, config):
    """The configured sender for ``channel`` (``MAIL_BACKEND``, ``SMS_BACKEND``; webhooks have one).

    ``send`` may return a short receipt (a webhook's answer), kept with the delivery's history.
    """
    if channel == Channel.WEBHOOK:
        from engage.notifications.channels import webhook

        return webhook.SignedPost(config)
    name = config["MAIL_BACKEND"] if channel == Channel.EMAIL else config["SMS_BACKEND"]
    known = _email_backends() if channel == Channel.EMAIL else _sms_backends()
    if name in known:
        return known[name](config)
    module_name, _, class_name = name.partition(":")
    if not class_name:
        raise RuntimeError(f"unknown {channel} backend {name!r}: one of {', '.join(known)} or 'module:Class'")
    return getattr(import_module(module_name), class_name)(config)
