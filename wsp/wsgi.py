"""WSGI entry point (gunicorn, `wsp/gunicorn.conf.py`). Production settings unless DJANGO_SETTINGS_MODULE says
otherwise: a server never falls back to DEBUG or the public development key."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wsp.settings.production")
application = get_wsgi_application()
