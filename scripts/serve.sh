#!/bin/sh
# Start the portal as in production: apply migrations, collect static files (hashed and compressed
# for WhiteNoise), then replace this shell with gunicorn.  Every setting comes from the environment
# (README: 配置); DJANGO_SETTINGS_MODULE defaults to portal.settings.production.
#
#   scripts/serve.sh              # migrate + collectstatic + gunicorn (the Docker image's command)
#   scripts/serve.sh --no-setup   # gunicorn only (benchmarks/bench_load.py, after its own setup)
#
# Gunicorn: BIND_ADDRESS (0.0.0.0) and PORT (8000); WEB_CONCURRENCY worker processes (3) of
# GUNICORN_THREADS threads (4) each; anything else through gunicorn's own GUNICORN_CMD_ARGS.
set -eu
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-portal.settings.production}"

if [ "${1:-}" != "--no-setup" ]; then
    python manage.py migrate --noinput
    python manage.py collectstatic --noinput --verbosity 0
fi

exec gunicorn portal.wsgi:application \
    --bind "${BIND_ADDRESS:-0.0.0.0}:${PORT:-8000}" \
    --workers "${WEB_CONCURRENCY:-3}" --worker-class gthread --threads "${GUNICORN_THREADS:-4}" \
    --timeout 60 --graceful-timeout 30 --keep-alive 5 \
    --max-requests 5000 --max-requests-jitter 500 \
    --access-logfile - --error-logfile -
