from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CpeConfig(AppConfig):
    name = "cpe"
    verbose_name = _("Continuing professional education")
