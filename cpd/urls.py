from django.urls import path

from cpd import views

app_name = "cpd"

urlpatterns = [
    path("resources/", views.ResourceListView.as_view(), name="resources"),
    path("resources/new/", views.ResourceCreateView.as_view(), name="resource_create"),
    path("resources/<int:pk>/", views.ResourceDetailView.as_view(), name="resource"),
    path("resources/<int:pk>/edit/", views.ResourceEditView.as_view(), name="resource_edit"),
    path("resources/<int:pk>/retire/", views.ResourceRetireView.as_view(), name="resource_retire"),
    path("files/<int:pk>/", views.ResourceFileDownloadView.as_view(), name="file_download"),
    path("events/", views.CalendarView.as_view(), name="calendar"),
    path("events/new/", views.EventCreateView.as_view(), name="event_create"),
    path("events/<int:pk>/", views.EventDetailView.as_view(), name="event"),
    path("events/<int:pk>/edit/", views.EventEditView.as_view(), name="event_edit"),
    path("events/<int:pk>/register/", views.AttendanceView.as_view(), name="attendance"),
    path("events/<int:pk>/feedback/", views.FeedbackView.as_view(), name="feedback"),
    path("mine/", views.MyCpdView.as_view(), name="mine"),
    path("mine/export.csv", views.MyCpdExportView.as_view(), name="mine_export"),
    path("mine/add/", views.CpdRecordView.as_view(), name="record_add"),
    path("mine/<int:pk>/", views.CpdRecordView.as_view(), name="record_edit"),
    path("training/", views.MatrixView.as_view(), name="matrix"),
    path("training/types/", views.TrainingTypesView.as_view(), name="training_types"),
    path("training/staff/<int:pk>/", views.StaffTrainingView.as_view(), name="staff_training"),
    path(
        "training/certificates/<int:pk>/",
        views.CertificateDownloadView.as_view(),
        name="certificate",
    ),
    path("specialisms/", views.SpecialismListView.as_view(), name="specialisms"),
    path("specialisms/<int:pk>/", views.SpecialismView.as_view(), name="specialism"),
    path("requests/<int:pk>/answer/", views.AnswerRequestView.as_view(), name="answer_request"),
]
