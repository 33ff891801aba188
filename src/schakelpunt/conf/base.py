"""Settings for Schakelpunt.

Every value an operator may change is read from the environment through ``config`` with a
default and a help text; ``docs/settings.md`` is generated from these calls
(``schakelpunt settings_reference``). Environment modules (``production``, ``test``) only
change defaults.
"""

from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from schakelpunt.conf.env import config

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent.parent

# --- General ---------------------------------------------------------------------------

ENVIRONMENT = config(
    "SCHAKELPUNT_ENVIRONMENT",
    "development",
    help="development, test or production. Demo data can never be loaded in production.",
)
VAR_DIR = Path(
    config(
        "SCHAKELPUNT_VAR_DIR",
        str(BASE_DIR / "var"),
        help="Folder for the SQLite database, collected static files and uploads.",
    )
)
SECRET_KEY = config(
    "SECRET_KEY",
    "development-only-key-never-use-in-production-3f9c1e7a",
    help="Django's secret key. Required in production: a long random string.",
    group="Beveiliging",
)
DEBUG = config("DEBUG", False, help="Django's debug mode. Never on in production.")
ALLOWED_HOSTS = config(
    "ALLOWED_HOSTS",
    ["127.0.0.1", "localhost"],
    help="Comma-separated host names this installation answers to.",
    group="Beveiliging",
)
CSRF_TRUSTED_ORIGINS = config(
    "CSRF_TRUSTED_ORIGINS",
    [],
    help="Comma-separated origins (https://host) trusted for form posts behind a proxy.",
    group="Beveiliging",
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_tasks_db",
    "simple_history",
    "corsheaders",
    "schakelpunt.core",
    "schakelpunt.accounts",
    "schakelpunt.organisations",
    "schakelpunt.audit",
    "schakelpunt.residents",
    "schakelpunt.contacts",
    "schakelpunt.contrib.brp",
    "schakelpunt.directory",
    "schakelpunt.referrals",
    "schakelpunt.signalling",
    "schakelpunt.wmo",
    "schakelpunt.insights",
    "schakelpunt.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "schakelpunt.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "schakelpunt.audit.middleware.RequestTransactionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "schakelpunt.core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "schakelpunt.accounts.middleware.SessionLifetimeMiddleware",
    "schakelpunt.core.access.AccessRuleMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "schakelpunt.urls"
WSGI_APPLICATION = "schakelpunt.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "schakelpunt.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------------------

DATABASE_URL = config(
    "DATABASE_URL",
    f"sqlite:///{VAR_DIR / 'schakelpunt.sqlite3'}",
    help="Where the data lives. Absent: a SQLite file under the var folder. "
    "postgresql://user:password@host:5432/name for PostgreSQL.",
    group="Database",
)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=config(
            "DB_CONN_MAX_AGE",
            60,
            help="Seconds a PostgreSQL connection is kept open for reuse.",
            group="Database",
        ),
        conn_health_checks=True,
    )
}
DB_SERVER_SIDE_BINDING = config(
    "DB_SERVER_SIDE_BINDING",
    True,
    help="PostgreSQL: send query parameters apart from the query text (server-side binding) "
    "instead of quoting them into it.",
    group="Database",
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # Take the write lock at the start of a transaction, so concurrent writers wait
        # instead of failing half-way with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})
    # Per connection, not server-wide: no JIT compilation (it costs more than it saves on the
    # short queries of a desk application), and random reads priced as on SSD storage.
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off -c random_page_cost=1.1")
    # Parameters sent apart from the query text: psycopg no longer quotes them into it in Python,
    # about 15 % more requests per second in the load test (docs/performance.md). Statements are
    # not prepared (Django's default): in the load test that cost PostgreSQL more than it saved.
    DATABASES["default"]["OPTIONS"]["server_side_binding"] = DB_SERVER_SIDE_BINDING
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# One transaction per request (schakelpunt.audit.middleware): the access-log row and the session
# of a page in one commit. Not on SQLite, where a transaction holds the write lock from its start.
REQUEST_TRANSACTION = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

# --- Accounts, sessions and login -------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "schakelpunt.accounts.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SESSION_IDLE_TIMEOUT = config(
    "SESSION_IDLE_TIMEOUT",
    30 * 60,
    help="Seconds without a request after which a user is logged out.",
    group="Beveiliging",
)
SESSION_ABSOLUTE_TIMEOUT = config(
    "SESSION_ABSOLUTE_TIMEOUT",
    12 * 60 * 60,
    help="Seconds after login after which a user must log in again, active or not.",
    group="Beveiliging",
)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
# The idle timeout is renewed by SessionLifetimeMiddleware at most once per SESSION_RENEW_AFTER
# seconds rather than by a write on every request: a session then ends between
# SESSION_RENEW_AFTER seconds before and exactly SESSION_IDLE_TIMEOUT after the last request,
# never later.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_AFTER = min(60, SESSION_IDLE_TIMEOUT // 10)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "schakelpunt_session"
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from the page, not from the cookie
CSRF_COOKIE_NAME = "schakelpunt_csrftoken"

AXES_FAILURE_LIMIT = config(
    "LOGIN_FAILURE_LIMIT",
    5,
    help="Failed logins (per user name and address) before the account is locked.",
    group="Beveiliging",
)
AXES_COOLOFF_TIME = (
    config(
        "LOGIN_LOCKOUT_MINUTES",
        30,
        help="Minutes a locked login stays locked.",
        group="Beveiliging",
    )
    / 60
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The same client address as the access log: behind a proxy every login would otherwise
# share the proxy's address, and anyone could lock out any user name.
AXES_CLIENT_IP_CALLABLE = "schakelpunt.audit.services.client_ip"

# --- Security headers ------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# --- Internationalisation ----------------------------------------------------------------

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# The var folder holds the SQLite file and collected static files; make sure it exists.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve straight from the source folders until collectstatic
# Uploaded documents: never served as static or public media (no MEDIA_URL route); views that
# check access and write the access log stream them.
MEDIA_ROOT = VAR_DIR / "uploads"

# --- Tasks and e-mail ------------------------------------------------------------------

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def mail_settings(default_backend: str) -> dict:
    """The MAILERS setting; development prints mail, production sends it over SMTP."""
    backend = config(
        "EMAIL_BACKEND",
        default_backend,
        help="Django e-mail backend. Development default: the console backend, which prints "
        "mail instead of sending it; production default: "
        "django.core.mail.backends.smtp.EmailBackend.",
        group="E-mail",
    )
    options = {}
    if backend.endswith("smtp.EmailBackend"):
        options = {
            "host": config("EMAIL_HOST", "localhost", help="SMTP server.", group="E-mail"),
            "port": config("EMAIL_PORT", 25, help="SMTP port.", group="E-mail"),
            "username": config("EMAIL_HOST_USER", "", help="SMTP user name.", group="E-mail"),
            "password": config("EMAIL_HOST_PASSWORD", "", help="SMTP password.", group="E-mail"),
            "use_tls": config(
                "EMAIL_USE_TLS", False, help="Use STARTTLS to the SMTP server.", group="E-mail"
            ),
        }
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


MAILERS = mail_settings("django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = config(
    "DEFAULT_FROM_EMAIL",
    "Schakelpunt <noreply@schakelpunt.invalid>",
    help="Sender address of mail from the system.",
    group="E-mail",
)
SITE_URL = config(
    "SITE_URL",
    "http://127.0.0.1:8000",
    help="The address at which users reach Schakelpunt, for links in e-mails (no trailing slash).",
    group="E-mail",
)

# --- API -------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Partners' own systems: a key per organisation (referrals/authentication.py).
        "schakelpunt.referrals.authentication.ApiTokenAuthentication",
    ],
    # Deny by default: every endpoint names the permission it needs.
    "DEFAULT_PERMISSION_CLASSES": ["schakelpunt.api.permissions.DenyAll"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Schakelpunt API",
    "DESCRIPTION": "REST API van Schakelpunt, het registratiesysteem van het lokaal loket.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",  # served from our own static files, never a CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name get their own component name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "ResidentStatusEnum": "schakelpunt.residents.models.Resident.Status",
        "QuestionStatusEnum": "schakelpunt.contacts.models.Question.Status",
        "ReferralStatusEnum": "schakelpunt.referrals.models.Referral.Status",
        "ReferralReasonEnum": "schakelpunt.referrals.models.Referral.Reason",
        "WmoReportStatusEnum": "schakelpunt.wmo.models.WmoReport.Status",
        "WmoCloseReasonEnum": "schakelpunt.wmo.models.WmoReport.CloseReason",
        "WmoDeadlineStateEnum": "schakelpunt.wmo.serializers.DEADLINE_STATES",
    },
}

# --- Logging ---------------------------------------------------------------------------

LOG_LEVEL = config("LOG_LEVEL", "INFO", help="Level of the application log.", group="Logging")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_bsn": {"()": "schakelpunt.core.logging.RedactBSNFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_bsn"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# --- Access log ------------------------------------------------------------------------

AUDIT_TRUSTED_PROXY_COUNT = config(
    "AUDIT_TRUSTED_PROXY_COUNT",
    0,
    help="Number of reverse proxies in front of the app whose X-Forwarded-For is trusted "
    "for the origin address in the access log. 0: use the connection's address.",
    group="Beveiliging",
)

FORM_RENDERER = "schakelpunt.core.forms.FormRenderer"

# --- Social map (directory) --------------------------------------------------------------

DIRECTORY_STALE_AFTER_DAYS = config(
    "DIRECTORY_STALE_AFTER_DAYS",
    183,
    help="Days after which a service whose details were not confirmed (HSDS assured_date) "
    "appears in the 'to be checked' list and its organisation is reminded.",
    group="Sociale kaart",
)
DIRECTORY_REMINDER_INTERVAL_DAYS = config(
    "DIRECTORY_REMINDER_INTERVAL_DAYS",
    30,
    help="Days between two reminder e-mails to one organisation about its services to be "
    "checked (directory_remind_stale mails an organisation at most once in this period).",
    group="Sociale kaart",
)
DIRECTORY_PAGE_SIZE = config(
    "DIRECTORY_PAGE_SIZE",
    25,
    help="Services per page in the desk search, the public guide and the HSDS API.",
    group="Sociale kaart",
)

# The open HSDS API may be read from any origin (HSDS consumers expect it); nothing else.
CORS_URLS_REGEX = r"^/api/hsds/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False

# --- BRP (population register) -----------------------------------------------------------
# Haal Centraal BRP API Personen 2.x and the BRP Update API (docs/subsystems/brp.md). The
# defaults point at the simulator (`schakelpunt brp_simulator`) on this machine.

BRP_API_URL = config(
    "BRP_API_URL",
    "http://127.0.0.1:5010/haalcentraal/api/brp",
    help="Base URL of the BRP API Personen (2.x); the client posts to <url>/personen. "
    "Default: the simulator on this machine.",
    group="BRP",
)
BRP_UPDATE_API_URL = config(
    "BRP_UPDATE_API_URL",
    "http://127.0.0.1:5010/haalcentraal/api/brpupdate",
    help="Base URL of the BRP Update API (follow indications and changes): "
    "<url>/volgindicaties and <url>/wijzigingen.",
    group="BRP",
)
BRP_API_KEY = config(
    "BRP_API_KEY",
    "",
    help="API key sent in the X-API-KEY header. Empty: no key is sent (the simulator needs none).",
    group="BRP",
)
BRP_CLIENT_CERT = config(
    "BRP_CLIENT_CERT",
    "",
    help="Path of the PEM client certificate for mutual TLS (PKIoverheid). Empty: no client certificate.",
    group="BRP",
)
BRP_CLIENT_KEY = config(
    "BRP_CLIENT_KEY",
    "",
    help="Path of the private key of BRP_CLIENT_CERT, when it is not in the same file.",
    group="BRP",
)
BRP_CA_BUNDLE = config(
    "BRP_CA_BUNDLE",
    "",
    help="Path of the CA bundle that signs the register's server certificate. Empty: the system's CAs.",
    group="BRP",
)
BRP_TIMEOUT = config(
    "BRP_TIMEOUT",
    10,
    help="Seconds to wait for the register (connecting and each read) before giving up.",
    group="BRP",
)
BRP_RETRIES = config(
    "BRP_RETRIES",
    2,
    help="Extra attempts, with backoff, after a connection error or a 5xx answer from the register.",
    group="BRP",
)
# --- end of BRP ------------------------------------------------------------------------

# --- Wmo ----------------------------------------------------------------------------------
WMO_REMINDER_DAYS = config(
    "WMO_REMINDER_DAYS",
    [5, 1],
    help="Days before a Wmo deadline (personal plan, investigation, decision) on which the consultant "
    "gets a reminder by e-mail, comma separated.",
    group="Wmo",
)
ATW_EQUATED_DAYS = config(
    "ATW_EQUATED_DAYS",
    [],
    help="Days equated with public holidays by royal decree under the Algemene termijnenwet art. 3 lid 3 "
    "(ISO dates, comma separated, e.g. the Friday after Ascension Day). Statutory Wmo deadlines that end "
    "on such a day move to the next working day.",
    group="Wmo",
)
WMO_UPLOAD_MAX_BYTES = config(
    "WMO_UPLOAD_MAX_BYTES",
    10 * 1024 * 1024,
    help="Largest document that may be uploaded with a Wmo report, in bytes.",
    group="Wmo",
)
# --- end of Wmo ---------------------------------------------------------------------------

# --- Signalling ---------------------------------------------------------------------------
# Automatic proposals of signals (`schakelpunt signals_propose`, docs/subsystems/signalling.md).

SIGNALLING_PROPOSAL_THRESHOLD = config(
    "SIGNALLING_PROPOSAL_THRESHOLD",
    5,
    help="Questions without suitable supply (with the same life domain and reason, in one "
    "district, not yet counted by a signal) that make signals_propose propose a signal.",
    group="Signalering",
)
SIGNALLING_PROPOSAL_PERIOD_DAYS = config(
    "SIGNALLING_PROPOSAL_PERIOD_DAYS",
    90,
    help="Days back from today in which signals_propose counts those questions.",
    group="Signalering",
)
# --- end of Signalling --------------------------------------------------------------------

# --- Insights -----------------------------------------------------------------------------
# Long exports (annual report, all tables) made by the task worker (docs/subsystems/insights.md).

INSIGHTS_EXPORT_RETENTION_DAYS = config(
    "INSIGHTS_EXPORT_RETENTION_DAYS",
    7,
    help="Days a finished export (annual report PDF, all tables XLSX) stays available for download; "
    "`schakelpunt insights_exports_cleanup` (daily) removes older files.",
    group="Inzicht",
)
# --- end of Insights ----------------------------------------------------------------------
