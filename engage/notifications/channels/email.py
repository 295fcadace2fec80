"""E-mail through Flask-Mailman, whose ``MAIL_BACKEND`` (smtp, console, file) says where it goes."""

import smtplib

from flask_mailman import EmailMultiAlternatives

from engage.extensions import mail
from engage.notifications.channels import PermanentFailure, TemporaryFailure


def message_id(message, config) -> str:
    """The Message-ID, the same on every try, so that a server that saw it can drop a repeat."""
    domain = config["MAIL_DEFAULT_SENDER"].rpartition("@")[2].strip("> ") or "localhost"
    return f"<{message.idempotency_key}@{domain}>"


class MailmanEmail:
    def __init__(self, config):
        self.config = config

    def build(self, message, unsubscribe_url: str = "") -> EmailMultiAlternatives:
        headers = {"Message-ID": message_id(message, self.config),
                   "Auto-Submitted": "auto-generated"}
        if unsubscribe_url:
            # RFC 8058: mail programs offer a one-click unsubscribe that POSTs to this address.
            headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        email = EmailMultiAlternatives(subject=message.subject, body=message.body_text,
                                       from_email=self.config["MAIL_DEFAULT_SENDER"], to=[message.recipient],
                                       headers=headers)
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        return email

    def send(self, message, unsubscribe_url: str = "") -> None:
        email = self.build(message, unsubscribe_url)
        try:
            with mail.get_connection(fail_silently=False, timeout=self.config["MAIL_TIMEOUT"]) as connection:
                connection.send_messages([email])
        except smtplib.SMTPRecipientsRefused as refused:
            code, reason = next(iter(refused.recipients.values()))
            failure = PermanentFailure if code >= 500 else TemporaryFailure
            raise failure(f"SMTP {code}: {_text(reason)}") from refused
        except smtplib.SMTPResponseException as error:
            failure = PermanentFailure if error.smtp_code >= 500 else TemporaryFailure
            raise failure(f"SMTP {error.smtp_code}: {_text(error.smtp_error)}") from error
        except (TimeoutError, smtplib.SMTPException, OSError) as error:
            raise TemporaryFailure(f"{type(error).__name__}: {error}") from error


def _text(reason) -> str:
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
