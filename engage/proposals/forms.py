"""Public forms: filtering the list of cases and choosing the session of the statistics page."""

from flask_babel import lazy_gettext as _l
from wtforms import SearchField, SelectField
from wtforms.validators import Length, Optional

from engage.core.forms import Form, strip_control_characters
from engage.proposals import rules
from engage.proposals.models import ProposalKind
from engage.proposals.public_services import QUERY_MAX, CaseFilters
from engage.proposals.stats import outcome_columns


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class CaseFilterForm(Form):
    """The GET form above the public list; no CSRF token, since it changes nothing."""

    q = SearchField(_l("Search titles, numbers and proposers"), [Optional(), Length(max=QUERY_MAX)],
                    filters=[strip_control_characters])
    kind = SelectField(_l("Kind"), [Optional()], choices=[])
    session = SelectField(_l("Session"), [Optional()], choices=[], coerce=_int_or_none)
    unit = SelectField(_l("Handling unit"), [Optional()], choices=[], coerce=_int_or_none)
    status = SelectField(_l("Status"), [Optional()], choices=[])
    outcome = SelectField(_l("Outcome class"), [Optional()], choices=[])
    region = SelectField(_l("Region (with the regions below it)"), [Optional()], choices=[])

    def set_choices(self, sessions, units, outcome_classes: dict, locale: str, regions=()) -> None:
        self.region.choices = [("", _l("All regions"))] + list(regions)
        self.kind.choices = [("", _l("Both kinds"))] + ProposalKind.choices()
        self.session.choices = [("", _l("All sessions"))] + [(s.id, s.name) for s in sessions]
        self.unit.choices = [("", _l("All units"))] + [(d.id, d.display_name(locale)) for d in units]
        self.status.choices = [("", _l("Any status"))] + rules.ProposalStatus.choices()
        kinds = [self.kind.data] if self.kind.data in rules.KINDS else list(rules.KINDS)
        self.outcome.choices = [("", _l("Any outcome"))] + outcome_columns(kinds, outcome_classes, locale)

    def _valid(self, field):
        allowed = {value for value, _label in field.choices if value != ""}
        return field.data if field.data in allowed else None

    def filters(self) -> CaseFilters:
        """What was chosen; an unknown value (an old bookmark, a hand-edited address) is simply not applied."""
        return CaseFilters(kind=self._valid(self.kind), session_id=self._valid(self.session),
                           unit_id=self._valid(self.unit), status=self._valid(self.status),
                           outcome=self._valid(self.outcome), q=(self.q.data or "")[:QUERY_MAX])

    def is_filtered(self) -> bool:
        return any(getattr(self, name).data for name in ("q", "kind", "session", "unit", "status", "outcome",
                                                         "region"))


class StatsForm(Form):
    """Which session (and kind) the statistics page shows."""

    session = SelectField(_l("Session"), choices=[], coerce=_int_or_none)
    kind = SelectField(_l("Kind"), [Optional()], choices=[])

    def set_choices(self, sessions) -> None:
        self.session.choices = [(s.id, s.name) for s in sessions]
        self.kind.choices = [("", _l("Both kinds"))] + ProposalKind.choices()

    def chosen_kind(self) -> str | None:
        return self.kind.data if self.kind.data in rules.KINDS else None
