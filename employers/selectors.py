"""Reads for employers (STYLE habit 3). Each selector states what it joins, so pages keep a fixed query count."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncQuarter
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pghistory.models import MiddlewareEvents

from accounts.choices import Role
from accounts.models import User
from wsp.periods import local_midnight, quarter_start

from .choices import AccessRequestStatus, EmployerStatus, LastContactSource
from .models import AccessRequest, AccountHolder, ContactMoment, ContactRequest, Employer, EmployerFeedback
from .normalize import name_key, normalise_postcode

# a candidate must be at least this similar by name to be offered as "did you mean"...
SIMILAR_NAME = 0.35
# ...and this similar (after the postcode bonus) to stop the creation until the adviser confirms.
LIKELY_DUPLICATE = 0.6
POSTCODE_BONUS = 0.3
DUPLICATE_LIMIT = 10


def _duplicate_row(employer: Employer, score: float) -> dict:
    return {
        "id": employer.pk,
        "name": employer.name,
        "postcode": employer.postcode,
        "city": employer.city,
        "status": employer.status,
        "main_account_holder": employer.main_account_holder_id,
        "score": round(min(score, 1.0), 3),
    }


def duplicate_candidates(*, name: str, postcode: str = "", likely_only: bool = False) -> list[dict]:
    """R-07: possible duplicates, best first: first on name (trigram similarity of the normalised name), then on
    postcode (the same postcode adds to the score and brings in records whose name was written differently).

    One query; the trigram GIN index on `name_key` answers the name part.
    """
    key = name_key(name or "")
    postcode = normalise_postcode(postcode or "") or ""
    if len(key) < 2 and not postcode:
        return []
    match = Q(name_key__trigram_similar=key) if len(key) >= 2 else Q(pk__in=[])
    if postcode:
        match |= Q(postcode=postcode)
    rows = (
        Employer.objects.current()
        .not_purged()  # an anonymised record is nobody's duplicate
        .filter(match)
        .annotate(similarity=TrigramSimilarity("name_key", key))
        .only("id", "name", "postcode", "city", "status", "main_account_holder_id", "name_key")
        .order_by("-similarity", "id")[: DUPLICATE_LIMIT * 3]
    )
    results = []
    for employer in rows:
        score = 1.0 if employer.name_key == key else float(employer.similarity)
        if postcode and employer.postcode == postcode:
            score += POSTCODE_BONUS
        elif score < SIMILAR_NAME:
            continue
        if likely_only and score < LIKELY_DUPLICATE:
            continue
        results.append(_duplicate_row(employer, score))
    results.sort(key=lambda row: (-row["score"], row["id"]))
    return results[:DUPLICATE_LIMIT]


def strong_duplicates(*, name: str, postcode: str, kvk_number: str = "") -> list[dict]:
    """R-07: records that certainly are this employer: same normalised name or same KvK number, same postcode."""
    same = Q(name_key=name_key(name or ""))
    if kvk_number:
        same |= Q(kvk_number=kvk_number)
    rows = Employer.objects.current().not_purged().filter(same, postcode=postcode).order_by("id")[:DUPLICATE_LIMIT]
    return [_duplicate_row(employer, 1.0) for employer in rows]


def employer_list(*, user: User, filters: dict | None = None) -> QuerySet[Employer]:
    """The employer list and search (R-02: all employers of the region), filtered and ordered, with its joins.

    Filters: q (name, postcode or KvK), status ("" = active, "ceased", "all"), sector, municipality, mine (my
    caseload) and takeover (12 months without contact, R-05; ordered longest-silent first).
    """
    filters = filters or {}
    qs = Employer.objects.visible_to(user).for_list()
    if filters.get("q"):
        qs = qs.search(filters["q"])
    status = filters.get("status") or ""
    if status == "ceased":
        qs = qs.filter(status=EmployerStatus.CEASED)
    elif status != "all":
        qs = qs.filter(status=EmployerStatus.ACTIVE)
    if filters.get("sector"):
        qs = qs.filter(sector=filters["sector"])
    if filters.get("municipality"):
        qs = qs.filter(municipality__iexact=filters["municipality"].strip())
    if filters.get("mine"):
        qs = qs.filter(main_account_holder=user)
    if filters.get("takeover"):
        return qs.without_contact_since(takeover_cutoff()).order_by("last_contact_at", "id")
    return qs.order_by("name", "id")


def acts_as_manager(user) -> bool:
    """R-04: the managers the rule names (role MANAGER, region-wide) act towards any employer. An administrator
    (role ADMIN) keeps the reference data and does not act towards employers, although `User.is_manager` (which
    steers the manager pages) includes them."""
    return getattr(user, "role", None) == Role.MANAGER


def may_act_for_employer(*, employer: Employer, user, holder_ids: set[int] | None = None) -> bool:
    """R-04: who acts towards an employer (registers contact moments, visits and vacancies, answers its contact
    requests, changes or ceases its record): its main account holder, an admitted account holder, or a manager
    (`acts_as_manager`; not an administrator).

    At most one query (the account-holder row), none for the main account holder or a manager, nor when the
    caller passes the employer's account-holder user ids (`holder_ids`, e.g. the employer page's holders).
    """
    if getattr(user, "pk", None) is None:
        return False
    if employer.main_account_holder_id == user.pk or acts_as_manager(user):
        return True
    if holder_ids is not None:
        return user.pk in holder_ids
    return AccountHolder.objects.filter(employer_id=employer.pk, user_id=user.pk).exists()


def takeover_cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - relativedelta(months=settings.WSP["TAKEOVER_AFTER_MONTHS"])


@dataclass(frozen=True)
class LastContact:
    """R-05: which entry set the employer's last contact, for the employer page ("bezoek door Anna Jansen")."""

    at: datetime | None
    text: str
    url: str = ""
    # A takeover, reassignment or agreed move started the (new) main account holder's 12 months.
    started_the_12_months: bool = False


def last_contact(employer: Employer) -> LastContact:
    """Describe `last_contact_at` by its source (employers.choices.LastContactSource). Needs `last_contact_by`
    joined (employer_page does), so it costs no query."""
    by = employer.last_contact_by.full_name if employer.last_contact_by_id and employer.last_contact_by else "—"
    source, object_id = employer.last_contact_source, employer.last_contact_object_id
    texts = {
        LastContactSource.ENTERED: gettext("employer entered by %(name)s"),
        LastContactSource.VISIT: gettext("visit by %(name)s"),
        LastContactSource.CONTACT_MOMENT: gettext("contact moment by %(name)s"),
        LastContactSource.VACANCY: gettext("vacancy reported, registered by %(name)s"),
        LastContactSource.RECORD_CHANGE: gettext("record changed by %(name)s"),
        LastContactSource.CONTACT_RESPONSE: gettext("contact request answered by %(name)s"),
        LastContactSource.TAKEOVER: gettext("taken over by %(name)s: their 12 months started then"),
        LastContactSource.REASSIGNMENT: gettext("reassigned to %(name)s by a manager: their 12 months started then"),
        LastContactSource.OWNERSHIP_CHANGE: gettext(
            "ownership moved to %(name)s by agreement: their 12 months started then"
        ),
    }
    if employer.last_contact_at is None or source not in texts:
        return LastContact(at=employer.last_contact_at, text="")
    url = ""
    if object_id and source in (LastContactSource.VISIT, LastContactSource.CONTACT_MOMENT):
        url = f"#contact-{object_id}"
    elif object_id and source == LastContactSource.CONTACT_RESPONSE:
        url = f"#contact-request-{object_id}"
    elif object_id and source == LastContactSource.VACANCY:
        url = reverse("vacancy-detail", args=[object_id])
    started = source in (
        LastContactSource.TAKEOVER,
        LastContactSource.REASSIGNMENT,
        LastContactSource.OWNERSHIP_CHANGE,
    )
    return LastContact(at=employer.last_contact_at, text=texts[source] % {"name": by}, url=url,
                       started_the_12_months=started)  # fmt: skip


@dataclass
class EmployerPage:
    employer: Employer
    account_holders: list[AccountHolder]
    timeline: list[ContactMoment]
    contact_requests: list[ContactRequest]
    pending_requests: list[AccessRequest]
    my_request: AccessRequest | None
    collisions: list[ContactMoment]
    audit_trail: list
    merged_records: list[Employer]
    my_feedback: list[EmployerFeedback]
    last_contact: LastContact
    # whether the user registers contact, answers requests, edits or ceases here (no query: from the holders).
    may_act: bool


# The most recent history an adviser reads before a visit; the API pages through all of it.
TIMELINE_LIMIT = 25
AUDIT_LIMIT = 25


def employer_page(*, employer_id: int, user: User, now: datetime | None = None) -> EmployerPage | None:
    """Everything an adviser wants before a visit, in one place (R-08a): data, holders, recent contact history,
    open requests, the collision warning and the audit trail. A fixed number of queries whatever the history size.
    """
    now = now or timezone.now()
    employer = (
        Employer.objects.visible_to(user)
        .select_related(
            "sector__lead_organisation", "main_account_holder__organisation", "created_by", "last_contact_by"
        )
        .filter(pk=employer_id)
        .first()
    )
    if employer is None:
        return None
    holders = list(AccountHolder.objects.filter(employer=employer).select_related("user__organisation"))
    timeline = list(ContactMoment.objects.filter(employer=employer).for_timeline()[:TIMELINE_LIMIT])
    requests = list(ContactRequest.objects.filter(employer=employer).select_related("assigned_to", "responded_by")[:20])
    access = list(
        AccessRequest.objects.filter(employer=employer, status=AccessRequestStatus.PENDING).select_related(
            "requester__organisation"
        )
    )
    return EmployerPage(
        employer=employer,
        account_holders=holders,
        timeline=timeline,
        contact_requests=requests,
        pending_requests=access,
        my_request=next((r for r in access if r.requester_id == user.pk), None),
        collisions=collisions(employer=employer, user=user, now=now, recent=timeline),
        audit_trail=audit_trail(employer=employer),
        merged_records=list(Employer.objects.filter(merged_into=employer).only("id", "name", "postcode")),
        my_feedback=list(EmployerFeedback.objects.filter(employer=employer, adviser=user)[:10]),
        last_contact=last_contact(employer),
        may_act=employer.purged_at is None
        and may_act_for_employer(employer=employer, user=user, holder_ids={h.user_id for h in holders}),
    )


def collisions(
    *, employer: Employer, user: User, now: datetime | None = None, recent: list[ContactMoment] | None = None
) -> list[ContactMoment]:
    """Contact by an adviser of another organisation within the collision window: the employer must not be
    approached by several advisers at once (WBS agreements, "Werkgevers")."""
    now = now or timezone.now()
    since = now - timedelta(days=settings.WSP["COLLISION_WINDOW_DAYS"])
    if recent is None:
        recent = list(
            ContactMoment.objects.filter(employer=employer, occurred_at__gte=since).for_timeline()[:TIMELINE_LIMIT]
        )
    return [m for m in recent if m.occurred_at >= since and m.organisation_id != user.organisation_id]


AUDIT_MODELS = {
    "employers.EmployerEvent": Employer,
    "employers.AccountHolderEvent": AccountHolder,
    "employers.ContactMomentEvent": ContactMoment,
    "employers.ContactRequestEvent": ContactRequest,
}
AUDIT_DESCRIPTIONS = {
    ("employers.EmployerEvent", "insert"): _("Employer entered"),
    ("employers.EmployerEvent", "update"): _("Employer changed"),
    ("employers.AccountHolderEvent", "insert"): _("Account holder added"),
    ("employers.AccountHolderEvent", "delete"): _("Account holder removed"),
    ("employers.ContactMomentEvent", "update"): _("Contact moment changed"),
    ("employers.ContactMomentEvent", "delete"): _("Contact moment removed"),
    ("employers.ContactRequestEvent", "insert"): _("Contact request registered"),
    ("employers.ContactRequestEvent", "update"): _("Contact request changed"),
}
USER_FIELDS = ("main_account_holder_id", "user_id", "assigned_to_id", "responded_by_id", "adviser_id")
HIDDEN_FIELDS = ("id", "updated_at", "created_at", "name_key", "employer_id")


def audit_trail(*, employer: Employer, limit: int = AUDIT_LIMIT) -> list:
    """The employer's audit trail (who, when, old and new value), newest first, across its event tables."""
    events = list(
        MiddlewareEvents.objects.across(*AUDIT_MODELS)
        .references(employer)
        .order_by("-pgh_created_at", "-pgh_id")[:limit]
    )
    user_ids = {e.pgh_context.get("user") for e in events if e.pgh_context and e.pgh_context.get("user")}
    for event in events:
        for field, values in (event.pgh_diff or {}).items():
            if field in USER_FIELDS:
                user_ids.update(v for v in values if v)
    users = {u.pk: u.full_name for u in User.objects.filter(pk__in=user_ids)}
    for event in events:
        context = event.pgh_context or {}
        model = AUDIT_MODELS.get(event.pgh_model)
        event.actor_name = users.get(context.get("user"), "")
        event.action = context.get("action", "")
        event.description = AUDIT_DESCRIPTIONS.get((event.pgh_model, event.pgh_label), event.pgh_label)
        if event.pgh_model == "employers.AccountHolderEvent":
            event.subject = users.get((event.pgh_data or {}).get("user_id"), "")
        event.changes = [
            (_field_label(model, field), _display(field, values[0], users), _display(field, values[1], users))
            for field, values in (event.pgh_diff or {}).items()
            if field not in HIDDEN_FIELDS
        ]
    return events


def _field_label(model, field: str) -> str:
    name = field[:-3] if field.endswith("_id") else field
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # a field that no longer exists on the model still shows by its name
        return name


def _display(field: str, value, users: dict) -> str:
    if value in (None, ""):
        return "—"
    if field in USER_FIELDS:
        return users.get(value, str(value))
    return str(value)


@dataclass
class AdviserHome:
    caseload: list[Employer]
    caseload_count: int
    open_contact_requests: list[ContactRequest]
    nearing_takeover: list[Employer]
    access_requests_to_answer: list[AccessRequest]
    my_pending_requests: list[AccessRequest]


HOME_LIMIT = 15


def adviser_home(*, user: User, now: datetime | None = None) -> AdviserHome:
    """ "Mijn werkgevers": caseload, contact requests waiting (R-10), employers nearing 12 months without contact
    (R-05) and admission requests to answer (R-04). A fixed number of queries.

    The contact requests are those the adviser may answer (R-10, R-04): of their own employers, or assigned to them
    at an employer they were admitted to; a request they may not answer is not offered.
    """
    now = now or timezone.now()
    cutoff = takeover_cutoff(now)
    warn_from = cutoff + timedelta(days=settings.WSP["TAKEOVER_WARNING_DAYS"])
    mine = Employer.objects.current().filter(main_account_holder=user)
    return AdviserHome(
        caseload=list(mine.select_related("sector").order_by("-last_contact_at", "id")[:HOME_LIMIT]),
        caseload_count=mine.count(),
        open_contact_requests=list(
            ContactRequest.objects.filter(responded_at__isnull=True, employer__merged_into__isnull=True)
            .filter(
                Q(employer__main_account_holder=user)
                | Q(
                    Exists(AccountHolder.objects.filter(employer_id=OuterRef("employer_id"), user_id=user.pk)),
                    assigned_to=user,
                )
            )
            .select_related("employer")
            .order_by("received_at")[:HOME_LIMIT]
        ),
        nearing_takeover=list(
            mine.filter(last_contact_at__lt=warn_from)
            .select_related("sector")
            .order_by("last_contact_at", "id")[:HOME_LIMIT]
        ),
        access_requests_to_answer=list(
            AccessRequest.objects.filter(employer__main_account_holder=user, status=AccessRequestStatus.PENDING)
            .select_related("employer", "requester__organisation")
            .order_by("created_at")
        ),
        my_pending_requests=list(
            AccessRequest.objects.filter(requester=user, status=AccessRequestStatus.PENDING)
            .select_related("employer__main_account_holder")
            .order_by("created_at")
        ),
    )


def feedback_for(*, user: User) -> QuerySet[EmployerFeedback]:
    """R-11: the feedback that concerns this adviser, and nobody else's."""
    return EmployerFeedback.objects.filter(adviser=user).select_related("employer")


# managers see only aggregates of at least this many responses, about at least this many different advisers.
FEEDBACK_MIN_GROUP = 5
FEEDBACK_MIN_ADVISERS = 3


def feedback_aggregates(*, year: int | None = None) -> list[dict]:
    """R-11: what managers see: per organisation and quarter, the number of responses and the average score, never
    the individual, and only for groups of at least FEEDBACK_MIN_GROUP responses about at least
    FEEDBACK_MIN_ADVISERS different advisers (5 answers about one or two advisers would show their average).

    Only quarters that have ended: a running quarter's group grows answer by answer, and a manager who looks before
    and after one comes in reads that answer's score from the difference (6 answers averaging 7.0, then 7 averaging
    7.3: the new one is 9). An ended quarter's group is complete.

    Only feedback that did not come from a manager's own hand counts: what the survey tool's integration user (an
    administrator account) or an administrator's file import brought in, and rows without a registrant (from
    before it was recorded, the demo). Answers a manager POSTs are stored for the adviser but left out here, or a
    manager could add answers of their own to a hidden group and read the adviser's score from the difference.
    Only these disjoint groups are given: no total per organisation, per quarter or overall, because a total next
    to the groups shown would give a hidden (small) group back by subtraction. One query.
    """
    running_quarter = local_midnight(quarter_start(timezone.localdate()))
    feedback = EmployerFeedback.objects.filter(registered_by_manager=False, received_at__lt=running_quarter)
    if year is not None:
        feedback = feedback.filter(received_at__year=year)
    rows = list(
        feedback.annotate(quarter=TruncQuarter("received_at"))
        .values("quarter", "adviser__organisation_id", "adviser__organisation__name")
        .annotate(count=Count("id"), average=Avg("score"), advisers=Count("adviser", distinct=True))
        .filter(count__gte=FEEDBACK_MIN_GROUP, advisers__gte=FEEDBACK_MIN_ADVISERS)
        .order_by("-quarter", "adviser__organisation__name")
    )
    for row in rows:
        del row["advisers"]  # a condition of showing the group, not a figure to show
        row["quarter_label"] = f"{row['quarter']:%Y}-Q{(row['quarter'].month - 1) // 3 + 1}"
    return rows


def account_holder_ids() -> ArraySubquery:
    """The user ids of an employer's account holders, in the order they were added, as an array in the employer's
    own row (API lists: one query for a page, instead of a second one and the prefetch's objects)."""
    return ArraySubquery(
        AccountHolder.objects.filter(employer=OuterRef("pk")).order_by("added_at", "id").values("user_id")
    )
