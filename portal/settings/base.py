"""Settings shared by every environment.

The environment is read here, once (django-environ); nothing else in the
project reads ``os.environ``. Each environment module (dev, test,
production) only chooses defaults before importing this one.
"""
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

PORTAL_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PORTAL_DIR.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

# DEBUG defaults to on for the dev and test settings modules and off for
# production; the DEBUG variable overrides either.
_settings_module = env.str("DJANGO_SETTINGS_MODULE", default="portal.settings.production")
DEBUG = env.bool("DEBUG", default=_settings_module.endswith((".dev", ".test")))

_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("生产环境必须设置环境变量 SECRET_KEY（DEBUG 关闭时不提供默认值）。")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the search index and page serving read while an editor writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")

# Both absent: the embedded SQLite FTS5 engine; OPENSEARCH_URL set: OpenSearch 2.x/3.x (opensearch-py);
# else ELASTICSEARCH_URL set: Elasticsearch 8 (elasticsearch-py).  Nodes of one cluster comma-separated.
ELASTICSEARCH_URL = env.str("ELASTICSEARCH_URL", default="")
OPENSEARCH_URL = env.str("OPENSEARCH_URL", default="")
# The alias searched and written; indices behind it are versioned: portal-v1, portal-v2 …
SEARCH_ES_INDEX = env.str("SEARCH_ES_INDEX", default="portal")
SEARCH_ES_TIMEOUT = env.float("SEARCH_ES_TIMEOUT", default=5.0)
# Used only when the main database is not SQLite (FTS5 otherwise lives in the main database).
SEARCH_SQLITE_PATH = env.str("SEARCH_SQLITE_PATH", default=str(VAR_DIR / "search.sqlite3"))

INSTALLED_APPS = [
    "portal",
    "publicsite",
    "sharing",
    "staff",
    "cooperation",
    "townships",
    "coordination",
    "search",
    "archive",
    "demo",
    "jobs",
    "citations",
    "amendments",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.search_promotions",  # 推荐结果: pages editors put above the results of a query
    "wagtail.contrib.table_block",
    "wagtail.contrib.settings",
    "wagtail.api.v2",
    "wagtail.embeds",
    "wagtail.sites",
    "portal.apps.PortalUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "simple_history",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (CONTENT_SECURITY_POLICY below) and Permissions-Policy.
    "portal.security.PortalCSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A malformed number, date or id in a request answers 400 in Chinese (portal/params.py).
    "portal.params.BadParameterMiddleware",
    "portal.params.AdminParameterMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # The department wall in front of every admin view that names a page (portal/walls/permissions.py).
    "portal.walls.admin_doors.AdminPageWallMiddleware",
    # A 行政许可 publish refused by an open case transfer (二（四）3（4）): its reason, not a server error.
    "portal.walls.admin_doors.LicenceHeldMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during the login into the lockout page.
    "axes.middleware.AxesMiddleware",
    # After everything else: a page served from the cache still passes every middleware above.
    "publicsite.pagecache.AnonymousPageCacheMiddleware",
]

# The anonymous page cache (publicsite/pagecache.py): seconds an entry lives at most (0: off), and the
# paths never cached.  Entries are dropped at once when content changes; the TTL is a backstop.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
PAGE_CACHE_EXEMPT_PATHS = ["/admin/", "/staff/", "/django-admin/", "/documents/", "/healthz", "/accounts/",
                           "/login", "/logout", "/cooperation/"]
# The cache: a file cache in var/cache by default, shared by every process of the machine (the web
# server's workers and the scheduler), so an invalidation made by one (the scheduler expiring a
# document, a worker narrowing a scope) reaches the page cache of all at once; an in-process cache
# would keep serving another process's stale public copy for up to PAGE_CACHE_SECONDS.
# CACHE_URL=redis://host:6379/0 selects Redis through Django's own backend: the production default of
# compose.yaml, shared by every machine, never culled.  See cache_settings for the generation store.
REDIS_CACHE_BACKEND = "django.core.cache.backends.redis.RedisCache"
PAGE_CACHE_GENERATION_ALIAS = "pagecache-generation"
# The file cache lists its whole folder on every write and culls a random third once it holds
# MAX_ENTRIES files: 2,000 is a small server's public pages with room to spare, and a write a few
# milliseconds; a CACHE_URL of filecache:///srv/cache?max_entries=5000 says otherwise.
FILE_CACHE_MAX_ENTRIES = 2_000


def cache_settings(url: str) -> dict:
    """Return CACHES for the cache URL ``url``: the default cache, and the store of the page cache's generation.

    The generation (publicsite/pagecache.py) is kept where no culling reaches it: losing it drops every
    cached page at once.  Redis and Memcached evict nothing stored without expiry (compose.yaml runs
    Redis with ``volatile-lru``), so it shares their server; a culling cache (files, process memory,
    database table) gets a store of its own beside the default one, holding that single key.
    """
    redis = url.split("://", 1)[0] in ("redis", "rediss")
    default = env.cache_url_config(url, backend=REDIS_CACHE_BACKEND if redis else None)
    generation = dict(default)
    backend = default["BACKEND"].rsplit(".", 1)[-1]
    if backend == "FileBasedCache":
        default.setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", FILE_CACHE_MAX_ENTRIES)
        # A folder inside the default one: the default cache lists, culls and clears only its own files.
        generation = {"BACKEND": default["BACKEND"], "LOCATION": str(Path(default["LOCATION"]) / "generation")}
    elif backend in ("LocMemCache", "DatabaseCache"):
        generation = {"BACKEND": default["BACKEND"], "LOCATION": f"{default.get('LOCATION') or 'default'}_generation"}
    return {"default": default, PAGE_CACHE_GENERATION_ALIAS: generation}


CACHES = cache_settings(env.str("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}"))

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PORTAL_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
                "csp.context_processors.nonce",
            ],
        },
    },
]

AUTH_USER_MODEL = "portal.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "portal.security.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/admin/login/"

# Login throttling (django-axes, portal.security.LoginThrottleHandler): an account is locked after
# AXES_FAILURE_LIMIT failed logins from any addresses, an address after AXES_IP_FAILURE_LIMIT failed
# logins across any accounts, each for AXES_COOLOFF_TIME hours; a Chinese page says so (HTTP 429).
AUTHENTICATION_BACKENDS = [
    "portal.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_TIME", default=1.0)  # hours
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=20)
# Both counters; LoginThrottleHandler applies a limit to each, and a successful login resets only
# its account's failures, so signing in never clears the counter of an address guessing others.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "portal.security.LoginThrottleHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.security.lockout_response"
AXES_VERBOSE = False
# The client's address, for the lockouts and the view log alike (portal.security.client_ip, django-ipware).
# PROXY_COUNT: the reverse proxies in front of the portal, each appending its peer's address to
# X-Forwarded-For; 1 behind the TLS proxy production requires (README), 0 (development) ignores the
# header, which any client can write.  Too high a count lets a client choose its own address.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
if PROXY_COUNT < 0:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"环境变量 PROXY_COUNT 应为 0 或正整数（门户前的反向代理层数），现为 {PROXY_COUNT}。")
AXES_CLIENT_IP_CALLABLE = "portal.security.client_ip"

# Content-Security-Policy (django-csp 4; portal.security.PortalCSPMiddleware). Nothing is loaded from
# another host.  Public pages run only the portal's own script files (static/js/): no inline script,
# no 'unsafe-inline'.  An inline script that a page outside the anonymous page cache needs (a staff page)
# carries nonce="{{ request.csp_nonce }}" and runs by the nonce django-csp then adds to that response; a
# cached public page would be served with a stale nonce, so public templates load script files only.
# Nothing frames a public page (frame-ancestors 'none', as X_FRAME_OPTIONS = "DENY").  Inline style attributes (a few templates, rich text) stay allowed.
PORTAL_CSP_PUBLIC = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:"],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "frame-src": [SELF],
    "frame-ancestors": [NONE],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
}
# The Wagtail and Django admins (PORTAL_CSP_ADMIN_PATHS): no 'unsafe-inline' for scripts either.  The inline
# scripts Wagtail 8 writes into its pages carry the response's nonce: its chooser widgets (pages, snippets,
# images, documents: portal.security.nonce_chooser_scripts), its date and time pickers, InlinePanel and
# MultipleChooserPanel initialisers and the 推荐结果 (search promotions) forms (templates overridden under
# portal/templates/wagtailadmin/ and wagtailsearchpromotions/, {% script_nonce %}); those it inserts at run
# time (an InlinePanel's new form) come from those templates, nonce included, and jQuery carries the nonce
# over to the script it runs.  Style attributes and <style> stay allowed ('unsafe-inline' in style-src:
# Wagtail and Draftail set inline styles everywhere).  data:/blob: images for its choosers and previews;
# framed by itself only (the preview panel, for which Wagtail sends X-Frame-Options: SAMEORIGIN).
PORTAL_CSP_ADMIN_PATHS = ("/admin/", "/django-admin/")
PORTAL_CSP_ADMIN = {
    **PORTAL_CSP_PUBLIC,
    "img-src": [SELF, "data:", "blob:"],
    "frame-ancestors": [SELF],
}
# Report-only rollout: CSP_REPORT_ONLY=1 in the environment sends the same policies as
# Content-Security-Policy-Report-Only (browsers report what they would block, and block nothing), to try a
# stricter policy out before enforcing it; CSP_REPORT_URI, when set, is where browsers send the reports.
PORTAL_CSP_REPORT_ONLY = env.bool("CSP_REPORT_ONLY", default=False)
PORTAL_CSP_REPORT_URI = env.str("CSP_REPORT_URI", default="")
if PORTAL_CSP_REPORT_URI:
    PORTAL_CSP_PUBLIC["report-uri"] = PORTAL_CSP_ADMIN["report-uri"] = [PORTAL_CSP_REPORT_URI]
CONTENT_SECURITY_POLICY = None if PORTAL_CSP_REPORT_ONLY else {"DIRECTIVES": PORTAL_CSP_PUBLIC}
CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": PORTAL_CSP_PUBLIC} if PORTAL_CSP_REPORT_ONLY else None

# Permissions-Policy (django-permissions-policy): no page uses a camera, microphone, location, payment,
# USB … ; the empty list forbids the feature to the page and to anything it frames.
PERMISSIONS_POLICY = {feature: [] for feature in (
    "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "geolocation",
    "gyroscope", "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get",
    "screen-wake-lock", "usb", "xr-spatial-tracking",
)}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
STATIC_URL = "/static/"
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media/"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@localhost")
# The SMTP server (EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend). E-mails are queued and sent
# by the scheduler's mail job (jobs/mail.py); the timeout keeps a silent server from holding up the other jobs.
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

WAGTAIL_SITE_NAME = "综合行政执法信息共享平台"
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
# No upgrade notice on a superuser's dashboard: it has the browser fetch releases.wagtail.org, which the admin's
# connect-src 'self' refuses (a console error) and an intranet cannot reach; new versions are the lock's business
# (`make lock UPGRADE=1`, the dependency audit).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
# Wagtail's own search (admin page search, choosers, .search()) with jieba segmentation before
# Wagtail's SQLite FTS5 / PostgreSQL code sees the text, so Chinese sub-words are found.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.wagtail_backend"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "doc", "odt", "pdf", "rtf", "txt", "xlsx", "xls", "zip", "ofd"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Every download goes through Django (portal.walls.documents decides who may have it); the files under
# MEDIA_ROOT/documents/ must never be served directly (see production.py).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# No avatars from gravatar.com: the admin would send a hash of every user's email to another host
# (and the CSP blocks it anyway).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_WORKFLOW_ENABLED = True
# Wagtail 8's autosave is off. It saves a revision half a second after every change, which would fill
# a regulation's 历史版本 and its review diffs with versions nobody meant; on a create form it saves an
# incomplete page (HTTP 400) or creates the page early; and its background POST can race a reviewer's
# 批准: it arrives after the workflow finished and fails there (seen in tests/browser). Every deliberate
# save is still a revision, and Wagtail warns before leaving a form with unsaved changes.
WAGTAIL_AUTOSAVE_INTERVAL = env.int("WAGTAIL_AUTOSAVE_INTERVAL", default=0)
WAGTAILADMIN_USER_LOGIN_FORM = "portal.walls.users.PortalLoginForm"
WAGTAIL_MODERATION_ENABLED = True
WAGTAILADMIN_COMMENTS_ENABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
