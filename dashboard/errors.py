"""Errors raised by services; routes and callbacks turn them into 4xx answers and messages."""

from __future__ import annotations


class ServiceError(Exception):
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ValidationError(ServiceError):
    """Bad input. `errors` maps a field name to its Vietnamese message."""

    status = 422

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class PermissionDenied(ServiceError):
    status = 403


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


class MalformedRequest(ServiceError):
    """A request whose shape no page of the application sends (a forged or broken callback
    state); answered with 400, before anything is changed."""

    status = 400
