from django.contrib import admin
from django.urls import include, path

from sendhub import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("school/switch/", views.SwitchSchoolView.as_view(), name="switch_school"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/db", views.healthz_db, name="healthz_db"),
    path("staff/", include("staffing.urls")),
    path("pupils/", include("students.urls")),
    path("cpd/", include("cpd.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "sendhub.views.error_403"
handler404 = "sendhub.views.error_404"
handler500 = "sendhub.views.error_500"
