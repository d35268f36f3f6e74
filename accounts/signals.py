"""What changes who an API token stands for makes every worker forget the tokens it holds (`accounts.token_cache`):
a token saved (revoked, expiry changed) or deleted, a user or an organisation saved or deleted. A login, which only
writes the user's `last_login`, changes nothing a token stands for."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import token_cache
from .models import ApiToken, Organisation, User


@receiver(post_save, sender=ApiToken, dispatch_uid="token_cache_token_saved")
@receiver(post_delete, sender=ApiToken, dispatch_uid="token_cache_token_deleted")
@receiver(post_save, sender=Organisation, dispatch_uid="token_cache_organisation_saved")
@receiver(post_delete, sender=Organisation, dispatch_uid="token_cache_organisation_deleted")
@receiver(post_delete, sender=User, dispatch_uid="token_cache_user_deleted")
def forget_tokens(sender, **kwargs):
    if sender is ApiToken and kwargs.get("created"):
        return  # a new token: no worker holds it yet
    token_cache.forget_everywhere()


@receiver(post_save, sender=User, dispatch_uid="token_cache_user_saved")
def forget_tokens_of_a_changed_user(sender, update_fields=None, created=False, **kwargs):
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    token_cache.forget_everywhere()
