"""Browser forms. They shape input; the rules are in services, whose errors come back onto the form."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.models import Sector, User
from wsp.inputs import MAX_ID

from .choices import ContactChannel, ContactKind, Instrument
from .models import Employer

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _now_local():
    return timezone.localtime().replace(second=0, microsecond=0)


def instruments_field(label) -> forms.MultipleChoiceField:
    """R-33: checkboxes with the Dutch names of the one list of instruments."""
    return forms.MultipleChoiceField(
        label=label, choices=Instrument.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class EmployerForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Employer
        fields = [
            "name", "kvk_number", "visiting_address", "postcode", "city", "municipality", "sector", "sbi_code",
            "staff_count", "employer_type", "website", "contact_name", "contact_email", "contact_phone",
        ]  # fmt: skip
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "off"}),
            "postcode": forms.TextInput(attrs={"placeholder": "2011 AB", "autocomplete": "off"}),
            "kvk_number": forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "12345678"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.order_by("name")

    def _post_clean(self):
        # Model validation runs in the service (one place for the rules); the form only converts types.
        pass


class VisitReportForm(forms.Form):
    """R-08: the report of a company visit."""

    occurred_at = forms.DateTimeField(label=_("Date and time of the visit"), widget=DATETIME_WIDGET, initial=_now_local)
    reason = forms.CharField(label=_("Reason for the visit"), widget=forms.Textarea(attrs={"rows": 2}))
    company_activities = forms.CharField(label=_("Company activities"), widget=forms.Textarea(attrs={"rows": 3}))
    agreements = forms.CharField(label=_("Agreements made"), widget=forms.Textarea(attrs={"rows": 3}))
    summary = forms.CharField(label=_("Other notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    instruments_advised = instruments_field(_("Instruments advised"))
    instruments_applied = instruments_field(_("Instruments applied"))


class EmployerCreateForm(EmployerForm):
    confirm_not_duplicate = forms.BooleanField(
        label=_("I checked the similar employers: this is another employer."), required=False
    )
    main_account_holder = forms.ModelChoiceField(
        label=_("Main account holder"),
        queryset=User.objects.filter(role=Role.ADVISER, is_active=True),
        required=False,
        help_text=_("Leave empty to become main account holder yourself."),
    )


class ContactMomentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of contact"), choices=ContactKind.choices, initial=ContactKind.VISIT)
    occurred_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME_WIDGET, initial=_now_local)
    reason = forms.CharField(label=_("Reason for the visit"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    company_activities = forms.CharField(
        label=_("Company activities"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    agreements = forms.CharField(label=_("Agreements made"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    instruments_advised = instruments_field(_("Instruments advised"))
    instruments_applied = instruments_field(_("Instruments applied"))


class ContactRequestForm(forms.Form):
    received_at = forms.DateTimeField(label=_("Received at"), widget=DATETIME_WIDGET, initial=_now_local)
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactChannel.choices)
    requested_by = forms.CharField(label=_("Asked by"), required=False, max_length=120)
    question = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}))


class ContactResponseForm(forms.Form):
    """R-10: the response moment is when it is saved; an earlier moment may be given, and stays marked as such."""

    response = forms.CharField(label=_("Response"), widget=forms.Textarea(attrs={"rows": 3}))
    responded_at = forms.DateTimeField(
        label=_("Answered earlier at"),
        widget=DATETIME_WIDGET,
        required=False,
        help_text=_(
            "Only when you answered before entering it, e.g. by phone. Not before the request came in; it stays "
            "visible that the moment was given afterwards (R-10)."
        ),
    )


class AccessRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Why do you want to act towards this employer?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CeaseForm(forms.Form):
    ceased_on = forms.DateField(
        label=_("Ceased on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )


class ReassignForm(forms.Form):
    """Offers only the advisers of the manager's own organisation (R-01); the service checks it again."""

    from_user = forms.ModelChoiceField(label=_("Departing adviser"), queryset=User.objects.none())
    to_users = forms.ModelMultipleChoiceField(
        label=_("Receiving advisers"),
        queryset=User.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("The employers are divided over the chosen advisers in turn."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        own = User.objects.filter(role=Role.ADVISER, organisation_id=user.organisation_id)
        self.fields["from_user"].queryset = own
        self.fields["to_users"].queryset = own.filter(is_active=True)


class FeedbackImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: employer (number or KvK number), adviser (username), score (0-10), comment, source "
            "(direct_feedback, survey or other), received_at; optionally external_id. Comma or semicolon separated."
        ),
    )


class MergeForm(forms.Form):
    keep = forms.IntegerField(label=_("Number of the record to keep"), min_value=1, max_value=MAX_ID)
    merge = forms.IntegerField(label=_("Number of the duplicate record"), min_value=1, max_value=MAX_ID)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class EmployerFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": _("Name, postcode or KvK number")}),
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.order_by("name"), required=False, empty_label=_("All sectors")
    )
    municipality = forms.CharField(label=_("Municipality"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Active")), ("ceased", _("Ceased")), ("all", _("All"))]
    )
    mine = forms.BooleanField(label=_("Only my employers"), required=False)
    takeover = forms.BooleanField(label=_("12 months without contact"), required=False)
