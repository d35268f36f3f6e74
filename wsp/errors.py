"""Domain errors raised by services and selectors.

Each carries a stable `code`, a human `detail` and, when a rule refused it, the rule id. The API maps them to the
error format of API.md (wsp.api.exceptions); the browser shows the detail as a message. Raising before any write
inside `transaction.atomic` means a refusal leaves the data as it was.
"""

from typing import Any


class DomainError(Exception):
    status_code = 400
    default_code = "invalid"

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        rule: str | None = None,
        fields: dict[str, list[str]] | None = None,
        extra: dict[str, Any] | None = None,
    ):
        super().__init__(str(detail))
        self.detail = detail
        self.code = code or self.default_code
        self.rule = rule
        self.fields = fields
        self.extra = extra or {}

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "detail": str(self.detail)}
        if self.rule:
            body["rule"] = self.rule
        if self.fields:
            body["fields"] = {name: [str(m) for m in messages] for name, messages in self.fields.items()}
        body.update(self.extra)
        return body


class InvalidInput(DomainError):
    """400: the input breaks a rule of form or content."""


class RuleRefused(DomainError):
    """403: a WBS rule or the caller's role forbids this action."""

    status_code = 403
    default_code = "rule_refused"


class NotVisible(DomainError):
    """404: the object does not exist or is not visible to the caller (existence must not leak)."""

    status_code = 404
    default_code = "not_found"


class Conflict(DomainError):
    """409: a duplicate or a concurrent change."""

    status_code = 409
    default_code = "conflict"
