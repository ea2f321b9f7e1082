"""Changing a password revokes the account's API tokens, whichever way it changes (password
change or reset pages, the admin, ``set_password`` in a script or the shell)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver
from rest_framework.authtoken.models import Token

from members.models import User


@receiver(post_save, sender=User, dispatch_uid="members.revoke_tokens_on_password_change")
def revoke_tokens_on_password_change(sender: type[User], instance: User, **kwargs: Any) -> None:
    # ``set_password`` keeps the new raw password in ``_password`` until ``save`` has run
    # (Django clears it after this signal). A hash upgrade at sign-in clears it before saving,
    # so it does not count as a change.
    if getattr(instance, "_password", None) is not None and not kwargs.get("created"):
        Token.objects.filter(user=instance).delete()
