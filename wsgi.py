"""WSGI entry point: `gunicorn wsgi:application`."""

from dashboard import create_app

application = create_app()
