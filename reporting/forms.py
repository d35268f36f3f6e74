"""The dashboard's filters (R-55): period, organisation and sector."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Sector

FIRST_YEAR = 2000


class ScopeForm(forms.Form):
    """Only renders the filters; `reporting.measures.scope.scope_from` validates them for every path alike."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        required=False,
        choices=[("", _("Whole year"))] + [(q, f"Q{q}") for q in range(1, 5)],
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name"), required=False,
        empty_label=_("The whole region"),
    )  # fmt: skip
    sector = forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.order_by("name"), required=False, empty_label=_("All sectors")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, str(y)) for y in range(this_year, this_year - 6, -1)]
