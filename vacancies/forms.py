"""Browser forms for vacancies. They shape input; the rules (R-12..R-25) are in services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.models import Organisation, User
from employers.forms import DATETIME_WIDGET

from .choices import CloseReason, RecruitmentActivity, TargetGroupFlag, VacancySource, VacancyStatus, Visibility
from .models import AGE_FLOOR, Skill

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _now_local():
    return timezone.localtime().replace(second=0, microsecond=0)


class SkillChoiceField(forms.ModelMultipleChoiceField):
    """Skills are kept as ids on the vacancy (R-42); the form hands the service a list of ids."""

    def clean(self, value):
        return [skill.pk for skill in super().clean(value)]


class VacancyForm(forms.Form):
    """What an adviser fills in for a vacancy; with the employer chosen, this takes well under two minutes."""

    title = forms.CharField(label=_("Job title"), max_length=200)
    occupation = forms.ModelChoiceField(
        label=_("Occupation"),
        queryset=Skill.objects.occupations(),
        required=False,
        help_text=_("Choosing an occupation ticks its usual skills; untick what does not apply."),
    )
    skills = SkillChoiceField(
        label=_("Skills and competences"),
        queryset=Skill.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    hours_per_week = forms.IntegerField(label=_("Hours per week"), min_value=1, max_value=60, initial=32)
    requested_positions = forms.IntegerField(
        label=_("Positions the employer asks for"),
        min_value=1,
        max_value=999,
        initial=1,
        help_text=_("The region registers 1 position; each booked placement may raise it (R-20)."),
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        widget=DATETIME_WIDGET,
        initial=_now_local,
        help_text=_("Register within 24 hours of receipt (R-12)."),
    )
    source = forms.ChoiceField(label=_("Received through"), choices=VacancySource.choices)
    recruitment_request = forms.BooleanField(
        label=_("The employer asked us to recruit candidates"), required=False, initial=True
    )
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices, initial=Visibility.OPEN)
    blocked_reason = forms.CharField(
        label=_("Reason for blocking"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    target_group_flags = forms.MultipleChoiceField(
        label=_("Target-group vacancy"),
        choices=TargetGroupFlag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only target-group vacancies may ask for an age (R-14, R-15)."),
    )
    min_age = forms.IntegerField(
        label=_("Minimum age"),
        min_value=AGE_FLOOR,
        max_value=99,
        required=False,
        help_text=_("An age is a band of at least 5 years, such as 50+ or 18-27 (R-15)."),
    )
    max_age = forms.IntegerField(label=_("Maximum age"), min_value=AGE_FLOOR, max_value=99, required=False)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Describe the work, not the person: no requirements on age, sex or origin (R-15)."),
    )
    postcode = forms.CharField(
        label=_("Work location postcode"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"placeholder": "2011 AB"}),
        help_text=_("Leave empty for the employer's address."),
    )
    municipality = forms.CharField(label=_("Municipality"), required=False, max_length=100)

    SERVICE_FIELDS = (
        "title", "occupation", "skills", "hours_per_week", "requested_positions", "received_at", "source",
        "recruitment_request", "visibility", "blocked_reason", "target_group_flags", "min_age", "max_age",
        "description", "postcode", "municipality",
    )  # fmt: skip

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.SERVICE_FIELDS if name in self.cleaned_data}


class VacancyEditForm(VacancyForm):
    """Editing leaves the receipt alone: when a vacancy came in is history (R-12)."""

    expires_on = forms.DateField(label=_("Expires on"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["received_at"]
        del self.fields["source"]

    SERVICE_FIELDS = tuple(n for n in VacancyForm.SERVICE_FIELDS if n not in ("received_at", "source")) + (
        "expires_on",
    )


class VacancyFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": _("Job title or employer")}),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *VacancyStatus.choices]
    )
    target_group = forms.ChoiceField(
        label=_("Target group"), required=False, choices=[("", _("All vacancies")), *TargetGroupFlag.choices]
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("All organisations"),
    )
    mine = forms.BooleanField(label=_("Only my vacancies"), required=False)
    registered_late = forms.BooleanField(label=_("Registered late"), required=False)
    offered_to_partners = forms.BooleanField(label=_("Offered to chain partners"), required=False)


class BlockForm(forms.Form):
    reason = forms.CharField(label=_("Why is this vacancy blocked?"), widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Outcome"), choices=[c for c in CloseReason.choices if c[0] != CloseReason.PLACEMENT]
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ExpiryForm(forms.Form):
    expires_on = forms.DateField(label=_("New expiry date"), widget=DATE_WIDGET)


class HandOverForm(forms.Form):
    """R-13: to an adviser of a chain partner; by default only the vacancy moves."""

    to_user = forms.ModelChoiceField(label=_("Chain partner's adviser"), queryset=User.objects.none())
    move_employer = forms.BooleanField(
        label=_("By agreement, the employer's main account holdership moves too"), required=False
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        advisers = User.objects.filter(role=Role.ADVISER, is_active=True).select_related("organisation")
        if organisation is not None:
            advisers = advisers.exclude(organisation=organisation)
        self.fields["to_user"].queryset = advisers.order_by("organisation__name", "first_name", "last_name")
        self.fields["to_user"].label_from_instance = lambda u: f"{u.full_name} ({u.organisation.name})"


class CoProductionForm(forms.Form):
    """R-19: the recruitment plan with the chain partners; each partner gets its own vacancy."""

    activities = forms.MultipleChoiceField(
        label=_("Activities"), choices=RecruitmentActivity.choices, widget=forms.CheckboxSelectMultiple
    )
    planned_on = forms.DateField(label=_("Planned on"), required=False, widget=DATE_WIDGET)
    notes = forms.CharField(label=_("Approach"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    partner_owners = forms.ModelMultipleChoiceField(
        label=_("Partner advisers (one per partner)"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each chosen adviser gets a vacancy of their own under the same employer."),
    )

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        advisers = User.objects.filter(role=Role.ADVISER, is_active=True).select_related("organisation")
        if organisation is not None:
            advisers = advisers.exclude(organisation=organisation)
        self.fields["partner_owners"].queryset = advisers.order_by("organisation__name", "first_name")
        self.fields["partner_owners"].label_from_instance = lambda u: f"{u.organisation.name}: {u.full_name}"

    def clean_partner_owners(self):
        owners = list(self.cleaned_data["partner_owners"])
        organisations = [owner.organisation_id for owner in owners]
        if len(set(organisations)) != len(organisations):
            raise forms.ValidationError(_("Choose one adviser per partner organisation."))
        return owners


class IntakeForm(forms.Form):
    """R-12: note a vacancy the moment it comes in; register it in full within 24 hours."""

    title = forms.CharField(label=_("Job title"), max_length=200)
    received_at = forms.DateTimeField(label=_("Received at"), widget=DATETIME_WIDGET, initial=_now_local)
    source = forms.ChoiceField(label=_("Received through"), choices=VacancySource.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DismissIntakeForm(forms.Form):
    reason = forms.CharField(label=_("Why will it not be registered?"), max_length=500)


class ReceiptCorrectionForm(forms.Form):
    """R-12, R-57: a corrected moment of receipt always comes with its reason."""

    received_at = forms.DateTimeField(
        label=_("Received at (corrected)"),
        widget=DATETIME_WIDGET,
        help_text=_("Not in the future, not after the registration and not more than a year before it (R-12)."),
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the e-mail came in the evening before; it is kept in the vacancy's history."),
    )


class PartnerOfferForm(forms.Form):
    """R-13: offering the vacancy to the chain partners, with an optional note for them."""

    note = forms.CharField(
        label=_("Note for the chain partners"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: which target group would fit; optional."),
    )


class TakeForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class PublicSearchForm(forms.Form):
    """R-16: the public search on job title and place."""

    q = forms.CharField(
        label=_("What"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": _("Job title, e.g. chauffeur")}),
    )
    plaats = forms.CharField(
        label=_("Where"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Place, e.g. Haarlem")}),
    )
