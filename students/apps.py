from django.apps import AppConfig


class StudentsConfig(AppConfig):
    """The pupil record: register, needs, passports, plans (see DESIGN.md)."""

    name = "students"
    verbose_name = "Pupils"
