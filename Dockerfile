# Production image for web, worker and beat (docker-compose.yml).
FROM python:3.11-slim-bookworm
# Production settings for everything the image runs (manage.py included); development settings are never a fallback.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 DJANGO_SETTINGS_MODULE=wsp.settings.production
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core curl gettext \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --upgrade pip && pip install -e .
COPY . .
RUN DJANGO_SECRET_KEY=build-only FIELD_ENCRYPTION_KEYS=build-only BSN_HASH_KEY=build-only DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build@localhost/build python manage.py collectstatic --no-input \
 && useradd --system --uid 1000 wsp && mkdir -p /var/lib/celerybeat && chown -R wsp /app /var/lib/celerybeat
USER wsp
EXPOSE 8000
# wsp/gunicorn.conf.py: bind, workers, timeout, and the access log with BSNs redacted (R-40).
CMD ["gunicorn", "--config", "wsp/gunicorn.conf.py", "wsp.wsgi:application"]
