"""Fixtures for the admin tests: a real superuser and a demo-style administrator (staff in "Beheerders"), and a
helper that submits an admin form as a browser would."""

from html.parser import HTMLParser

import pytest
from django.test import Client

from accounts.admin import administrators_group
from accounts.choices import Role
from tests.factories import UserFactory


@pytest.fixture
def superuser(uwv):
    return UserFactory(username="root", organisation=uwv, role=Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def demo_admin(uwv):
    """An administrator as the demo seeds them: staff, in the group "Beheerders", not a superuser."""
    user = UserFactory(username="beheer", organisation=uwv, role=Role.ADMIN, is_staff=True)
    administrators_group().user_set.add(user)
    return user


@pytest.fixture(params=["superuser", "demo_admin"])
def admin_client_as(request) -> Client:
    """Logged in to the admin as each kind of administrator in turn; `.user` is who."""
    user = request.getfixturevalue(request.param)
    client = Client()
    client.force_login(user)
    client.user = user
    return client


class _FormParser(HTMLParser):
    """The fields a browser submits from the form with the given id (inputs, selects, textareas)."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, []
        self._select = self._textarea = None
        self._select_options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type", "text") not in ("submit", "button", "file", "image"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.append((name, attrs.get("value", "on")))
            else:
                self.data.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self._select, self._multiple, self._select_options = name, "multiple" in attrs, []
        elif tag == "option" and self._select:
            self._select_options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select:
            chosen = [value for value, selected in self._select_options if selected]
            if not chosen and not self._multiple and self._select_options:
                chosen = [self._select_options[0][0]]
            self.data.extend((self._select, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.data.append((self._textarea, self._text.lstrip("\n")))
            self._textarea = None


def form_data(response, form_id: str) -> dict[str, list[str]]:
    """What submitting the page's form `form_id` unchanged would send."""
    parser = _FormParser(form_id)
    parser.feed(response.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    return data


def submit(client: Client, url: str, form_id: str, **changes):
    """GET the admin page, change some fields, POST it back as a browser would."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = form_data(page, form_id)
    assert data, f"no form {form_id!r} on {url}"
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value if isinstance(value, list) else [value]
    return client.post(url, data)
