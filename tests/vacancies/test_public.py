"""R-16: the published vacancies, without login: `/vacatures/openbaar/` (search, list, detail with schema.org
JobPosting JSON-LD), an RSS 2.0 feed and `public/vacancies/` in the API.

Only open vacancies with visibility open or anonymous are published: the employer's name and contact person for
open ones, the vacancy owner's contact details (and no employer name or full postcode) for anonymous ones.
Internal, blocked, closed, filled and expired vacancies and everything about candidates stay out.
"""

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from employers.choices import EmployerStatus
from tests.factories import CandidateFactory, EmployerFactory, ReferralFactory, UserFactory, VacancyFactory
from vacancies.choices import VacancyStatus, Visibility

pytestmark = pytest.mark.django_db

PAGE = "/vacatures/openbaar/"
API = "/api/v1/public/vacancies/"
FEED = "/vacatures/openbaar/rss/"


@pytest.fixture
def owner(uwv):
    return UserFactory(
        username="sanne", first_name="Sanne", last_name="Visser", email="sanne.visser@uwv.example.nl",
        phone="023-5551234", organisation=uwv,
    )  # fmt: skip


@pytest.fixture
def bakery(owner):
    return EmployerFactory(
        name="Bakkerij Zoet", postcode="2011 AB", municipality="Haarlem", contact_name="Petra Zoet",
        contact_email="vacatures@bakkerijzoet.example.nl", contact_phone="023-5559876", main_account_holder=owner,
        website="https://bakkerijzoet.example.nl",
    )  # fmt: skip


@pytest.fixture
def hidden_employer(owner):
    return EmployerFactory(
        name="Geheime Fabriek", postcode="1971 XY", municipality="Velsen", contact_name="Hans Geheim",
        contact_email="hans@geheim.example.nl", contact_phone="0255-111111", main_account_holder=owner,
    )  # fmt: skip


@pytest.fixture
def published(bakery, hidden_employer, owner):
    """An open and an anonymous vacancy, and every kind that must not be published."""
    open_one = VacancyFactory(
        employer=bakery, title="Broodbakker", hours_per_week=36, visibility=Visibility.OPEN,
        description="Vroege dienst in de bakkerij.\nMet <b>oog</b> voor kwaliteit",
    )  # fmt: skip
    anonymous = VacancyFactory(
        employer=hidden_employer, title="Procesoperator", description="Ploegendienst in de procesindustrie",
        hours_per_week=24, visibility=Visibility.ANONYMOUS,
    )  # fmt: skip
    closed_at = timezone.now()
    hidden = [
        VacancyFactory(employer=bakery, title="Interne kassamedewerker", visibility=Visibility.INTERNAL),
        VacancyFactory(
            employer=bakery, title="Geblokkeerde banketbakker", visibility=Visibility.BLOCKED, blocked_reason="Twijfel"
        ),
        VacancyFactory(employer=bakery, title="Gesloten chauffeur", status=VacancyStatus.CLOSED, closed_at=closed_at),
        VacancyFactory(employer=bakery, title="Vervulde verkoper", status=VacancyStatus.FILLED, closed_at=closed_at),
        VacancyFactory(employer=bakery, title="Verlopen schoonmaker", status=VacancyStatus.EXPIRED),
        VacancyFactory(
            employer=bakery, title="Over datum inpakker", expires_on=timezone.localdate() - timedelta(days=1)
        ),
        VacancyFactory(
            employer=EmployerFactory(status=EmployerStatus.CEASED, ceased_on=timezone.localdate()),
            title="Gestaakte werkgever monteur",
        ),
    ]
    candidate = CandidateFactory(first_name="Kandidaatnaam", last_name="Geheimgehouden", email="kandidaat@priv.nl")
    ReferralFactory(vacancy=open_one, candidate=candidate)
    ReferralFactory(vacancy=anonymous, candidate=candidate)
    return {"open": open_one, "anonymous": anonymous, "hidden": hidden, "candidate": candidate}


HIDDEN_TITLES = ("Interne", "Geblokkeerde", "Gesloten", "Vervulde", "Verlopen", "Over datum", "Gestaakte")


def _assert_nothing_private(text: str, published):
    for title in HIDDEN_TITLES:
        assert title not in text, title
    candidate = published["candidate"]
    for value in (candidate.first_name, candidate.last_name, candidate.email):
        assert value not in text


# --- The public page ------------------------------------------------------------------------------------------


def test_the_list_needs_no_login_and_shows_only_published_vacancies_R16(client, published):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Broodbakker" in html and "Procesoperator" in html
    _assert_nothing_private(html, published)
    # Open: the employer's name; anonymous: never the employer's name.
    assert "Bakkerij Zoet" in html
    assert "Geheime Fabriek" not in html and "via het WerkgeversServicepunt" in html
    # A public layout: no staff menu, no login link needed, no session or CSRF cookie.
    assert "Mijn werk" not in html and "Uitloggen" not in html
    assert not response.cookies


def test_search_on_title_and_place_but_never_on_the_employer_name_R16(client, published):
    found = lambda **query: [row["vacancy"].title for row in client.get(PAGE, query).context["rows"]]  # noqa: E731
    assert found(q="bakker") == ["Broodbakker"]
    assert found(plaats="velsen") == ["Procesoperator"]
    assert found(q="operator", plaats="Haarlem") == []
    # Searching the hidden employer's name must not point at its anonymous vacancy.
    assert found(q="Geheime Fabriek") == []


def test_the_list_is_paged(client, owner):
    VacancyFactory.create_batch(23, employer__main_account_holder=owner)
    first = client.get(PAGE)
    assert len(first.context["rows"]) == 20 and first.context["page"].paginator.count == 23
    assert len(client.get(PAGE, {"pagina": 2}).context["rows"]) == 3


@pytest.mark.parametrize("n", [3, 30])
def test_the_list_page_has_a_fixed_query_count_R16(client, owner, n, django_assert_num_queries):
    for _ in range(n):
        VacancyFactory(employer=EmployerFactory(main_account_holder=owner), visibility=Visibility.ANONYMOUS)
        VacancyFactory(employer__main_account_holder=owner, visibility=Visibility.INTERNAL)
    # The count and one page with employer and owner (with organisation) joined; no session for an anonymous
    # visitor.
    with django_assert_num_queries(2):
        response = client.get(PAGE)
    assert len(response.context["rows"]) == min(n, 20)


def test_the_open_vacancy_page_shows_the_employers_contact_and_its_job_posting_R16(client, published):
    vacancy = published["open"]
    response = client.get(f"{PAGE}{vacancy.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Petra Zoet" in html and "vacatures@bakkerijzoet.example.nl" in html and "023-5559876" in html
    assert "Sanne Visser" not in html  # the owner's details are for anonymous vacancies
    _assert_nothing_private(html, published)
    posting = _json_ld(html)
    assert posting["@context"] == "https://schema.org/" and posting["@type"] == "JobPosting"
    assert (posting["title"], posting["employmentType"], posting["workHours"]) == (
        "Broodbakker",
        "FULL_TIME",
        "36 uur per week",
    )
    assert posting["description"].startswith("Vroege dienst")
    assert posting["datePosted"] == timezone.localtime(vacancy.registered_at).date().isoformat()
    assert posting["validThrough"].startswith(vacancy.expires_on.isoformat())
    assert posting["hiringOrganization"] == {
        "@type": "Organization",
        "name": "Bakkerij Zoet",
        "sameAs": "https://bakkerijzoet.example.nl",
    }
    assert posting["jobLocation"]["address"] == {
        "@type": "PostalAddress",
        "addressCountry": "NL",
        "addressLocality": "Haarlem",
        "postalCode": "2011 AB",
    }
    assert posting["applicationContact"]["email"] == "vacatures@bakkerijzoet.example.nl"
    assert posting["url"] == f"http://testserver{PAGE}{vacancy.pk}/"


def test_the_anonymous_vacancy_page_shows_the_owners_contact_and_hides_the_employer_R16(client, published, owner):
    vacancy = published["anonymous"]
    html = client.get(f"{PAGE}{vacancy.pk}/").content.decode()
    assert "Sanne Visser" in html and "sanne.visser@uwv.example.nl" in html and "023-5551234" in html
    for secret in ("Geheime Fabriek", "Hans Geheim", "hans@geheim.example.nl", "0255-111111", "1971 XY"):
        assert secret not in html, secret
    posting = _json_ld(html)
    assert posting["hiringOrganization"]["name"] == "WerkgeversServicepunt Zuid-Kennemerland en IJmond"
    assert posting["jobLocation"]["address"]["postalCode"] == "1971"  # the four digits only
    assert posting["employmentType"] == "PART_TIME"
    assert posting["applicationContact"]["name"] == "Sanne Visser"


def test_a_vacancy_text_cannot_break_out_of_the_json_ld(client, bakery):
    vacancy = VacancyFactory(employer=bakery, description="</script><script>alert(1)</script> & meer")
    html = client.get(f"{PAGE}{vacancy.pk}/").content.decode()
    assert "<script>alert(1)" not in html
    assert _json_ld(html)["description"] == "</script><script>alert(1)</script> & meer"


def test_unpublished_vacancies_are_404_publicly_R16(client, published):
    for vacancy in published["hidden"]:
        assert client.get(f"{PAGE}{vacancy.pk}/").status_code == 404, vacancy.title
    assert client.get(f"{PAGE}999999999/").status_code == 404
    assert client.get(f"{PAGE}99999999999/").status_code == 404  # beyond the integer range: still a 404


# --- RSS --------------------------------------------------------------------------------------------------------


def test_the_rss_feed_lists_the_published_vacancies_R16(client, published):
    response = client.get(FEED)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("language") == "nl"
    items = {item.findtext("title"): item for item in channel.findall("item")}
    assert set(items) == {"Broodbakker (Haarlem)", "Procesoperator (Velsen)"}
    assert items["Broodbakker (Haarlem)"].findtext("link") == f"http://testserver{PAGE}{published['open'].pk}/"
    assert "Bakkerij Zoet" in items["Broodbakker (Haarlem)"].findtext("description")
    assert "Geheime Fabriek" not in response.content.decode()
    _assert_nothing_private(response.content.decode(), published)


def test_the_feed_has_one_query(client, owner, django_assert_num_queries):
    VacancyFactory.create_batch(5, employer__main_account_holder=owner)
    with django_assert_num_queries(1):
        assert client.get(FEED).status_code == 200


# --- API --------------------------------------------------------------------------------------------------------


def test_the_api_needs_no_authentication_and_has_the_contract_fields_R16(api_client, published, owner):
    response = api_client.get(API)
    assert response.status_code == 200
    rows = {row["title"]: row for row in response.json()["results"]}
    assert set(rows) == {"Broodbakker", "Procesoperator"}
    assert set(response.json()) == {"next", "previous", "results"}
    contract = {
        "id", "title", "description", "hours_per_week", "municipality", "employer_name", "contact", "registered_at",
        "expires_on", "url",
    }  # fmt: skip
    assert contract <= set(rows["Broodbakker"])
    assert rows["Broodbakker"]["employer_name"] == "Bakkerij Zoet"
    assert rows["Broodbakker"]["contact"] == {
        "name": "Petra Zoet",
        "email": "vacatures@bakkerijzoet.example.nl",
        "phone": "023-5559876",
    }
    assert rows["Procesoperator"]["employer_name"] is None
    assert rows["Procesoperator"]["contact"] == {
        "name": "Sanne Visser",
        "email": "sanne.visser@uwv.example.nl",
        "phone": "023-5551234",
    }
    assert rows["Procesoperator"]["url"] == f"http://testserver{PAGE}{published['anonymous'].pk}/"
    body = response.content.decode()
    assert "Geheime Fabriek" not in body and "Hans Geheim" not in body
    _assert_nothing_private(body, published)


def test_the_api_ignores_credentials_and_refuses_writes(client_for, adviser, published):
    staff = client_for(adviser)
    assert staff.get(API).status_code == 200
    assert staff.post(API, {"title": "x"}, format="json").status_code == 405


def test_the_api_filters_and_cursor_pages(api_client, owner, published):
    assert [r["title"] for r in api_client.get(API, {"q": "bakker"}).json()["results"]] == ["Broodbakker"]
    assert [r["title"] for r in api_client.get(API, {"municipality": "velsen"}).json()["results"]] == ["Procesoperator"]
    first = api_client.get(API, {"page_size": 1}).json()
    assert len(first["results"]) == 1 and first["next"]
    second = api_client.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["results"][0]["id"] != first["results"][0]["id"]
    response = api_client.get(API, {"updated_since": "not a date"})
    assert (response.status_code, response.json()["code"]) == (400, "invalid")


LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "public-test"}}


@pytest.mark.parametrize("n", [3, 30])
@override_settings(CACHES=LOCAL_CACHE)
def test_the_api_list_has_a_fixed_query_count_R16(api_client, owner, n, django_assert_num_queries):
    for _ in range(n):
        VacancyFactory(employer__main_account_holder=owner, visibility=Visibility.OPEN)
        VacancyFactory(employer__main_account_holder=owner, visibility=Visibility.ANONYMOUS)
    # One query: a page with employer and owner (with organisation) joined; no session, no token lookup. (The
    # throttle's counter lives in the cache: Redis in production, here a local-memory cache, so it is not counted.)
    with django_assert_num_queries(1):
        response = api_client.get(API)
    assert len(response.json()["results"]) == min(2 * n, 50)  # a page of 50


def test_anonymous_callers_are_throttled(api_client, published):
    cache.clear()
    rates = {"DEFAULT_THROTTLE_RATES": {"public": "2/minute"}}
    from django.conf import settings

    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, **rates}):
        assert [api_client.get(API).status_code for _ in range(3)] == [200, 200, 429]
        assert api_client.get(API).json()["code"] == "throttled"
    cache.clear()


def test_the_schema_documents_the_public_list_without_authentication_R16():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/public/vacancies/"]["get"]
    assert operation.get("security") in (None, [], [{}])
    assert {"200", "429"} <= set(operation["responses"])
    component = schema["components"]["schemas"]["PublicVacancy"]
    assert component["properties"]["employer_name"]["nullable"] is True
    assert component["properties"]["contact"]["$ref"].endswith("/PublicContact")
    assert set(schema["components"]["schemas"]["PublicContact"]["properties"]) == {"name", "email", "phone"}


def _json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))
