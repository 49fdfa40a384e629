from django.urls import path

from staffing import views
from staffing.deployment import coverage_views
from staffing.deployment import views as deployment

app_name = "staffing"

urlpatterns = [
    path("", views.StaffListView.as_view(), name="staff_list"),
    path("<int:pk>/", views.StaffDetailView.as_view(), name="staff_detail"),
    path("my-day/", deployment.MyDayView.as_view(), name="my_day"),
    path("coverage/", coverage_views.CoverageView.as_view(), name="coverage"),
    path("pupils/<int:pk>/week/", coverage_views.PupilTimetableView.as_view(), name="pupil_week"),
    path("<int:pk>/timetable/", deployment.StaffTimetableView.as_view(), name="timetable"),
    path(
        "<int:pk>/timetable/allocate/<int:period_pk>/",
        deployment.AllocationCreateView.as_view(),
        name="allocate",
    ),
    path("workload/", deployment.WorkloadView.as_view(), name="workload"),
    path("faculties/", deployment.FacultyGridView.as_view(), name="faculties"),
    path("faculties/<int:pk>/", deployment.FacultyGridView.as_view(), name="faculty_grid"),
    path(
        "lessons/<int:pk>/support/", deployment.LessonSupportView.as_view(), name="lesson_support"
    ),
    path(
        "pupils/<int:pk>/week/<int:period_pk>/support/",
        deployment.PupilSupportView.as_view(),
        name="pupil_support",
    ),
    path("absences/", deployment.AbsencesView.as_view(), name="absences"),
    path("absences/<int:pk>/", deployment.AbsenceView.as_view(), name="absence"),
    path("absences/<int:pk>/cover/", deployment.CoverAssignView.as_view(), name="cover_assign"),
    path("cover/<int:pk>/remove/", deployment.CoverRemoveView.as_view(), name="cover_remove"),
    path(
        "allocations/<int:pk>/end/",
        deployment.AllocationEndView.as_view(),
        name="allocation_end",
    ),
]
