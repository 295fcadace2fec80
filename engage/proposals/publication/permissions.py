"""Who may publish a session's handling figures: the supervising office (and administrators)."""

from engage.proposals.permissions import is_supervisor


def can_publish_figures(user) -> bool:
    return is_supervisor(user)
