from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CpeConfig(AppConfig):
    name = "cpe"
    verbose_name = _("Continuing professional education")

    def ready(self) -> None:
        # The words of the credit rules' reasons, for every page, API answer and task.
        from cpe import words as transcript_words  # noqa: F401
        from cpe.credit import words  # noqa: F401
