"""Receivers the employers app connects in `EmployersConfig.ready`."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Employer
from .services.duplicates import DUPLICATE_FIELDS, likely_duplicates_refresh


@receiver(post_save, sender=Employer, dispatch_uid="employers.likely_duplicates")
def refresh_likely_duplicates(sender, instance: Employer, created: bool, update_fields=None, raw=False, **kwargs):
    """R-07: an employer saved with a new name, postcode, KvK number, merge or purge gets its likely duplicates
    found again, in the same transaction (every save passes here: services, admin, fixtures). A save that touches
    none of those fields (the last contact, the status) leaves them. Bulk updates are caught up by the nightly run."""
    if raw or (update_fields is not None and not DUPLICATE_FIELDS & set(update_fields)):
        return
    likely_duplicates_refresh([instance.pk])
