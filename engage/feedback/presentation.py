"""A published revision's content as people read it: labels, charts, tables for downloads, change notes.

The content is stored as plain JSON (it is hashed); this module gives it translated words on the way out.
"""

import math

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engage.consultations.models import Channel
from engage.core.answers import AnswerOutcome
from engage.core.charts import bar_chart
from engage.core.pagination import Page

#: opinion groups on one page of the public report: a phone should not have to load hundreds at once
GROUPS_PER_PAGE = 20

CHANGE_LABELS = {
    "explanation": _l("The overall explanation was changed."),
    "counts": _l("The figures were changed."),
    "answers": _l("Answers to individual comments were changed."),
}


def outcome_label(value) -> str:
    return str(AnswerOutcome(value).label) if value else _("Not answered")


def _labelled(group: dict) -> dict:
    reason_label = str(AnswerOutcome(group["outcome"]).reason_label) if group["outcome"] else _("Answer")
    return dict(group, outcome_label=outcome_label(group["outcome"]), reason_label=reason_label)


class ReportView:
    """One revision's content with the words and charts the report page shows."""

    def __init__(self, content: dict):
        self.content = content

    @property
    def total(self) -> int:
        return self.content["total"]

    @property
    def explanation(self) -> str:
        return self.content["explanation"]

    @property
    def groups(self) -> list[dict]:
        return [_labelled(group) for group in self.content["groups"]]

    def groups_page(self, page: int, per_page: int) -> Page:
        """One page of the groups, largest first as stored; a page past the end shows the last one."""
        stored = self.content["groups"]
        last = max(1, math.ceil(len(stored) / per_page))
        page = min(max(1, page), last)
        shown = stored[(page - 1) * per_page:page * per_page]
        return Page(items=[_labelled(group) for group in shown],
                    page=page, per_page=per_page, total=len(stored))

    def place_of_group(self, group_id: int, per_page: int = GROUPS_PER_PAGE) -> dict | None:
        """A listed group with the report page it is on, so a link can go straight to it; None if not listed."""
        for index, group in enumerate(self.content["groups"]):
            if group["id"] == group_id:
                return dict(_labelled(group), page=index // per_page + 1)
        return None

    @property
    def grouped_comments(self) -> int:
        return sum(group["size"] for group in self.content["groups"])

    def channel_rows(self) -> list[tuple[str, int]]:
        return [(str(Channel(key).label), count) for key, count in self.content["channels"].items()]

    def outcome_rows(self) -> list[tuple[str, int]]:
        return [(outcome_label(key), count) for key, count in self.content["outcomes"].items()]

    def outcome_chart(self):
        return bar_chart(_("How the comments were answered"), self.outcome_rows(), value_heading=_("Comments"))

    def channel_chart(self):
        return bar_chart(_("Comments received by channel"), self.channel_rows(), value_heading=_("Comments"))


def describe_change(change: dict) -> str:
    """One recorded change between revisions, in words."""
    kind = change["kind"]
    if kind in CHANGE_LABELS:
        return str(CHANGE_LABELS[kind])
    if kind == "group_answer":
        return _("Answer to “%(title)s” changed from %(before)s to %(after)s.", title=change["title"],
                 before=outcome_label(change["before"]), after=outcome_label(change["after"]))
    if kind == "group_added":
        return _("Opinion group “%(title)s” added.", title=change["title"])
    if kind == "group_removed":
        return _("Opinion group “%(title)s” removed.", title=change["title"])
    return _("Opinion group “%(title)s” changed.", title=change["title"])


def download_name(consultation, revision, extension: str) -> str:
    name = _("Feedback report")  # outside the f-string, where message extraction finds it
    return f"{name}-{consultation.id}-r{revision.number}.{extension}"


def counts_table(content: dict) -> tuple[list, list]:
    view = ReportView(content)
    rows = [(_("Channel"), label, count) for label, count in view.channel_rows()]
    rows += [(_("Answer"), label, count) for label, count in view.outcome_rows()]
    rows.append((_("Total"), _("Comments received"), content["total"]))
    return [_("Figure"), _("Item"), _("Comments")], rows


def groups_table(content: dict) -> tuple[list, list]:
    rows = [
        (group["title"], group["size"], group["representative"], outcome_label(group["outcome"]), group["reason"])
        for group in content["groups"]
    ]
    return [_("Opinion group"), _("Comments"), _("Representative text"), _("Answer"), _("Reason")], rows


def report_table(content: dict) -> tuple[list, list]:
    """Counts and groups in one CSV table (CSV has one sheet)."""
    header, count_rows = counts_table(content)
    group_header, group_rows = groups_table(content)
    rows = [(figure, item, count, "", "") for figure, item, count in count_rows]
    rows += [(_("Opinion group"), title, size, f"{answer}: {reason}" if reason else answer, text)
             for title, size, text, answer, reason in group_rows]
    return [*header, _("Answer"), _("Representative text")], rows
