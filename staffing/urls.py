from django.urls import path

from staffing import views

app_name = "staffing"

urlpatterns = [
    path("", views.StaffListView.as_view(), name="staff_list"),
    path("<int:pk>/", views.StaffDetailView.as_view(), name="staff_detail"),
]
