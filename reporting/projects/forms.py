"""Browser forms of reporting.projects: typed input only; the rules are the services' (STYLE habit 2)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation

from .choices import Channel, EventKind
from .models import Project


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
