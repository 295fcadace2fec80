"""Domain errors, raised by services and mapped once, app-wide, to HTTP answers."""

from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    """Base class; ``message`` is shown to the user and must be translatable."""

    status_code = 400
    default_message = _l("The request could not be carried out.")

    def __init__(self, message=None, *, field: str | None = None):
        self.message = message if message is not None else self.default_message
        self.field = field
        super().__init__(str(self.message))


class NotFound(DomainError):
    status_code = 404
    default_message = _l("The page or record you asked for does not exist.")


class NotAllowed(DomainError):
    status_code = 403
    default_message = _l("You are not allowed to do this.")


class RuleViolation(DomainError):
    """A request that is well-formed but breaks a domain rule right now (period closed, wrong status...)."""

    status_code = 409
    default_message = _l("This cannot be done at the moment.")


class PeriodClosed(RuleViolation):
    default_message = _l("The comment period is not open.")


class InvalidTransition(RuleViolation):
    default_message = _l("This change of status is not allowed.")


class CapacityReached(RuleViolation):
    default_message = _l("There are no seats left.")


class ValidationFailed(DomainError):
    """Input that fails a domain check; ``errors`` maps field names to lists of messages."""

    status_code = 422
    default_message = _l("Some of the information you entered is not valid.")

    def __init__(self, errors: dict[str, list], message=None):
        self.errors = errors
        super().__init__(message)
