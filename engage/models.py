"""Every domain's models, in one explicit list, so the metadata (and Alembic) sees all tables."""

from engage.accounts import models as accounts_models
from engage.consultations import models as consultations_models
from engage.core import models as core_models
from engage.decisions import models as decisions_models
from engage.domain_events import models as domain_events_models
from engage.events import models as events_models
from engage.events.opinions import models as events_opinion_models
from engage.feedback import models as feedback_models
from engage.feedback.exports import models as feedback_export_models
from engage.identities import models as identities_models
from engage.notifications import models as notifications_models
from engage.privacy import models as privacy_models
from engage.proposals import models as proposals_models
from engage.proposals.publication import models as publication_models
from engage.proposals.supervision import models as supervision_models
from engage.subscriptions import models as subscriptions_models
from engage.webhooks import models as webhooks_models

__all__ = ["accounts_models", "consultations_models", "core_models", "decisions_models", "domain_events_models",
           "events_models", "events_opinion_models", "feedback_export_models", "feedback_models", "identities_models",
           "notifications_models", "privacy_models", "proposals_models", "publication_models", "subscriptions_models",
           "supervision_models", "webhooks_models"]
