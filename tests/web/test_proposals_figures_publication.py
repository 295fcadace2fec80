"""Publishing a session's handling figures from the staff page, and the dated statement on the public pages."""

from babel.dates import format_date
from sqlalchemy import select

from engage.core.timeutil import china_date, utcnow
from engage.extensions import db
from engage.proposals.publication import services as publication
from engage.proposals.publication.models import FiguresPublication


def _publish(client, session_id, note=""):
    return client.post(f"/staff/proposals/figures/{session_id}/publications", data={"note": note})


def _publications() -> list[FiguresPublication]:
    return list(db.session.scalars(select(FiguresPublication).order_by(FiguresPublication.id)))


def test_the_supervisor_publishes_the_figures_from_the_staff_page(en_client, auth, figures_cases, supervisor):
    auth.login(supervisor.email)
    page = en_client.get("/staff/proposals/figures").get_data(as_text=True)
    assert figures_cases[0].session.name in page and "Publish the figures" in page
    assert "have not been published yet" in page
    session_id = figures_cases[0].session_id
    answer = _publish(en_client, session_id, "第一批建议已全部交办，办理工作有序推进。")
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/staff/proposals/figures?session={session_id}")
    (published,) = _publications()
    assert published.figures["total"]["assigned"] == 5 and published.published_by_id == supervisor.id
    page = en_client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "第一批建议已全部交办" in page and f"/proposals/stats/publications/{published.id}" in page


def test_a_summary_too_long_is_shown_on_the_form_and_nothing_is_published(client, auth, figures_cases, supervisor):
    auth.login(supervisor.email)
    answer = _publish(client, figures_cases[0].session_id, "办" * 5001)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert 'class="error-summary"' in html and 'aria-invalid="true"' in html and "5000" in html
    assert _publications() == []


def test_a_session_with_nothing_assigned_is_refused_with_the_reason(en_client, auth, registered_case, supervisor):
    auth.login(supervisor.email)
    answer = _publish(en_client, registered_case.session_id)
    assert answer.status_code == 422
    assert "there are no figures to publish" in answer.get_data(as_text=True) and _publications() == []


def test_units_may_neither_see_the_page_nor_publish(client, auth, figures_cases, staff):
    auth.login(staff.email)
    assert client.get("/staff/proposals/figures").status_code == 403
    assert _publish(client, figures_cases[0].session_id, "x").status_code == 403
    assert _publications() == []


def test_anonymous_visitors_are_sent_to_the_login_page(client, figures_cases):
    answer = _publish(client, figures_cases[0].session_id)
    assert answer.status_code == 302 and "/account/login" in answer.headers["Location"]
    assert _publications() == []


def test_an_unknown_session_is_not_found(client, auth, supervisor, app):
    auth.login(supervisor.email)
    assert _publish(client, 999).status_code == 404


def test_the_public_figures_page_shows_the_latest_dated_statement_and_the_earlier_ones(
        client, auth, figures_cases, supervisor, staff):
    from tests.fixtures.proposals import reply_to

    before = client.get("/proposals/stats").get_data(as_text=True)  # cached for anonymous visitors
    assert "尚未公布" in before
    first = publication.publish_figures(figures_cases[0].session, "第一次公布。", actor=supervisor, now=utcnow())
    db.session.commit()
    reply_to(figures_cases[2], staff, outcome="D")
    second = publication.publish_figures(figures_cases[0].session, "第二次公布：又答复一件。", actor=supervisor,
                                         now=utcnow())
    db.session.commit()
    page = client.get("/proposals/stats").get_data(as_text=True)
    day = format_date(china_date(utcnow()), "long", locale="zh")
    assert f"截至{day}公布" in page
    assert "第二次公布：又答复一件。" in page and "第一次公布。" not in page  # the latest in full ...
    assert f"/proposals/stats/publications/{second.id}" in page
    assert f"/proposals/stats/publications/{first.id}" in page  # ... and the earlier one listed


def test_a_publication_page_shows_the_figures_as_published(en_client, figures_cases, supervisor, staff):
    from tests.fixtures.proposals import reply_to

    kept = publication.publish_figures(figures_cases[0].session, "", actor=supervisor, now=utcnow())
    db.session.commit()
    reply_to(figures_cases[2], staff, outcome="D")  # the live figures move on; the statement does not
    answer = en_client.get(f"/proposals/stats/publications/{kept.id}")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and answer.headers["Cache-Control"].startswith("public")
    assert "Set-Cookie" not in answer.headers
    assert "As of " in html and "Overdue that day" in html and "Municipal Ecology and Environment Bureau" in html
    # the totals row: 5 assigned, (no co-handled), 3 replied then (4 now)
    assert '<th scope="row">All units (each case once)</th><td>5</td><td></td><td>3</td>' in html
    assert en_client.get("/proposals/stats/publications/999").status_code == 404


def test_the_self_check_shows_stale_figures_to_the_supervising_office_and_administrators(
        en_client, auth, figures_cases, supervisor, admin, staff):
    # the session's first case was assigned 120 days ago and its figures were never published
    session_id = figures_cases[0].session_id
    auth.login(supervisor.email)
    html = en_client.get("/staff/self-check/").get_data(as_text=True)
    assert "Supervising office (suggestions and proposals)" in html and "Handling figures not published" in html
    assert f'href="/staff/proposals/figures?session={session_id}"' in html
    auth.logout()
    auth.login(admin.email)
    html = en_client.get("/staff/self-check/all").get_data(as_text=True)
    assert "Supervising office (suggestions and proposals) (1)" in html
    auth.logout()
    auth.login(staff.email)
    assert "Handling figures not published" not in en_client.get("/staff/self-check/").get_data(as_text=True)
    publication.publish_figures(figures_cases[0].session, "", actor=supervisor, now=utcnow())
    db.session.commit()
    auth.logout()
    auth.login(supervisor.email)
    assert "Nothing an inspection would flag." in en_client.get("/staff/self-check/").get_data(as_text=True)
