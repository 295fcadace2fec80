"""Public pages of this domain: decision documents, the Atom feed, the annual decision catalogue."""

from flask import Blueprint, Response, abort, current_app, render_template, request, send_from_directory, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from engage.core.http_cache import public
from engage.core.templating import department_name
from engage.core.timeutil import china_date, utcnow
from engage.decisions import catalogue, feed, services, timing
from engage.decisions.catalogue import YEAR_RANGE
from engage.decisions.models import EntryStatus
from engage.feedback.services import recent_reports
from engage.regions import services as regions

bp = Blueprint("decisions", __name__)


@bp.app_template_global()
def consultation_decision(consultation):
    """The decision of a consultation and the state of its interpretation today, for its public page."""
    decision = services.decision_of(consultation.id)
    return (decision, decision.interpretation_state(china_date(utcnow()))) if decision else (None, None)


@bp.app_template_filter()
def planned_timing(record) -> str:
    """An entry's or a change's planned timing in the visitor's language (or the old words, kept as typed)."""
    return timing.describe(record.planned, str(get_locale()), record.planned_timing)


@bp.get("/decisions/files/<int:file_id>")
@public
def decision_file(file_id: int):
    """Download a published decision or interpretation document under its uploaded name."""
    stored = services.get_public_file(file_id)
    response = send_from_directory(current_app.config["UPLOAD_FOLDER"], stored.stored_name,
                                   mimetype=stored.content_type, as_attachment=True, download_name=stored.original_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _feed_id_domain() -> str:
    return current_app.config.get("FEED_ID_DOMAIN") or request.host.split(":")[0]


def _feed_entries(now, limit: int) -> list[feed.FeedEntry]:
    host = _feed_id_domain()
    entries = [
        feed.FeedEntry(
            id=feed.tag_uri(host, f"consultation/{c.id}/opened"),
            title=_("Opened for comment: %(title)s", title=c.title),
            url=url_for("consultations.detail", consultation_id=c.id, _external=True), updated=c.opens_at,
            summary=c.summary or c.title, author=department_name(c.department),
        )
        for c in feed.opened_consultations(now, limit)
    ]
    entries += [
        feed.FeedEntry(
            id=feed.tag_uri(host, f"consultation/{c.id}/feedback/{number}"),
            title=(_("Feedback report: %(title)s", title=c.title) if number == 1
                   else _("Feedback report corrected (revision %(number)d): %(title)s", number=number, title=c.title)),
            url=url_for("feedback.report", consultation_id=c.id, _external=True), updated=published_at,
            summary=_("How the comments on this consultation were answered."), author=department_name(c.department),
        )
        for c, published_at, number in recent_reports(limit)
    ]
    return sorted(entries, key=lambda e: e.updated, reverse=True)[:limit]


@bp.get("/feed.atom")
@public
def atom_feed():
    """Newly opened consultations and newly published feedback reports, as an Atom feed."""
    now = utcnow()
    body = feed.render_atom(
        feed_id=feed.tag_uri(_feed_id_domain(), "feed"), title=_("Engage: consultations and feedback"),
        self_url=url_for(".atom_feed", _external=True), site_url=url_for("home.index", _external=True),
        language="zh-CN" if str(get_locale()) == "zh" else "en",
        entries=_feed_entries(now, current_app.config["FEED_ENTRIES"]), now=now,
    )
    return Response(body, mimetype="application/atom+xml", headers={"Vary": "Cookie, Accept-Language"})


@bp.get("/catalogue/")
@public
def catalogue_index():
    """The years that have a catalogue of major administrative decisions."""
    region = regions.region_filter(request.args.get("region"))
    return render_template("decisions/catalogue_index.html", years=catalogue.catalogue_years(region),
                           this_year=china_date(utcnow()).year, region=region)


@bp.get("/catalogue/<int:year>")
@public
def catalogue_year(year: int):
    """One year's catalogue: every major decision, its progress and the reasons for every change."""
    if year not in YEAR_RANGE:
        abort(404)
    by_timing = request.args.get("sort") == "planned"
    region = regions.region_filter(request.args.get("region"))
    rows = catalogue.year_progress(year, by_timing=by_timing, region=region)
    return render_template(
        "decisions/catalogue_year.html", year=year, rows=rows, EntryStatus=EntryStatus, by_timing=by_timing,
        region=region,
        counts={s: sum(1 for r in rows if r.entry.status == s) for s in EntryStatus},
    )
