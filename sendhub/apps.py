from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class SendhubConfig(AppConfig):
    name = "sendhub"
    verbose_name = "SendHub"
    default = True


class SendHubAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with SendHub's school-scoped site as ``admin.site``."""

    default = False
    default_site = "sendhub.admin_site.SendHubAdminSite"
