"""gunicorn's configuration for the web container: `gunicorn -c wsp/gunicorn.conf.py wsp.wsgi:application`.

The Dockerfile's command and docker-compose's web service use it. R-40: the logger class redacts BSNs from the
access log (request line, query string, referrer) and from the error log (wsp.logging.GunicornLogger); the
application's own logs are redacted by settings.LOGGING.

Each worker freezes what loading the application allocated (`post_worker_init`): Python's full garbage collections
then walk only the objects a request makes, not the tens of thousands of Django's own (a full collection of the
whole heap paused a request by 60-70 ms).
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# Both logs to the container's output.
accesslog = "-"
errorlog = "-"
logger_class = "wsp.logging.GunicornLogger"
# The combined log format; every field passes the logger class's redaction.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'


def post_worker_init(worker):
    """The application is loaded in this worker: move everything it allocated out of the collector's reach."""
    gc.collect()
    gc.freeze()
