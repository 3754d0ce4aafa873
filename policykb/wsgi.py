"""WSGI entry point (gunicorn policykb.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policykb.settings")
application = get_wsgi_application()
