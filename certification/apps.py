from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = _("CMA certification")

    def ready(self) -> None:
        # The apps below this one announce that facts of a member's status changed (a
        # decided entry, posted attendance, a dues payment, a new certification date); the
        # stored status is recomputed here, in the same transaction. They never import this app.
        from certification.services.recompute import facts_changed
        from members.signals import member_facts_changed

        def on_facts_changed(sender: Any, member_ids: list[int], why: str, **kwargs: Any) -> None:
            facts_changed(member_ids, why=why)

        member_facts_changed.connect(
            on_facts_changed, weak=False, dispatch_uid="certification-recompute"
        )
