"""The Content-Security-Policy (django-csp): every answer carries it, and no template relies on what it forbids, so
the pages work under it (the browser tests check the pages themselves: tests/browser/conftest.py)."""

import re
from pathlib import Path

import pytest

from accounts.choices import Role
from tests.factories import UserFactory

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def test_pages_and_api_answers_carry_a_strict_policy(client, adviser):
    client.force_login(adviser)
    for path in ("/", "/werkgevers/", "/vacatures/openbaar/", "/api/v1/employers/", "/inloggen/"):
        policy = _policy(client.get(path))
        assert policy["default-src"] == "'self'", path
        assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in policy["script-src"], path
        assert policy["style-src"] == "'self'", path
        assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'", path


def test_only_the_admin_and_the_api_docs_allow_their_own_inline_styles(client, uwv):
    client.force_login(UserFactory(organisation=uwv, role=Role.ADMIN, is_staff=True, is_superuser=True))
    for path in ("/admin/", "/api/docs/"):
        policy = _policy(client.get(path))
        assert policy["style-src"] == "'self' 'unsafe-inline'", path
        assert "unsafe-inline" not in policy["script-src"], path


def test_no_template_has_inline_script_style_or_event_handlers():
    offences = []
    for path in TEMPLATES.rglob("*.html"):
        if "admin" in path.parts:  # overrides of Django's admin templates
            continue
        text = path.read_text()
        for pattern in (r"\sstyle=\"", r"\son[a-z]+=\"", r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)"):
            offences += [f"{path.relative_to(TEMPLATES)}: {m.group(0)!r}" for m in re.finditer(pattern, text)]
        # A data block (JSON-LD) carries the request's nonce.
        offences += [
            f"{path.relative_to(TEMPLATES)}: JSON-LD without nonce"
            for m in re.finditer(r"<script[^>]*application/ld\+json[^>]*>", text)
            if "csp_nonce" not in m.group(0)
        ]
    assert not offences, "\n".join(offences)
