"""R-53: the budget forms for managers in the browser: a new budget for a year, adding, changing and removing a line,
and the realised spend on the form. Every refusal shows the service's Dutch message on the form and changes nothing;
advisers are sent away (R-01)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from reporting.budgets import services
from reporting.budgets.choices import LineKind
from reporting.budgets.models import Budget, BudgetLine

pytestmark = pytest.mark.django_db

NL = {"HTTP_ACCEPT_LANGUAGE": "nl"}
CREATE = reverse("budget-create")


def _no_inline(html: str) -> None:
    assert "style=" not in html and "<style" not in html and "<script>" not in html


def _line_post(**overrides) -> dict:
    data = {
        "kind": LineKind.PERSONNEL,
        "label": "Jobcoach Spaarne Werkt",
        "organisation": "",
        "planned": "45000.00",
        "funded_from": "2024-01-01",
        "funded_until": "2024-09-01",
        "uncovered": "15000",
        "note": "Dekking tot 1 september",
    }
    data.update(overrides)
    return data


@pytest.fixture
def budget(manager):
    return services.budget_create(by=manager, year=2024, title="Begroting WSP 2024")


@pytest.fixture
def line(manager, budget, uwv):
    return services.budget_line_add(
        by=manager, budget=budget, kind=LineKind.CONTRIBUTION, label="Bijdrage UWV", organisation=uwv, planned="1000"
    )


# -- a new budget ---------------------------------------------------------------------------------------------------


def test_r53_manager_creates_a_budget_for_a_year(client, manager):
    client.force_login(manager)
    page = client.get(CREATE, {"year": 2025}, **NL)
    assert page.status_code == 200 and page.context["form"]["year"].value() == 2025
    _no_inline(page.content.decode())
    response = client.post(CREATE, {"year": "2025", "title": "Begroting WSP 2025"}, **NL)
    assert response.status_code == 302 and response.url == f"{reverse('budgets')}?year=2025"
    assert Budget.objects.get().title == "Begroting WSP 2025"
    assert "Begroting WSP 2025" in client.get(response.url, **NL).content.decode()


def test_r53_the_budget_page_links_to_the_new_forms(client, manager, line):
    client.force_login(manager)
    html = client.get(reverse("budgets"), {"year": 2024}, **NL).content.decode()
    assert reverse("budget-create") in html and reverse("budget-line-add", args=[line.budget_id]) in html
    assert (
        reverse("budget-line-change", args=[line.pk]) in html and reverse("budget-line-remove", args=[line.pk]) in html
    )
    empty = client.get(reverse("budgets"), {"year": 2030}, **NL).content.decode()
    assert f"{CREATE}?year=2030" in empty


def test_r53_a_second_budget_for_the_year_is_refused(client, manager, budget, budget_rows):
    client.force_login(manager)
    before = budget_rows()
    response = client.post(CREATE, {"year": "2024", "title": "Nog een"}, **NL)
    assert response.status_code == 200
    assert response.context["form"].errors["year"] == ["Er is al een begroting voor dit jaar; wijzig die."]
    assert "Er is al een begroting voor dit jaar" in response.content.decode()
    assert budget_rows() == before


def test_r53_a_year_out_of_range_is_refused(client, manager, budget_rows):
    client.force_login(manager)
    before = budget_rows()
    response = client.post(CREATE, {"year": "1990", "title": ""}, **NL)
    assert response.status_code == 200 and "Vul een jaar in, zoals 2025." in response.content.decode()
    response = client.post(CREATE, {"year": "", "title": "Zonder jaar"}, **NL)
    assert response.status_code == 200 and response.context["form"].errors["year"]
    assert budget_rows() == before


# -- adding a line --------------------------------------------------------------------------------------------------


def test_r53_manager_adds_a_line_with_its_funding(client, manager, budget, uwv):
    client.force_login(manager)
    url = reverse("budget-line-add", args=[budget.pk])
    assert client.get(url, **NL).status_code == 200
    response = client.post(url, _line_post(organisation=uwv.pk), **NL)
    assert response.status_code == 302 and response.url == f"{reverse('budgets')}?year=2024"
    line = BudgetLine.objects.get()
    assert (line.budget, line.kind, line.organisation, line.planned) == (budget, "personnel", uwv, Decimal("45000"))
    assert (line.funded_from, line.funded_until, line.uncovered) == (date(2024, 1, 1), date(2024, 9, 1), 15000)
    html = client.get(response.url, **NL).content.decode()
    assert "Jobcoach Spaarne Werkt" in html and "Dekking tot 1 september" in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"planned": "-10"}, "planned", "Een bedrag kan niet negatief zijn."),
        ({"uncovered": "-1"}, "uncovered", "Een bedrag kan niet negatief zijn."),
        ({"funded_until": "2023-12-31"}, "funded_until", "De dekking kan niet eindigen voordat die begint."),
        ({"label": "  "}, "label", "Geef de regel een omschrijving."),
    ],
)
def test_r53_a_wrong_line_is_refused_on_the_form(client, manager, budget, budget_rows, overrides, field, message):
    client.force_login(manager)
    before = budget_rows()
    response = client.post(reverse("budget-line-add", args=[budget.pk]), _line_post(**overrides), **NL)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    assert budget_rows() == before


# -- changing and removing a line -------------------------------------------------------------------------------------


def test_r53_manager_changes_a_line(client, manager, line):
    client.force_login(manager)
    url = reverse("budget-line-change", args=[line.pk])
    page = client.get(url, **NL)
    assert page.status_code == 200 and page.context["form"]["label"].value() == "Bijdrage UWV"
    _no_inline(page.content.decode())
    response = client.post(
        url, _line_post(kind=LineKind.CONTRIBUTION, label="Bijdrage UWV 2024", organisation=line.organisation_id), **NL
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.label, line.planned, line.funded_until) == ("Bijdrage UWV 2024", Decimal("45000"), date(2024, 9, 1))


def test_r53_a_wrong_change_is_refused_and_the_line_stays(client, manager, line, budget_rows):
    client.force_login(manager)
    before = budget_rows()
    url = reverse("budget-line-change", args=[line.pk])
    response = client.post(url, _line_post(planned="-5"), **NL)
    assert response.status_code == 200 and "Een bedrag kan niet negatief zijn." in response.content.decode()
    response = client.post(url, _line_post(funded_from="2024-10-01", funded_until="2024-09-01"), **NL)
    assert (
        response.status_code == 200 and "De dekking kan niet eindigen voordat die begint." in response.content.decode()
    )
    response = client.post(url, _line_post(kind="travel"), **NL)
    assert response.status_code == 200 and response.context["form"].errors["kind"]
    assert budget_rows() == before


def test_r53_removing_a_line_asks_first_then_removes(client, manager, line):
    client.force_login(manager)
    url = reverse("budget-line-remove", args=[line.pk])
    page = client.get(url, **NL)
    assert page.status_code == 200 and "Bijdrage UWV" in page.content.decode()
    assert BudgetLine.objects.filter(pk=line.pk).exists()  # the GET only asks
    response = client.post(url, **NL)
    assert response.status_code == 302 and response.url == f"{reverse('budgets')}?year=2024"
    assert not BudgetLine.objects.filter(pk=line.pk).exists()


def test_r53_a_line_with_spend_cannot_be_removed(client, manager, line, budget_rows):
    services.budget_spend_record(by=manager, line=line, month=date(2024, 2, 1), amount_spent="100")
    client.force_login(manager)
    before = budget_rows()
    url = reverse("budget-line-remove", args=[line.pk])
    response = client.post(url, **NL)
    assert response.status_code == 200
    assert "Op deze regel zijn al uitgaven geboekt; hij kan niet worden verwijderd." in response.content.decode()
    assert budget_rows() == before


# -- realised spend: refusals on the form -----------------------------------------------------------------------------


def test_r53_spend_refusals_are_shown_on_the_spend_form(client, manager, line, budget_rows):
    client.force_login(manager)
    before = budget_rows()
    url = f"{reverse('budgets')}?year=2024"
    response = client.post(url, {"line": line.pk, "month": "2025-03", "amount": "10"}, **NL)
    assert response.context["form"].errors["month"] == ["De maand ligt buiten het jaar van de begroting."]
    response = client.post(url, {"line": line.pk, "month": "2024-03", "amount": "-10"}, **NL)
    assert response.context["form"].errors["amount"] == ["Een bedrag kan niet negatief zijn."]
    assert budget_rows() == before


# -- managers only ------------------------------------------------------------------------------------------------


def test_r01_r53_advisers_are_sent_away_from_every_budget_form(client, adviser, line, budget_rows):
    client.force_login(adviser)
    before = budget_rows()
    posts = [
        (CREATE, {"year": "2026"}),
        (reverse("budget-line-add", args=[line.budget_id]), _line_post()),
        (reverse("budget-line-change", args=[line.pk]), _line_post(label="Anders")),
        (reverse("budget-line-remove", args=[line.pk]), {}),
    ]
    for url, data in posts:
        assert client.get(url).status_code == 302
        response = client.post(url, data)
        assert response.status_code == 302 and response.url == reverse("home")
    assert budget_rows() == before


@pytest.mark.parametrize("n", [2, 20])
def test_r53_budget_page_with_line_links_keeps_its_query_count(client, manager, uwv, django_assert_num_queries, n):
    budget = services.budget_create(by=manager, year=2024)
    for _ in range(n):
        line = services.budget_line_add(by=manager, budget=budget, kind=LineKind.PERSONNEL, label="Regel",
                                        organisation=uwv, planned="10")  # fmt: skip
        services.budget_spend_record(by=manager, line=line, month=date(2024, 1, 1), amount_spent="5")
    client.force_login(manager)
    # session, user, budget, its lines (organisation joined, spend summed), spend per month, placements, years, and
    # the spend form's lines: the same at 2 and at 20 lines (each line's links need no query).
    with django_assert_num_queries(8):
        assert client.get(reverse("budgets"), {"year": 2024}).status_code == 200
