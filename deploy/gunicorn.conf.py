"""gunicorn settings for production: ``gunicorn -c deploy/gunicorn.conf.py`` (docs/deploy.md).

The app comes from the installed package (``quote:serving_app()``: built, then
frozen out of the garbage collector's later collections) and reads its own
settings from ``QUOTE_*`` variables. Command-line options override
these values (``--bind``, ``--workers``); so does ``GUNICORN_CMD_ARGS``.
"""

import os

wsgi_app = "quote:serving_app()"

# The address is gunicorn's default, 127.0.0.1:8000 (for a reverse proxy on the same
# host), or 0.0.0.0:$PORT when PORT is set; --bind chooses another.

# Sync workers: a request is short and CPU-bound (pricing, a PDF in well under a
# second), so one request per process. WEB_CONCURRENCY sets the number; by
# default two per core plus one, as gunicorn's documentation suggests.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
worker_class = "sync"

# A worker silent for this long is killed and replaced; nothing the app does takes
# more than a few seconds.
timeout = 30
graceful_timeout = 30

# No preloading: every worker builds its own app after the fork, so no database
# connection (start-up migrations, checks) is ever shared between processes, and
# a HUP reloads new code.
preload_app = False



# A safety net against slow memory growth: a worker is replaced after about this many
# requests; the jitter keeps them from restarting together. (PDF rendering levels off
# since the offer asks WeasyPrint for no OpenType feature, docs/bench.md.)
max_requests = 1000
max_requests_jitter = 100

# Access log and errors on standard output / standard error, for the service manager.
# %({x-forwarded-for}i)s: the client's address as the reverse proxy saw it.
accesslog = "-"
errorlog = "-"
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
