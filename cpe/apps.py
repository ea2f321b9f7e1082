from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CpeConfig(AppConfig):
    name = "cpe"
    verbose_name = _("Continuing professional education")

    def ready(self) -> None:
        from typing import Any

        from cpe.recompute import facts_changed
        from members.services import member_facts_changed

        def on_facts_changed(sender: Any, member_ids: list[int], why: str, **kwargs: Any) -> None:
            facts_changed(member_ids, why=why)

        member_facts_changed.connect(on_facts_changed, weak=False, dispatch_uid="cpe-recompute")
