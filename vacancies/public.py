"""R-16: what the region publishes of a vacancy, for its public page, feed and `public/vacancies/`.

"Public" means published (in WBS on werk.nl; here on the region's own vacancy page and feed, which job boards and
search engines read). Only open and anonymous vacancies are published (`Vacancy.objects.published()`):

- `open`: the employer's name and its contact person are shown; applications go to the employer;
- `anonymous`: neither the employer's name nor its contact details, nor its full postcode (one company at a
  postcode would give it away): the vacancy owner's contact details are shown instead, and the WSP is named as
  the hiring organisation in the JobPosting data.

Nothing about candidates is ever published. This module only shapes what the selectors fetched; it runs no query.
"""

import json
from datetime import datetime, time

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from .choices import Visibility
from .models import Vacancy

# The service point that publishes: the hiring organisation of anonymous vacancies in the JobPosting data.
WSP_NAME = "WerkgeversServicepunt Zuid-Kennemerland en IJmond"
# As django.utils.html.json_script escapes them: no vacancy text can close the script element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
# Hours a week from which a job counts as full-time for schema.org's employmentType (else part-time).
FULL_TIME_FROM_HOURS = 32


def is_open(vacancy: Vacancy) -> bool:
    return vacancy.visibility == Visibility.OPEN


def employer_name(vacancy: Vacancy) -> str | None:
    """The employer's name for an open vacancy; None for an anonymous one (R-16)."""
    return vacancy.employer.name if is_open(vacancy) else None


def contact(vacancy: Vacancy) -> dict[str, str]:
    """R-16: whom an applicant contacts: the employer's contact person for an open vacancy, the vacancy owner
    (an adviser of the WSP) for an anonymous one."""
    if is_open(vacancy):
        employer = vacancy.employer
        return {"name": employer.contact_name, "email": employer.contact_email, "phone": employer.contact_phone}
    owner = vacancy.owner
    return {"name": owner.full_name, "email": owner.email, "phone": owner.phone}


def contact_organisation(vacancy: Vacancy) -> str:
    """Whom the contact person works for: the employer (open) or the owner's partner organisation (anonymous)."""
    return vacancy.employer.name if is_open(vacancy) else vacancy.owner.organisation.name


def public_postcode(vacancy: Vacancy) -> str:
    """The work location's postcode: in full for an open vacancy, its four digits for an anonymous one."""
    postcode = vacancy.postcode or ""
    return postcode if is_open(vacancy) else postcode[:4]


def valid_through(vacancy: Vacancy) -> datetime:
    """The end of the expiry day, local time."""
    return timezone.make_aware(datetime.combine(vacancy.expires_on, time(23, 59, 59)))


def job_posting(vacancy: Vacancy, *, url: str, site_url: str = "") -> dict:
    """schema.org `JobPosting` of a published vacancy (https://schema.org/JobPosting), as job boards and search
    engines read it from the public page: title, description, dates, employment type, hiring organisation (the
    employer for open vacancies, the WSP for anonymous ones), location, hours and the application contact."""
    person = contact(vacancy)
    if is_open(vacancy):
        hiring = {"@type": "Organization", "name": vacancy.employer.name}
        if vacancy.employer.website:
            hiring["sameAs"] = vacancy.employer.website
    else:
        hiring = {"@type": "Organization", "name": WSP_NAME}
        if site_url:
            hiring["sameAs"] = site_url
    address = {"@type": "PostalAddress", "addressCountry": "NL"}
    if vacancy.municipality:
        address["addressLocality"] = vacancy.municipality
    if public_postcode(vacancy):
        address["postalCode"] = public_postcode(vacancy)
    posting = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": vacancy.title,
        "description": vacancy.description or vacancy.title,
        "identifier": {"@type": "PropertyValue", "name": WSP_NAME, "value": str(vacancy.pk)},
        "datePosted": timezone.localtime(vacancy.registered_at).date().isoformat(),
        "validThrough": valid_through(vacancy).isoformat(),
        "employmentType": "FULL_TIME" if vacancy.hours_per_week >= FULL_TIME_FROM_HOURS else "PART_TIME",
        "hiringOrganization": hiring,
        "jobLocation": {"@type": "Place", "address": address},
        "workHours": f"{vacancy.hours_per_week} uur per week",
        "url": url,
    }
    application_contact = {"@type": "ContactPoint", "contactType": "sollicitaties"}
    for key, field in (("name", "name"), ("email", "email"), ("telephone", "phone")):
        if person[field]:
            application_contact[key] = person[field]
    if len(application_contact) > 2:
        posting["applicationContact"] = application_contact
    return posting


def json_ld(data: dict) -> SafeString:
    """JSON for a `<script type="application/ld+json">` block, with <, > and & escaped as json_script does, so no
    text of a vacancy can close the script element."""
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES))


def site_url() -> str:
    return getattr(settings, "WSP_SITE_URL", "")
