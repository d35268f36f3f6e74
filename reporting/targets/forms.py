"""Browser forms of reporting.targets (R-50, R-51, R-52). They read input; the rules live in `services`."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.models import Organisation, Sector, User
from matching.choices import TargetGroup

from .choices import Measure


def _year_field(**kwargs):
    return forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, **kwargs)


class TargetFilterForm(forms.Form):
    year = _year_field(required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name"), required=False
    )

    def year_or_now(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return timezone.localdate().year


class TargetForm(forms.Form):
    year = _year_field()
    measure = forms.ChoiceField(label=_("Measure"), choices=Measure.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name"), required=False
    )
    target_group = forms.ChoiceField(
        label=_("Target group"), choices=[("", "---------"), *TargetGroup.choices], required=False
    )
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.order_by("name"), required=False)
    adviser = forms.ModelChoiceField(
        label=_("Adviser or account manager"),
        queryset=User.objects.filter(role__in=[Role.ADVISER, Role.ACCOUNT_MANAGER], is_active=True).order_by(
            "first_name", "last_name"
        ),
        required=False,
        help_text=_("Give an organisation with a target group or a sector, or an adviser alone."),
    )
    target = forms.DecimalField(label=_("Target"), max_digits=9, decimal_places=1)


class TargetChangeForm(forms.Form):
    target = forms.DecimalField(label=_("New target"), max_digits=9, decimal_places=1)
    reason = forms.CharField(label=_("Reason for the change"), max_length=500)


class SectorCountForm(forms.Form):
    year = _year_field()
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.order_by("name"))
    employers_10_plus = forms.IntegerField(label=_("Employers with 10 or more staff in the region"))
    source = forms.CharField(label=_("Source"), max_length=500, required=False)
    ambition = forms.DecimalField(
        label=_("Coverage ambition"),
        max_digits=4,
        decimal_places=3,
        required=False,
        help_text=_("A share from 0 to 1, such as 0.35 for 35%."),
    )
