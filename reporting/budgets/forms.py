"""Forms of the budget pages (R-53): the year to show, a new budget, a budget line and the realised spend of a line
in a month. They only parse; the rules live in `services`."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation

from .choices import LineKind
from .models import BudgetLine


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


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)

    def year_or_now(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return timezone.localdate().year


class MonthInput(forms.DateInput):
    input_type = "month"


class SpendForm(forms.Form):
    """R-53: the realised spend of one line of the budget in one month."""

    line = forms.ModelChoiceField(label=_("Budget line"), queryset=BudgetLine.objects.none())
    month = forms.DateField(label=_("Month"), input_formats=["%Y-%m", "%Y-%m-%d"], widget=MonthInput(format="%Y-%m"))
    amount = forms.DecimalField(label=_("Amount (EUR)"), max_digits=12, decimal_places=2)

    def __init__(self, *args, budget, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = budget.lines.order_by("position", "id")
        self.fields["line"].label_from_instance = lambda line: f"{line.label} ({line.get_kind_display()})"
        self.fields["amount"].widget.attrs.update({"min": "0", "step": "0.01"})


class DateInput(forms.DateInput):
    input_type = "date"


class BudgetCreateForm(forms.Form):
    """R-53: a new budget of a year. The year's range and uniqueness are the service's to refuse."""

    year = forms.IntegerField(label=_("Year"))
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Left empty, the budget is called after its year, such as Budget 2025."),
    )


class BudgetLineForm(forms.Form):
    """R-53: one budget line as `services.budget_line_add` / `budget_line_change` take it. Amounts and the funding
    period are checked by the service (negative amounts, funding that ends before it starts)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=LineKind.choices)
    label = RequiredText(label=_("Label"), max_length=200)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=_("The partner whose contribution or personnel this line is."),
    )
    planned = RequiredDecimal(label=_("Planned amount (EUR)"), max_digits=12, decimal_places=2)
    funded_from = forms.DateField(label=_("Funded from"), required=False, widget=DateInput(format="%Y-%m-%d"))
    funded_until = forms.DateField(
        label=_("Funded until"),
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
        help_text=_("The day the funding of this line ends, such as 1 September."),
    )
    uncovered = forms.DecimalField(
        label=_("Still uncovered (EUR)"),
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("The part of the planned amount that has no funding yet."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("planned", "uncovered"):
            self.fields[name].widget.attrs.update({"step": "0.01", "inputmode": "decimal"})

    def service_data(self) -> dict:
        return dict(self.cleaned_data)
