"""Browser forms for candidates, referrals and placements. Rules (R-17..R-43) live in the services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.models import User
from employers.choices import Instrument
from employers.forms import DATETIME_WIDGET
from vacancies.forms import DATE_WIDGET, SkillChoiceField
from vacancies.models import Skill

from .choices import CandidateStatus, PlacementType, ReferralStatus, RejectionReason, TargetGroup


def _now_local():
    return timezone.localtime().replace(second=0, microsecond=0)


class CandidateForm(forms.Form):
    """A candidate's profile. The BSN is optional (R-58) and never shown back: leave it empty to keep it; it may be
    typed with dots or spaces ("123.456.782", "123 456 782").

    R-23: only the target groups of the organisation's kind are offered (UWV: WW, WIA, Wajong; municipalities and
    reintegration bodies: P-wet, NUG, Oekraine; "other / unknown" for both). A profile that still has another one is
    shown with it, so nothing changes unseen; the service then asks for a fitting one.
    """

    first_name = forms.CharField(label=_("First name"), max_length=80)
    last_name = forms.CharField(label=_("Last name"), max_length=120)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DATE_WIDGET)
    bsn = forms.CharField(
        label=_("BSN"),
        required=False,
        max_length=20,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "inputmode": "numeric"}, render_value=False),
        help_text=_(
            "Optional. Only needed when a rule asks for it; stored encrypted and never shown in full. Dots and spaces "
            "are fine."
        ),
    )
    target_group = forms.ChoiceField(label=_("Target group"), choices=TargetGroup.choices)
    job_agreement = forms.BooleanField(label=_("In the job agreement register"), required=False)
    work_ready_since = forms.DateField(
        label=_("Work-ready since"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Candidates are matched from the day they are work-ready (R-41)."),
    )
    hours_per_week = forms.IntegerField(label=_("Hours per week"), min_value=1, max_value=60)
    postcode = forms.CharField(
        label=_("Postcode"), max_length=7, widget=forms.TextInput(attrs={"placeholder": "2011 AB"})
    )
    municipality = forms.CharField(label=_("Municipality"), max_length=100, required=False)
    max_travel_km = forms.IntegerField(
        label=_("Maximum travel distance (km)"), min_value=1, max_value=200, required=False
    )
    skills = SkillChoiceField(
        label=_("Occupations, skills and competences"),
        queryset=Skill.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    health_notes = forms.CharField(
        label=_("Health notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Visible to your own organisation only (R-40)."),
    )
    adviser = forms.ModelChoiceField(label=_("Adviser"), queryset=User.objects.none(), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=CandidateStatus.choices, initial=CandidateStatus.AVAILABLE)

    SERVICE_FIELDS = (
        "first_name", "last_name", "email", "phone", "birth_date", "target_group", "job_agreement",
        "work_ready_since", "hours_per_week", "postcode", "municipality", "max_travel_km", "skills", "health_notes",
        "status",
    )  # fmt: skip

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        advisers = User.objects.filter(is_active=True, role__in=[Role.ADVISER, Role.ACCOUNT_MANAGER])
        if organisation is not None:
            advisers = advisers.filter(organisation=organisation)
        self.fields["adviser"].queryset = advisers.order_by("first_name", "last_name")
        self.fields["adviser"].label_from_instance = lambda u: u.full_name
        if organisation is not None:
            # the target groups of the organisation's kind, plus the profile's current one if it is not.
            current = (self.initial or {}).get("target_group")
            self.fields["target_group"].choices = [
                (value, label)
                for value, label in TargetGroup.choices
                if TargetGroup.may_book(value, organisation.kind) or value == current
            ]
            self.fields["target_group"].help_text = _(
                "The target groups of your organisation's caseload (R-23: UWV holds WW, WIA and Wajong, the "
                "municipalities P-wet, NUG and Ukraine)."
            )

    def service_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.SERVICE_FIELDS}
        if self.cleaned_data.get("bsn"):
            data["bsn"] = self.cleaned_data["bsn"]
        if self.cleaned_data.get("adviser"):
            data["adviser"] = self.cleaned_data["adviser"]
        return data


class CandidateFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, widget=forms.SearchInput(attrs={"placeholder": _("Name, postcode or BSN")})
    )
    target_group = forms.ChoiceField(
        label=_("Target group"), required=False, choices=[("", _("All target groups")), *TargetGroup.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *CandidateStatus.choices]
    )
    mine = forms.BooleanField(label=_("Only my candidates"), required=False)
    stale = forms.BooleanField(label=_("Profile out of date"), required=False)


class ProposeForm(forms.Form):
    """R-21: proposing writes the referral register entry at that moment."""

    candidate = forms.IntegerField(widget=forms.HiddenInput)
    pawa = forms.BooleanField(label=_("PAWA"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ReferralStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"), choices=[c for c in ReferralStatus.choices if c[0] != ReferralStatus.PROPOSED]
    )
    rejection_reason = forms.ChoiceField(
        label=_("Reason"), required=False, choices=[("", "—"), *RejectionReason.choices]
    )
    reason = forms.CharField(label=_("Note"), required=False, max_length=500)


class PlacementForm(forms.Form):
    """Booking a placement (R-22..R-25); hours decide durability (R-30) and job-agreement jobs (R-31); the instruments
    advised and applied (R-33); the conditions agreed for a short placement (R-30, ZKIJ plan 3.1). The rules (start
    window, conditions required) are the service's."""

    placement_type = forms.ChoiceField(label=_("Kind of placement"), choices=PlacementType.choices)
    start_date = forms.DateField(label=_("Start date"), widget=DATE_WIDGET, initial=timezone.localdate)
    end_date = forms.DateField(
        label=_("End date"), required=False, widget=DATE_WIDGET, help_text=_("Leave empty for a permanent contract.")
    )
    hours_per_week = forms.DecimalField(label=_("Hours per week"), min_value=0.5, max_value=60, decimal_places=1)
    instruments_advised = forms.MultipleChoiceField(
        label=_("Instruments advised"),
        choices=Instrument.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    instruments_applied = forms.MultipleChoiceField(
        label=_("Instruments applied"),
        choices=Instrument.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    conditions = forms.CharField(
        label=_("Conditions agreed for a short placement"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Needed under 15 hours a week or with an end date within the durable period: what was agreed with the "
            "employer (for example more hours later, job coaching, a review date)."
        ),
    )


class PlacementCorrectForm(PlacementForm):
    reason = forms.CharField(
        label=_("Why is this corrected?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Every correction is kept with its reason."),
    )


class PlacementCancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is this placement cancelled?"), widget=forms.Textarea(attrs={"rows": 2}))


class AftercareForm(forms.Form):
    """R-32: follow employer and candidate until the employer says it is no longer needed. "No longer employed" with
    the last day ends the placement on that day (the service checks the date)."""

    occurred_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME_WIDGET, initial=_now_local)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 2}))
    still_employed = forms.BooleanField(label=_("The candidate still works there"), required=False, initial=True)
    employment_ended_on = forms.DateField(
        label=_("Last day of employment"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Only when the candidate no longer works there: the placement ends on that day (R-32)."),
    )
    ends_aftercare = forms.BooleanField(label=_("The employer needs no further aftercare"), required=False)
