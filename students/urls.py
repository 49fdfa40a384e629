from django.urls import path

from students import views

app_name = "students"

urlpatterns = [
    path("", views.RegisterView.as_view(), name="register"),
    path("exams/", views.ExamArrangementsView.as_view(), name="exam_arrangements"),
    path("export.<str:file_format>", views.RegisterExportView.as_view(), name="register_export"),
    path("<int:pk>/", views.PupilView.as_view(), name="pupil"),
    path("<int:pk>/passport/", views.PassportView.as_view(), name="passport"),
    path("<int:pk>/passport.pdf", views.PassportPdfView.as_view(), name="passport_pdf"),
    path("<int:pk>/passport/edit/", views.PassportEditView.as_view(), name="passport_edit"),
    path("<int:pk>/status/", views.RegisterStatusView.as_view(), name="register_status"),
    path("<int:pk>/needs/add/", views.NeedFormView.as_view(), name="need_add"),
    path("<int:pk>/needs/<int:need_pk>/", views.NeedFormView.as_view(), name="need_edit"),
    path(
        "<int:pk>/needs/<int:need_pk>/delete/", views.NeedDeleteView.as_view(), name="need_delete"
    ),
    path("<int:pk>/staff/", views.StaffLinkView.as_view(), name="staff_links"),
    path(
        "<int:pk>/staff/<int:link_pk>/delete/",
        views.StaffLinkDeleteView.as_view(),
        name="staff_link_delete",
    ),
    path("<int:pk>/history/", views.HistoryView.as_view(), name="history"),
    path("<int:pk>/plans/", views.PlansView.as_view(), name="plans"),
    path("<int:pk>/plans/new/", views.PlanCreateView.as_view(), name="plan_create"),
    path("plans/<int:pk>/", views.PlanView.as_view(), name="plan"),
    path("plans/<int:pk>/edit/", views.PlanEditView.as_view(), name="plan_edit"),
    path("plans/<int:pk>/review/", views.PlanReviewView.as_view(), name="plan_review"),
    path("plans/<int:pk>/next/", views.PlanNextCycleView.as_view(), name="plan_next"),
    path("plans/<int:pk>/plan.pdf", views.PlanPdfView.as_view(), name="plan_pdf"),
    path("plans/<int:pk>/<slug:action>/", views.PlanActionView.as_view(), name="plan_action"),
    path("<int:pk>/ehcp/", views.EhcpView.as_view(), name="ehcp"),
    path("<int:pk>/ehcp/edit/", views.EhcpEditView.as_view(), name="ehcp_edit"),
    path(
        "<int:pk>/ehcp/outcomes/<int:outcome_pk>/progress/",
        views.EhcpProgressView.as_view(),
        name="ehcp_progress",
    ),
    path("<int:pk>/ehcp/review/", views.EhcpReviewView.as_view(), name="ehcp_review"),
    path("<int:pk>/ehcp/cease/", views.EhcpCeaseView.as_view(), name="ehcp_cease"),
    path("<int:pk>/arrangements/", views.ArrangementsView.as_view(), name="arrangements"),
    path("<int:pk>/health/", views.HealthView.as_view(), name="health"),
    path("<int:pk>/health/plan/", views.HealthcarePlanEditView.as_view(), name="health_plan"),
    path(
        "<int:pk>/health/medication/new/", views.MedicationEditView.as_view(), name="medication_add"
    ),
    path(
        "<int:pk>/health/medication/<int:medication_pk>/",
        views.MedicationEditView.as_view(),
        name="medication_edit",
    ),
    path(
        "<int:pk>/health/medication/<int:medication_pk>/dose/",
        views.DoseRecordView.as_view(),
        name="dose_record",
    ),
    path(
        "<int:pk>/health/medication/<int:medication_pk>/log/",
        views.MedicationLogView.as_view(),
        name="medication_log",
    ),
    path("<int:pk>/access-log/", views.AccessLogView.as_view(), name="access_log"),
    path("<int:pk>/documents/", views.DocumentsView.as_view(), name="documents"),
    path(
        "<int:pk>/documents/<int:document_pk>/",
        views.DocumentDownloadView.as_view(),
        name="document_download",
    ),
    path(
        "<int:pk>/documents/<int:document_pk>/delete/",
        views.DocumentDeleteView.as_view(),
        name="document_delete",
    ),
    path(
        "<int:pk>/arrangements/<int:arrangement_pk>/",
        views.ArrangementEditView.as_view(),
        name="arrangement_edit",
    ),
    path(
        "<int:pk>/arrangements/<int:arrangement_pk>/<slug:action>/",
        views.ArrangementActionView.as_view(),
        name="arrangement_action",
    ),
]
