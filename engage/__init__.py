"""Engage: public participation in open-government work."""

import logging
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from engage import config
from engage.extensions import api, babel, cache, csrf, db, limiter, login_manager, mail, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict | None = None) -> Flask:
    """Build the application; ``overrides`` replaces configuration values (tests use it)."""
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_object(config.Defaults)
    app.config.update(config.from_environment(app.instance_path))
    app.config.update(overrides or {})
    app.config["MAX_CONTENT_LENGTH"] = (app.config["MAX_UPLOAD_MB"] + 1) * 1024 * 1024
    # JSON answers carry Chinese text as it is, readable in any client, not as \u escapes.
    app.json.ensure_ascii = False
    if app.config.get("TRUSTED_PROXIES"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(app.config["TRUSTED_PROXIES"]), x_proto=1)
    logging.basicConfig(level=logging.INFO)
    from engage.core import converters

    converters.register(app)
    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from engage import models  # noqa: F401  (registers every table with the metadata)
    from engage.core import engine, i18n

    db.init_app(app)
    engine.configure_engine(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=lambda: "Asia/Shanghai")
    app.before_request(i18n.forget_chosen_locale)
    csrf.init_app(app)
    cache.init_app(app)
    limiter.init_app(app)
    api.init_app(app)
    login_manager.init_app(app)
    mail.init_app(app)
    from engage import jobs

    jobs.init_app(app)
    from engage.events import jobs as event_jobs  # noqa: F401  (registers the reminders)
    from engage.feedback import jobs as feedback_jobs  # noqa: F401  (registers the grouping runs)
    from engage.feedback.exports import jobs as export_jobs  # noqa: F401  (registers the prepared downloads)
    from engage.feedback.search import jobs as search_jobs  # noqa: F401  (indexes new comments' words)
    from engage.inspection import jobs as inspection_jobs  # noqa: F401  (registers the self-check digest)
    from engage.notifications import jobs as outbox_jobs  # noqa: F401  (registers the delivery jobs)
    from engage.notifications import services as outbox
    from engage.proposals.supervision import jobs as supervision_jobs  # noqa: F401  (registers the reminders)

    outbox.install_session_hooks()
    register_listeners()
    from engage.accounts import auth
    from engage.core import api as core_api

    auth.configure_login(login_manager)
    app.before_request(auth.expire_idle_sessions)
    from engage.identities import citizens

    app.before_request(citizens.expire_citizen_session)
    core_api.use_staff_token_check(app, auth.has_staff_token)


def register_listeners() -> None:
    """Who hears of every domain event (engage/domain_events), in this order, and the jobs that serve them."""
    from engage import domain_events
    from engage.domain_events import jobs as domain_event_jobs  # noqa: F401  (notices openings by the clock)
    from engage.notifications import signals
    from engage.privacy import jobs as privacy_jobs  # noqa: F401  (erases what has expired)
    from engage.subscriptions import jobs as subscription_jobs  # noqa: F401  (daily digests)
    from engage.subscriptions import services as subscriptions
    from engage.webhooks import services as webhooks

    domain_events.listen(subscriptions.on_domain_event)
    domain_events.listen(webhooks.on_domain_event)
    signals.contact_unsubscribed.connect(subscriptions.on_contact_unsubscribed)


def register_blueprints(app: Flask) -> None:
    """Every blueprint, in one explicit list."""
    from engage.accounts import admin_views as accounts_admin
    from engage.accounts import views as accounts_views
    from engage.consultations import api as consultations_api
    from engage.consultations import staff_views as consultations_staff
    from engage.consultations import views as consultations_views
    from engage.core import views as core_views
    from engage.decisions import api as decisions_api
    from engage.decisions import catalogue_staff_views as catalogue_staff
    from engage.decisions import staff_views as decisions_staff
    from engage.decisions import views as decisions_views
    from engage.events import api as events_api
    from engage.events import staff as events_staff
    from engage.events import views as events_views
    from engage.events.opinions import views as events_opinions
    from engage.events.registrations import staff_api as events_staff_api
    from engage.feedback import api as feedback_api
    from engage.feedback import staff_views as feedback_staff
    from engage.feedback import views as feedback_views
    from engage.feedback.exports import views as feedback_exports
    from engage.home import views as home_views
    from engage.identities import admin_views as identities_admin
    from engage.identities import api as identities_api
    from engage.identities import citizens as identities_citizens
    from engage.identities import views as identities_views
    from engage.inspection import views as inspection_views
    from engage.lostcodes import api as lostcodes_api
    from engage.lostcodes import views as lostcodes_views
    from engage.notifications import admin_views as outbox_admin
    from engage.notifications import staff_api as outbox_staff_api
    from engage.notifications import views as notifications_views
    from engage.privacy import admin_views as privacy_admin
    from engage.proposals import api as proposals_api
    from engage.proposals import staff_api as proposals_staff_api
    from engage.proposals import staff_area as proposals_staff_area
    from engage.proposals import staff_views as proposals_cases
    from engage.proposals import views as proposals_views
    from engage.proposals.handling import rating_views as proposals_rating
    from engage.proposals.handling import views as proposals_handling
    from engage.proposals.importing import views as proposals_importing
    from engage.proposals.publication import api as figures_api
    from engage.proposals.publication import views as proposals_figures
    from engage.proposals.supervision import api as supervision_api
    from engage.proposals.supervision import views as proposals_supervision
    from engage.regions import admin_views as regions_admin
    from engage.regions import api as regions_api
    from engage.regions import views as regions_views
    from engage.subscriptions import views as subscriptions_views
    from engage.webhooks import admin_views as webhooks_admin
    from engage.webhooks import api as webhooks_api

    for blueprint in (
        core_views.bp,
        home_views.bp,
        accounts_views.bp,
        accounts_admin.bp,
        identities_views.bp,
        identities_citizens.bp,
        identities_admin.bp,
        consultations_views.bp,
        consultations_staff.bp,
        decisions_views.bp,
        decisions_staff.bp,
        catalogue_staff.bp,
        feedback_views.bp,
        feedback_staff.bp,
        feedback_exports.bp,
        events_views.bp,
        events_staff.bp,  # with the event, sign-up and opinion desks nested in it
        events_opinions.bp,
        proposals_views.bp,
        proposals_staff_area.blueprint(proposals_cases.bp, proposals_importing.bp, proposals_handling.bp,
                                       proposals_supervision.bp, proposals_figures.staff_bp),
        proposals_figures.bp,
        inspection_views.bp,
        proposals_rating.bp,
        notifications_views.bp,
        outbox_admin.bp,
        lostcodes_views.bp,
        subscriptions_views.bp,
        webhooks_admin.bp,
        privacy_admin.bp,
        regions_views.bp,
        regions_admin.bp,
    ):
        app.register_blueprint(blueprint)
    for api_blueprint in (consultations_api.bp, consultations_api.receipts_bp, feedback_api.bp, decisions_api.bp,
                          events_api.campaigns_bp, events_api.bp, events_api.registrations_bp, events_staff_api.bp,
                          proposals_api.bp, proposals_staff_api.bp, supervision_api.bp, figures_api.bp,
                          outbox_staff_api.bp, lostcodes_api.bp, webhooks_api.bp, identities_api.bp,
                          regions_api.bp):
        api.register_blueprint(api_blueprint)
        # The API authenticates with tokens, not cookies, and accepts only JSON bodies.
        csrf.exempt(api_blueprint)


def register_error_handlers(app: Flask) -> None:
    from engage.core import error_handlers, http_cache, page_cache, security_headers

    error_handlers.register(app)
    security_headers.register(app)
    http_cache.register(app)
    page_cache.register(app)


def register_template_helpers(app: Flask) -> None:
    from engage.core import templating

    templating.register(app)


def register_commands(app: Flask) -> None:
    from engage.accounts import calendar_cli
    from engage.accounts import cli as accounts_cli
    from engage.demo import cli as demo_cli
    from engage.feedback.search import cli as comments_cli
    from engage.jobs import cli as jobs_cli
    from engage.notifications import cli as outbox_cli
    from engage.proposals import cli as proposals_cli

    app.cli.add_command(accounts_cli.user_cli)
    app.cli.add_command(calendar_cli.calendar_cli)
    app.cli.add_command(comments_cli.comments_cli)
    app.cli.add_command(demo_cli.demo_cli)
    app.cli.add_command(jobs_cli.jobs_cli)
    app.cli.add_command(outbox_cli.outbox_cli)
    app.cli.add_command(proposals_cli.proposals_cli)
