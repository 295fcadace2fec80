"""The erasure's periodic task: hourly, in batches, each committed on its own."""

from huey import crontab

from engage import jobs
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.privacy import services

#: batches per run; what is left waits for the next hour
MAX_BATCHES = 100


@jobs.periodic(crontab(minute="17"))
def erase_expired_personal_data() -> None:
    """Every hour: erase what has expired (a first run over years of data goes on in the following hours)."""
    for _batch in range(MAX_BATCHES):
        counts = services.erase_expired(now=utcnow())
        db.session.commit()
        if not any(count >= services.BATCH for count in counts.values()):
            break
