"""Who may look into the outbox. Predicates only: the staff services raise NotAllowed, templates hide links."""

from engage.accounts import permissions as accounts


def can_manage_outbox(user) -> bool:
    """Administrators only.

    The outbox holds every citizen's phone number and e-mail address next to the very codes sent to them (a
    sign-up's confirmation code cancels it), so no other role sees it, not even with contacts masked: what
    department staff or organisers need to know about their own messages belongs on their own desks.
    """
    return accounts.is_admin(user)
