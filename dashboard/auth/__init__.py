"""Authentication (Flask-Login) and the authorization policy."""
