from django.urls import path

from staffing import views
from staffing.deployment import views as deployment

app_name = "staffing"

urlpatterns = [
    path("", views.StaffListView.as_view(), name="staff_list"),
    path("<int:pk>/", views.StaffDetailView.as_view(), name="staff_detail"),
    path("my-day/", deployment.MyDayView.as_view(), name="my_day"),
    path("<int:pk>/timetable/", deployment.StaffTimetableView.as_view(), name="timetable"),
    path(
        "<int:pk>/timetable/allocate/<int:period_pk>/",
        deployment.AllocationCreateView.as_view(),
        name="allocate",
    ),
    path(
        "allocations/<int:pk>/end/",
        deployment.AllocationEndView.as_view(),
        name="allocation_end",
    ),
]
