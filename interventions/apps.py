from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    """Programmes, groups, sessions, assessments and impact (see DESIGN.md)."""

    name = "interventions"
    verbose_name = "Interventions"
