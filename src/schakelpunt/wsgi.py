import os

from django.core.wsgi import get_wsgi_application

# A server runs production settings unless told otherwise (they refuse to start without
# a real SECRET_KEY); the development server uses the ``schakelpunt`` command instead.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schakelpunt.conf.production")

application = get_wsgi_application()
