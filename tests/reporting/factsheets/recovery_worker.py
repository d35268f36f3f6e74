"""The Celery app of `wsp.celery` as a worker that recovers abandoned messages within seconds (tests only).

Production keeps Redis's `visibility_timeout` at an hour (wsp.settings.base): a message a killed worker had taken
(acks_late, so never acknowledged) goes back to its queue only after that hour. The real-worker test cannot wait an
hour, so its second worker runs this app: the same app, tasks and settings, with a visibility timeout of
WSP_TEST_VISIBILITY_TIMEOUT seconds and a sweep for abandoned messages every second. Started as
`celery -A tests.reporting.factsheets.recovery_worker worker`; on a Redis database of its own, so it can never take
back another run's message.
"""

import os

from wsp.celery import app

app.conf.broker_transport_options = {
    **app.conf.broker_transport_options,
    "visibility_timeout": float(os.environ.get("WSP_TEST_VISIBILITY_TIMEOUT", "1")),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}

__all__ = ["app"]
