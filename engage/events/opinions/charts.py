"""Charts of a questionnaire's figures, for the organiser's page and the published feedback."""

from flask_babel import gettext as _
from flask_babel import ngettext

from engage.core.charts import bar_chart


def figure_charts(figures) -> list:
    """One bar chart per rating or single-choice question."""
    charts = []
    for item in figures:
        title = item.question.text
        if item.average is not None:
            title = _("%(question)s (average %(average)s of 5, %(n)d answers)", question=title,
                      average=item.average, n=item.answers)
        labels_values = [(ngettext("%(num)d point", "%(num)d points", score) if isinstance(score, int) else score,
                          count)
                         for score, count in item.counts]
        charts.append(bar_chart(title, labels_values, value_heading=_("Answers")))
    return charts
