"""One exception handler for the whole API: every error has the shape of API.md.

`{"code": ..., "detail": ..., "rule": "R-xx" (when a rule refused it), "fields": {...} (validation)}`

An unexpected exception is not handled here: DRF re-raises it, Django logs it with its traceback (django.request,
BSNs redacted) and answers with `server_error` below, the project's handler500 (wsp/urls.py), which answers under
/api/ with `{"code": "server_error", "detail": ...}` and status 500, never an HTML page or a stack trace. With DEBUG
on, Django's debug page comes first, as it should for a developer. `page_not_found` (handler404) does the same for
a path under /api/ that no route matches.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from wsp.errors import DomainError

CODES = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    exceptions.ParseError: "parse_error",
}


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested validation errors as `{"dotted.field": [messages]}`: a nested serializer's errors under
    `first_visit.reason`, a list item's under `skills.0`; never the Python repr of a dict or list."""
    if isinstance(detail, dict):
        fields: dict[str, list[str]] = {}
        for key, value in detail.items():
            fields.update(_flatten(value, f"{prefix}{key}."))
        return fields
    if isinstance(detail, list):
        if any(isinstance(item, dict | list) for item in detail):
            fields = {}
            for index, item in enumerate(detail):
                if item:  # DRF gives an empty dict for a valid item of a list of objects
                    fields.update(_flatten(item, f"{prefix}{index}."))
            return fields
        return {prefix[:-1] or "non_field_errors": [str(m) for m in detail]}
    return {prefix[:-1] or "non_field_errors": [str(detail)]}


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(fields)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        first = next(iter(fields.values()))[0] if fields else "Invalid input."
        response.data = {"code": "invalid", "detail": first, "fields": fields}
        response.status_code = status.HTTP_400_BAD_REQUEST
        return response
    code = next((c for cls, c in CODES.items() if isinstance(exc, cls)), getattr(exc, "default_code", "error"))
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    response.data = {"code": code, "detail": str(detail)}
    return response


def page_not_found(request, exception, *args, **kwargs):
    """handler404: a path under /api/ that no route matches answers in the error format too."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_found", "detail": str(exceptions.NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception, *args, **kwargs)


def server_error(request, *args, **kwargs):
    """handler500: the error format under /api/, Django's own page elsewhere."""
    if request.path.startswith("/api/"):
        detail = _("Something went wrong on our side. It has been logged; try again later.")
        return JsonResponse({"code": "server_error", "detail": detail}, status=500)
    return defaults.server_error(request, *args, **kwargs)
