# The portal under gunicorn, static files served by WhiteNoise.  Settings come only from the
# environment (README: 配置); compose.yaml runs it with PostgreSQL 16 and Elasticsearch 8.
#
#   docker build -t zhifa-portal .
#   docker run -e SECRET_KEY=… -e ALLOWED_HOSTS=… -e DATABASE_URL=postgres://… -p 8000:8000 zhifa-portal
#
# The periodic jobs (scheduled publishing, 到期废止, reminders, e-mail delivery …) run in a second
# container of the same image, exactly one, with the same settings (compose.yaml: service "scheduler"):
#
#   docker run -e … --health-cmd "python manage.py scheduler --check" zhifa-portal python manage.py scheduler
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    STATIC_ROOT=/app/var/staticfiles \
    MEDIA_ROOT=/app/var/media \
    SEARCH_SQLITE_PATH=/app/var/search/search.sqlite3 \
    PORT=8000

# PDF export (WeasyPrint) needs Pango and HarfBuzz, and the CJK fonts it embeds (as `make system-deps`;
# its redis-server is for the tests: compose.yaml runs Redis as a service of its own).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The hashed lock (make lock): exactly these versions, each file checked against its hash.
COPY requirements.txt ./
RUN pip install --require-hashes --no-deps -r requirements.txt

COPY . .
# Compiled translations are part of the source; nothing is built at run time except static files.
RUN useradd --system --uid 10001 --home-dir /app --no-create-home portal \
    && mkdir -p var/media var/staticfiles var/search var/cache \
    && chown -R portal:portal var
USER portal

EXPOSE 8000
VOLUME ["/app/var/media"]
HEALTHCHECK --interval=30s --timeout=15s --start-period=120s --retries=3 CMD ["python", "scripts/healthcheck.py"]
CMD ["scripts/serve.sh"]
