"""Every domain's models, in one explicit list, so the metadata (and Alembic) sees all tables."""

from engage.accounts import models as accounts_models
from engage.consultations import models as consultations_models
from engage.core import models as core_models

__all__ = ["accounts_models", "consultations_models", "core_models"]
