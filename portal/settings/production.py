"""Production: DEBUG off unless the environment says otherwise; everything from the environment.

``python manage.py check --deploy`` is clean with these settings (tests/portal/test_sharing_hardening.py).
The portal runs under gunicorn (Dockerfile, compose.yaml) and serves its own static files with
WhiteNoise: ``collectstatic`` writes hashed, compressed copies to STATIC_ROOT, served with
far-future cache headers.  It is served over HTTPS only, behind a reverse proxy that:
- sets X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER below) and appends the client's address to
  X-Forwarded-For, read behind PROXY_COUNT proxies (base.py; portal.security.client_ip);
- serves, of MEDIA_ROOT, only images/ and original_images/.
  MEDIA_ROOT/documents/ must never be mounted: documents are downloaded through /documents/<id>/<name>,
  where portal.walls.documents checks who may have them.
/healthz answers plain HTTP too (load balancers and container health checks probe it directly).
"""
from .base import *  # noqa: F401,F403
from .base import MIDDLEWARE, env

# WhiteNoise right after SecurityMiddleware, as its documentation asks; production only, so that
# development and tests keep serving static files from the source folders without collectstatic.
MIDDLEWARE = [*MIDDLEWARE]
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "whitenoise.middleware.WhiteNoiseMiddleware")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)  # a working day
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# Nothing is framed; Wagtail's preview views override this with SAMEORIGIN for its preview panel.
X_FRAME_OPTIONS = "DENY"

# The cache (base.py): Redis with CACHE_URL=redis://… (compose.yaml), else files under var/cache, shared
# by every gunicorn worker and the scheduler of one machine.
