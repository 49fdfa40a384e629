from django.apps import AppConfig


class StaffingConfig(AppConfig):
    """People who work in school: schools (tenants), users, staff memberships and roles."""

    name = "staffing"
    verbose_name = "Schools and staff"
