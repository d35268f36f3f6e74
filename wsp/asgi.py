"""ASGI entry point. Production settings unless DJANGO_SETTINGS_MODULE says otherwise (see wsp/wsgi.py)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wsp.settings.production")
application = get_asgi_application()
