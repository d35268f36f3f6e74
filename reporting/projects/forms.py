"""Browser forms of reporting.projects: typed input only; the rules are the services' (STYLE habit 2)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation

from .choices import Channel, EventKind
from .models import Activity, Project

SPLIT_NUMBERS = re.compile(r"[\s,;]+")


class ServiceCheckedMixin:
    """A field the rule requires (so the page marks it required) whose emptiness the service refuses with its own
    message: the form lets an empty value through instead of answering with the generic "required"."""

    def validate(self, value):
        if value in self.empty_values:
            return
        super().validate(value)


class RequiredText(ServiceCheckedMixin, forms.CharField):
    pass


class RequiredDecimal(ServiceCheckedMixin, forms.DecimalField):
    pass


class RequiredInteger(ServiceCheckedMixin, forms.IntegerField):
    pass


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _money(label, *, required: bool = True, **kwargs):
    # No min_value: a negative amount reaches the service, which refuses it with its own message, as it does
    # a missing one.
    field_class = RequiredDecimal if required else forms.DecimalField
    field = field_class(label=label, max_digits=14, decimal_places=2, required=required, **kwargs)
    field.widget.attrs.update({"step": "0.01", "inputmode": "decimal"})
    return field


def _organisations(label):
    return forms.ModelMultipleChoiceField(
        label=label, queryset=Organisation.objects.order_by("name"), required=False, widget=forms.CheckboxSelectMultiple
    )


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    participants = forms.IntegerField(label=_("Participants"), initial=0)
    organisers = forms.ModelMultipleChoiceField(
        label=_("Organising partners"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.order_by("title"), required=False)


class ReachForm(forms.Form):
    year = forms.IntegerField(label=_("Year"))
    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=[(q, f"Q{q}") for q in (1, 2, 3, 4)], coerce=int)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    reach = forms.IntegerField(label=_("Reach"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ProjectForm(forms.Form):
    """R-54: a project as `services.project_create` / `project_update` take it. Numbers, period and amounts are the
    service's to refuse; the maximum subsidy is asked on creation only (later it changes by a decision with date and
    reason: `MaxSubsidyChangeForm`)."""

    numbers = RequiredText(
        label=_("Project numbers"),
        max_length=300,
        help_text=_("One or more, separated by commas, such as 2016DW2015, 2016DW2016."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    applicant = forms.CharField(label=_("Applicant (contract party)"), max_length=200)
    applicant_organisation = forms.ModelChoiceField(
        label=_("Applicant among the partners"), queryset=Organisation.objects.order_by("name"), required=False
    )
    executors = forms.CharField(label=_("Executors"), max_length=300, required=False)
    executor_organisations = _organisations(_("Executing partners"))
    signatories = forms.CharField(label=_("Partner signatories"), max_length=300, required=False)
    signatory_organisations = _organisations(_("Signing partners"))
    period_start = forms.DateField(label=_("Subsidy period from"), widget=DateInput())
    period_end = forms.DateField(label=_("Subsidy period until"), widget=DateInput())
    period_note = forms.CharField(label=_("Note on the period"), max_length=300, required=False)
    budgeted_direct_costs = _money(_("Budgeted direct costs (EUR)"))
    budget_note = forms.CharField(label=_("Note on the budget"), max_length=300, required=False)
    max_subsidy = _money(_("Maximum subsidy (EUR)"))
    requested_subsidy = _money(
        _("Requested subsidy at the final claim (EUR)"),
        required=False,
        help_text=_("Leave empty while it is not yet known; the page shows it as a share of the maximum."),
    )

    def __init__(self, *args, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["max_subsidy"]

    def clean_numbers(self) -> list[str]:
        return [number for number in SPLIT_NUMBERS.split(self.cleaned_data["numbers"]) if number]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["applicant_organisation"] = data["applicant_organisation"].pk if data["applicant_organisation"] else None
        for name in ("executor_organisations", "signatory_organisations"):
            data[name] = [organisation.pk for organisation in data[name]]
        return data

    @staticmethod
    def initial_for(project: Project) -> dict:
        return {
            "numbers": ", ".join(project.number_list),
            "title": project.title,
            "applicant": project.applicant,
            "applicant_organisation": project.applicant_organisation_id,
            "executors": project.executors,
            "executor_organisations": [o.pk for o in project.executor_organisations.all()],
            "signatories": project.signatories,
            "signatory_organisations": [o.pk for o in project.signatory_organisations.all()],
            "period_start": project.period_start,
            "period_end": project.period_end,
            "period_note": project.period_note,
            "budgeted_direct_costs": project.budgeted_direct_costs,
            "budget_note": project.budget_note,
            "requested_subsidy": project.requested_subsidy,
        }


class MaxSubsidyChangeForm(forms.Form):
    """R-54: a later decision changing the maximum subsidy; the reason is the service's to require."""

    date = forms.DateField(label=_("Date of the decision"), widget=DateInput())
    new = _money(_("New maximum subsidy (EUR)"))
    reason = RequiredText(label=_("Reason"), max_length=300, help_text=_("Such as: change request approved."))


class ActivityForm(forms.Form):
    """R-54: a new activity of a project: code, description and target (with its unit)."""

    code = RequiredText(label=_("Code"), max_length=20)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    target = forms.IntegerField(label=_("Target"), required=False)
    target_unit = forms.CharField(
        label=_("Unit of the target"), max_length=100, required=False, help_text=_("Such as: participants, events.")
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project

    def clean_code(self) -> str:
        # `project_update` matches activities on their code: an existing code would change that activity instead
        # of adding one, so a code in use is refused here, before the service is called.
        code = self.cleaned_data["code"].strip()
        if code and Activity.objects.filter(project=self.project, code=code).exists():
            raise forms.ValidationError(
                _("Activity code %(code)s is already used in this project."), params={"code": code}
            )
        return code


class TargetChangeForm(forms.Form):
    """R-54: a change of an activity's target with its date and reason."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    new = RequiredInteger(label=_("New target"))
    reason = RequiredText(
        label=_("Reason"), max_length=300, help_text=_("Such as: change request approved, cut to 50%.")
    )


class RealisationForm(forms.Form):
    """R-54: an activity's realisation: a number, a range such as 1800-1850, or not realised with the reason."""

    realised = forms.CharField(
        label=_("Realised"),
        max_length=30,
        required=False,
        help_text=_("A number, such as 67, or a range, such as 1800-1850."),
    )
    note = forms.CharField(label=_("Note on the realisation"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    not_realised = forms.BooleanField(label=_("Not realised"), required=False)
    not_realised_reason = forms.CharField(
        label=_("Reason not realised"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    @staticmethod
    def initial_for(activity: Activity) -> dict:
        return {
            "realised": activity.realised or "",
            "note": activity.realised_note,
            "not_realised": activity.is_not_realised,
            "not_realised_reason": activity.not_realised_reason,
        }
