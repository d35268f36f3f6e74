"""Placements: booking a hire, the placement page, corrections, cancellations and aftercare (R-22..R-25,
R-30..R-33, R-57)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.choices import OrganisationKind
from employers.choices import Instrument
from employers.views import _errors_to_form, _run
from wsp.errors import DomainError

from ..choices import PlacementStatus, PlacementType, ReferralStatus
from ..forms import (
    AftercareForm,
    PlacementCancelForm,
    PlacementCorrectForm,
    PlacementForm,
)
from ..models import Placement, Referral
from ..selectors import candidates as candidate_selectors
from ..selectors import placements as placement_selectors
from ..services import placements as placement_services
from ..services import referrals as referral_services

# --- Placements ---------------------------------------------------------------------------------------------------


def instrument_labels(values) -> list[str]:
    """R-33: the Dutch names of the instruments, in the list's order."""
    return [str(label) for value, label in Instrument.choices if value in (values or [])]


def _booker_or_none(referral: Referral):
    """Who books the referral (R-23..R-25), or None when nobody could (the booking form then shows the refusal)."""
    try:
        return placement_services.booker_of(referral)
    except DomainError:
        return None


def _durability_outlook(form, *, organisation_kind: str, fallback: dict):
    """R-30 before saving, from the form's valid values (or the defaults while nothing was entered)."""
    data = dict(fallback)
    if form.is_bound:
        form.is_valid()
        data = {name: form.cleaned_data.get(name) for name in ("start_date", "hours_per_week", "end_date")}
    return placement_selectors.durability_outlook(
        start_date=data.get("start_date"),
        hours_per_week=data.get("hours_per_week"),
        end_date=data.get("end_date"),
        organisation_kind=organisation_kind,
        today=timezone.localdate(),
    )


@login_required
def placement_book(request, referral_id):
    """R-22..R-25: book a hired referral as a placement. The form takes its defaults from the referral (the
    candidate's hours, today as start, the values of a cancelled earlier booking of it), shows the vacancy and
    candidate, the days it may start (R-22, R-57) and durability before saving (R-30)."""
    referral = get_object_or_404(
        Referral.objects.select_related(
            "vacancy__employer", "vacancy__owner", "candidate__organisation", "booker__organisation"
        ),
        pk=referral_id,
    )
    today = timezone.localdate()
    vacancy = referral.vacancy
    booker = _booker_or_none(referral)
    previous = referral.placements.filter(status=PlacementStatus.CANCELLED).order_by("-booked_at").first()
    initial = {
        "placement_type": previous.placement_type if previous else PlacementType.PERMANENT,
        "start_date": max(today, previous.start_date) if previous else today,
        "end_date": previous.end_date if previous else None,
        "hours_per_week": previous.hours_per_week if previous else referral.candidate.hours_per_week,
        "instruments_advised": previous.instruments_advised if previous else [],
        "instruments_applied": previous.instruments_applied if previous else [],
        "conditions": previous.conditions if previous else "",
    }
    form = PlacementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            placement = placement_services.placement_book(by=request.user, referral=referral, **form.cleaned_data)
        except DomainError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Placement booked."))
            return redirect("placement-detail", pk=placement.pk)
    kind = booker.organisation.kind if booker else request.user.organisation.kind
    carried = None
    if referral.status == ReferralStatus.HIRED:
        carried = (
            Referral.objects.filter(vacancy__duplicated_from_id=vacancy.pk, candidate_id=referral.candidate_id)
            .values_list("pk", flat=True)
            .first()
        )
    return render(
        request,
        "matching/placement_form.html",
        {
            "form": form,
            "referral": referral,
            "vacancy": vacancy,
            "candidate": referral.candidate,
            "personal": candidate_selectors.personal_access(request.user, referral.candidate),
            "booker": booker,
            # the booker decided at the hire, or an adviser of their organisation when they have left.
            "is_booker": booker is not None
            and (booker.pk == request.user.pk or placement_selectors.booker_left(referral, request.user)),
            "waits_for_close": referral_services.is_two_to_nine_original(vacancy)
            and referral.candidate.organisation_id != vacancy.organisation_id,
            "carried_over_to": carried,
            "window": placement_services.start_window(vacancy=vacancy, referral=referral, today=today),
            "outlook": _durability_outlook(form, organisation_kind=kind, fallback=initial),
            "organisation_kind": kind,
        },
    )


@login_required
def placement_durability(request):
    """htmx: the durability outlook (R-30) for the values typed so far in the booking or correction form."""
    kind = request.GET.get("kind")
    if kind not in OrganisationKind.values:
        kind = request.user.organisation.kind
    form = PlacementForm(request.GET)
    outlook = _durability_outlook(form, organisation_kind=kind, fallback={})
    return render(request, "matching/_placement_durability.html", {"outlook": outlook})


def _placement(pk) -> Placement:
    return get_object_or_404(
        Placement.objects.select_related(
            "vacancy__employer", "candidate__organisation", "booked_by", "organisation", "sector", "cancelled_by"
        ),
        pk=pk,
    )


@login_required
def placement_detail(request, pk):
    placement = _placement(pk)
    return render(
        request,
        "matching/placement_detail.html",
        {
            "placement": placement,
            # the summaries are about the candidate: for the organisations working with them only.
            "aftercare_text_visible": placement_selectors.aftercare_text_visible(
                user=request.user, placement=placement
            ),
            "aftercare": list(placement.aftercare_contacts.select_related("adviser")),
            "aftercare_form": AftercareForm(),
            "cancel_form": PlacementCancelForm(),
            "history": placement_selectors.placement_history(placement=placement),
            "instruments_advised": instrument_labels(placement.instruments_advised),
            "instruments_applied": instrument_labels(placement.instruments_applied),
            "outlook": placement_selectors.durability_outlook(
                start_date=placement.start_date,
                hours_per_week=placement.hours_per_week,
                end_date=placement.end_date,
                organisation_kind=placement.organisation.kind,
                today=timezone.localdate(),
            ),
        },
    )


@login_required
def placement_correct(request, pk):
    placement = _placement(pk)
    initial = {name: getattr(placement, name) for name in placement_services.CORRECTABLE_FIELDS}
    form = PlacementCorrectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        # Only what changed is a correction; the reason goes with it into the audit trail.
        changes = {
            name: value
            for name, value in form.cleaned_data.items()
            if name != "reason" and _changed(value, initial.get(name))
        }
        try:
            placement_services.placement_correct(
                placement=placement, by=request.user, reason=form.cleaned_data["reason"], **changes
            )
        except DomainError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Placement corrected; the previous values are kept in its history."))
            return redirect("placement-detail", pk=pk)
    outlook = _durability_outlook(form, organisation_kind=placement.organisation.kind, fallback=initial)
    return render(
        request,
        "matching/placement_correct.html",
        {"form": form, "placement": placement, "outlook": outlook, "organisation_kind": placement.organisation.kind},
    )


def _changed(value, before) -> bool:
    if isinstance(value, list | tuple) or isinstance(before, list | tuple):
        return sorted(value or []) != sorted(before or [])
    if value in (None, "") and before in (None, ""):
        return False
    return value != before


@login_required
@require_POST
def placement_cancel(request, pk):
    placement = _placement(pk)
    form = PlacementCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for cancelling."))
    else:
        _run(
            request,
            lambda: placement_services.placement_cancel(
                placement=placement, by=request.user, reason=form.cleaned_data["reason"]
            ),
            _("Placement cancelled. It stays in the records with its reason."),
        )
    return redirect("placement-detail", pk=pk)


@login_required
@require_POST
def aftercare_register(request, pk):
    """R-32: follow employer and candidate after the placement; "no longer employed" with the last day ends it."""
    placement = _placement(pk)
    form = AftercareForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date and a summary of the aftercare contact."))
        return redirect("placement-detail", pk=pk)
    try:
        placement_services.aftercare_register(placement=placement, by=request.user, **form.cleaned_data)
    except DomainError as error:
        # The page is shown again after the redirect: the field messages go with the refusal.
        details = [str(message) for messages_ in (error.fields or {}).values() for message in messages_]
        messages.error(request, " ".join([str(error.detail), *details]))
    else:
        messages.success(request, _("Aftercare contact saved."))
    return redirect("placement-detail", pk=pk)
