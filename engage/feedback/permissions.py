"""Who may answer comments and publish a consultation's feedback report: the consultation's department."""

from engage.accounts.permissions import acts_for_department


def can_answer(user, consultation) -> bool:
    return acts_for_department(user, consultation.department_id)


def can_publish_report(user, consultation) -> bool:
    return acts_for_department(user, consultation.department_id)


def can_download_contacts(user, consultation) -> bool:
    """Contact details leave the system only for the department that collected them (and administrators)."""
    return acts_for_department(user, consultation.department_id)
