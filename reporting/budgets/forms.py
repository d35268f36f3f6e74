"""Forms of the budget page (R-53): the year to show and the realised spend of a line in a month. They only parse;
the rules live in `services`."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import BudgetLine


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
