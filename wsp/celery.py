"""Celery app. Tasks are thin adapters (STYLE habit 8); reliability settings live in wsp.settings.base."""

import os

from celery import Celery
from celery.signals import setup_logging

# Workers and beat run on servers: production settings unless DJANGO_SETTINGS_MODULE says otherwise.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wsp.settings.production")

# DjangoTask gives every task `delay_on_commit`, so services enqueue only after their transaction commits.
app = Celery("wsp", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def use_django_logging(**kwargs):
    """Workers log through Django's LOGGING, so the BSN redaction filter (R-40) applies to task logs too."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
