from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RefundsConfig(AppConfig):
    name = "refunds"
    verbose_name = _("Refunds")

    def ready(self) -> None:
        # The words of the refund reasons, for every page, API call, task and admin view.
        from refunds import words  # noqa: F401
