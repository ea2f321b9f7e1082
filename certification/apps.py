from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = _("CMA certification")

    def ready(self) -> None:
        # The words of the status reasons, so they render in pages, the API, mail and tasks.
        import certification.status.words  # noqa: F401

        # check --deploy: production is given the credential issuer's key.
        from certification import checks  # noqa: F401

        # The apps below this one announce that facts of a member's status changed (a
        # decided entry, posted attendance, a dues payment, a new certification date); the
        # stored status is recomputed here, in the same transaction. They never import this app.
        from certification.services.recompute import facts_changed
        from imaportal.reasons import Reason
        from members.signals import member_facts_changed

        def on_facts_changed(
            sender: Any, member_ids: list[int], why: str | Reason, **kwargs: Any
        ) -> None:
            facts_changed(member_ids, why=why)

        member_facts_changed.connect(
            on_facts_changed, weak=False, dispatch_uid="certification-recompute"
        )

        # A changed policy version may change any member's status: every stored status is
        # marked stale in the same transaction and the recompute is queued after the commit
        # (if the broker is down, the nightly job recomputes the stale ones).
        from django.db import transaction

        from certification.services.recompute import mark_all_stale
        from certification.tasks import nightly_status_recompute
        from imaportal.queueing import enqueue
        from policy.signals import policy_changed

        def policy_receiver(sender: Any, why: str, **kwargs: Any) -> None:
            mark_all_stale()
            transaction.on_commit(lambda: enqueue(nightly_status_recompute))

        policy_changed.connect(
            policy_receiver, weak=False, dispatch_uid="certification-recompute-policy"
        )
