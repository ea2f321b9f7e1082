"""Signals of the members app. ``member_facts_changed`` tells the certification app to
recompute a stored status. Changing a password revokes the account's API tokens, whichever
way it changes (password change or reset pages, the admin, ``set_password`` in a script or
the shell)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models.signals import post_save
from django.dispatch import Signal, receiver
from rest_framework.authtoken.models import Token

from imaportal.reasons import Reason
from members.models import User

# Sent inside the transaction of a write that changes what a member's certification status
# depends on (dues, certification date, an approved or posted CPE entry). The certification
# app recomputes the stored status (``certification.apps``); the senders never import it.
member_facts_changed = Signal()  # kwargs: member_ids, why


def facts_changed(member_ids: Iterable[int], *, why: str | Reason) -> None:
    """Announce that the status facts of these members changed (see ``member_facts_changed``)."""
    ids = sorted(set(member_ids))
    if ids:
        member_facts_changed.send(sender=None, member_ids=ids, why=why)


@receiver(post_save, sender=User, dispatch_uid="members.revoke_tokens_on_password_change")
def revoke_tokens_on_password_change(sender: type[User], instance: User, **kwargs: Any) -> None:
    # ``set_password`` keeps the new raw password in ``_password`` until ``save`` has run
    # (Django clears it after this signal). A hash upgrade at sign-in clears it before saving,
    # so it does not count as a change.
    if getattr(instance, "_password", None) is not None and not kwargs.get("created"):
        Token.objects.filter(user=instance).delete()
