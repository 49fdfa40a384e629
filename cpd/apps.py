from django.apps import AppConfig


class CpdConfig(AppConfig):
    """Resource bank, CPD events and staff training records (see DESIGN.md)."""

    name = "cpd"
    verbose_name = "CPD and training"
