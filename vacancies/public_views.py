"""The region's public vacancy pages (R-16), without login: the list with search, a page per vacancy with its
schema.org `JobPosting` data, and an RSS 2.0 feed. They read through `selectors.public_vacancies` only, so
internal, blocked, closed, filled and expired vacancies and everything about candidates stay out.

The pages use their own layout (`vacancies/public_base.html`): no staff menu, no session, no CSRF cookie.
"""

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from wsp.inputs import int_or_none

from . import public, selectors
from .forms import PublicSearchForm

PAGE_SIZE = 20
FEED_ITEMS = 50


def _published_page(vacancy) -> dict:
    """What the list and the page show of one published vacancy (R-16)."""
    return {
        "vacancy": vacancy,
        "employer_name": public.employer_name(vacancy),
        "contact": public.contact(vacancy),
        "contact_organisation": public.contact_organisation(vacancy),
        "postcode": public.public_postcode(vacancy),
    }


@require_safe
def public_vacancy_list(request):
    """R-16: the published vacancies, newest first, searchable on job title and place; 20 a page."""
    form = PublicSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    vacancies = selectors.public_vacancy_search(
        selectors.public_vacancies(), title=filters.get("q", ""), place=filters.get("plaats", "")
    )
    page = Paginator(vacancies, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "vacancies/public_list.html",
        {
            "form": form,
            "page": page,
            "rows": [_published_page(vacancy) for vacancy in page.object_list],
            "query": query.urlencode(),
        },
    )


@require_safe
def public_vacancy_detail(request, pk):
    """R-16: one published vacancy with the contact details R-16 prescribes and its JobPosting JSON-LD. Anything
    not published is a 404, indistinguishable from an id that does not exist."""
    vacancy_id = int_or_none(pk)
    vacancy = selectors.public_vacancy(vacancy_id=vacancy_id) if vacancy_id else None
    if vacancy is None:
        raise Http404
    url = request.build_absolute_uri(reverse("public-vacancy-detail", args=[vacancy.pk]))
    site = request.build_absolute_uri(reverse("public-vacancy-list"))
    return render(
        request,
        "vacancies/public_detail.html",
        {
            **_published_page(vacancy),
            "canonical_url": url,
            "json_ld": public.json_ld(public.job_posting(vacancy, url=url, site_url=site)),
            "full_time": vacancy.hours_per_week >= public.FULL_TIME_FROM_HOURS,
        },
    )


class PublishedVacancyFeed(Feed):
    """R-16: RSS 2.0 of the 50 newest published vacancies, for job boards and readers (one query)."""

    feed_type = Rss201rev2Feed
    title = gettext_lazy("Vacancies of the employer service point Zuid-Kennemerland en IJmond")
    link = reverse_lazy("public-vacancy-list")
    description = gettext_lazy("Open vacancies in the region, registered by the employer service point.")
    language = "nl"

    def items(self):
        return selectors.public_vacancies()[:FEED_ITEMS]

    def item_title(self, vacancy):
        return f"{vacancy.title} ({vacancy.municipality})" if vacancy.municipality else vacancy.title

    def item_description(self, vacancy):
        employer = public.employer_name(vacancy)
        facts = [_("%(hours)s hours a week") % {"hours": vacancy.hours_per_week}]
        if vacancy.municipality:
            facts.append(vacancy.municipality)
        if employer:
            facts.append(employer)
        text = " · ".join(facts)
        if vacancy.description:
            text += "\n\n" + Truncator(vacancy.description).chars(600)
        return text

    def item_link(self, vacancy):
        return reverse("public-vacancy-detail", args=[vacancy.pk])

    def item_pubdate(self, vacancy):
        return vacancy.registered_at

    def item_updateddate(self, vacancy):
        return vacancy.updated_at

    def item_author_name(self, vacancy):
        return public.employer_name(vacancy) or public.WSP_NAME
