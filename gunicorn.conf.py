"""gunicorn settings for Engage (``make run`` and the benchmark use the same ones).

Sync workers, one per request at a time: the work is short database queries, and SQLite in WAL mode lets
several worker processes write (they queue on the write lock for up to the busy timeout).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '5000')}"
#: WEB_CONCURRENCY overrides; the default follows gunicorn's advice of 2 x cores + 1
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
timeout = 30
graceful_timeout = 20
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
# Behind a reverse proxy set TRUSTED_PROXIES instead (engage.config): the app then trusts X-Forwarded-*.
forwarded_allow_ips = "127.0.0.1"
# Recent gunicorn opens a control socket at one fixed path per user; several instances on one machine (and the
# benchmark's side-by-side servers) would take it from each other, and Engage does not use it.
control_socket_disable = True
