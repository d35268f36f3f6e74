"""OpenAPI schema post-processing: every operation documents the error answers of API.md.

The error format is one component, `Error`: `{code, detail, rule?, fields?}` plus the extra keys a rule adds
(`duplicates` with a 409 of R-07, `possible_from` with a 403 of R-05, ...). Every operation can answer 400 (input or
filter invalid), 404 (not visible to you) and 429 (throttled); an authenticated one also 401 and 403; a write also 409
(duplicate, concurrent change). A documented 500 is the same format: the API never answers a stack trace.
"""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

ERROR_SCHEMA = {
    "type": "object",
    "description": "The error format of every API answer that is not a success (API.md).",
    "properties": {
        "code": {"type": "string", "description": "stable snake_case code, e.g. admission_required"},
        "detail": {"type": "string", "description": "human text, Dutch or English after Accept-Language"},
        "rule": {"type": "string", "description": "the rule that refused it, e.g. R-05", "pattern": "^R-[0-9]+[a-z]?$"},
        "fields": {
            "type": "object",
            "description": "validation messages per field; nested fields are dotted (first_visit.reason, skills.0)",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["code", "detail"],
    "additionalProperties": True,
}

DESCRIPTIONS = {
    "400": "Invalid input or filter (`fields` says what).",
    "401": "No or invalid credentials.",
    "403": "Not allowed: a rule (`rule`) or the caller's role or token refused it.",
    "404": "Not found or not visible to you.",
    "409": "Conflict: a duplicate or a concurrent change.",
    "429": "Throttled; retry after the Retry-After header.",
    "500": "Unexpected error; logged, never a stack trace.",
}
SAFE_METHODS = {"get", "head", "options"}


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete", "head", "options"}:
                continue
            codes = ["400", "404", "429", "500"]
            if operation.get("security") != [{}] and {} not in (operation.get("security") or [{"auth": []}]):
                codes += ["401", "403"]
            if method not in SAFE_METHODS:
                codes.append("409")
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(
                    code, {"description": DESCRIPTIONS[code], "content": {"application/json": {"schema": reference}}}
                )
    return result


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, true to what the answers hold where DRF's introspection falls short.

    A read-only field of a model field that may be blank can answer "" (DRF drops `allow_blank` from read-only
    fields): its enum admits "" and an e-mail or URI format admits the empty string.
    """

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        blank = field.read_only and _model_field_may_be_blank(field)
        if blank and isinstance(field, serializers.ChoiceField):
            field.allow_blank = True
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if blank and schema.get("format") in ("email", "uri"):
            return {"oneOf": [schema, {"type": "string", "maxLength": 0}], "description": schema.get("description", "")}
        return schema


class SingleObjectSchema(AutoSchema):
    """For a viewset whose `list` answers one object (figures with their total), not a list of rows."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


def _model_field_may_be_blank(field) -> bool:
    meta = getattr(getattr(field, "parent", None), "Meta", None)
    model = getattr(meta, "model", None)
    if model is None or not field.source or "." in field.source:
        return False
    try:
        return bool(getattr(model._meta.get_field(field.source), "blank", False))
    except FieldDoesNotExist:
        return False
