"""Production defaults: everything secure, nothing that belongs to a demo."""

from django.core.exceptions import ImproperlyConfigured

from schakelpunt.conf.base import *  # noqa: F403
from schakelpunt.conf.base import SECRET_KEY, mail_settings
from schakelpunt.conf.env import config

ENVIRONMENT = "production"
DEBUG = False

if SECRET_KEY.startswith("development-only") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set SECRET_KEY to a long random value in production.")

SECURE_SSL_REDIRECT = config(
    "SECURE_SSL_REDIRECT",
    True,
    help="Production: redirect plain HTTP to HTTPS (off when a proxy does it).",
    group="Beveiliging",
)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = config(
    "SECURE_HSTS_SECONDS",
    31536000,
    help="Production: seconds browsers must use HTTPS only (HSTS).",
    group="Beveiliging",
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-schakelpunt_session"
CSRF_COOKIE_NAME = "__Host-schakelpunt_csrftoken"
LANGUAGE_COOKIE_SECURE = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
MAILERS = mail_settings("django.core.mail.backends.smtp.EmailBackend")
