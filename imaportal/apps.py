from django.apps import AppConfig


class ImaportalConfig(AppConfig):
    """The project itself as an app: its management commands (``load_demo_data``), no models."""

    name = "imaportal"
    verbose_name = "IMA Member Portal"
