from django.urls import path

from students.views import behaviour, care, case_studies, liaison, record

app_name = "students"

urlpatterns = [
    path("", record.RegisterView.as_view(), name="register"),
    path("exams/", record.ExamArrangementsView.as_view(), name="exam_arrangements"),
    path("export.<str:file_format>", record.RegisterExportView.as_view(), name="register_export"),
    path("<int:pk>/", record.PupilView.as_view(), name="pupil"),
    path("<int:pk>/passport/", record.PassportView.as_view(), name="passport"),
    path("<int:pk>/passport.pdf", record.PassportPdfView.as_view(), name="passport_pdf"),
    path("<int:pk>/passport/edit/", record.PassportEditView.as_view(), name="passport_edit"),
    path("<int:pk>/status/", record.RegisterStatusView.as_view(), name="register_status"),
    path("<int:pk>/needs/add/", record.NeedFormView.as_view(), name="need_add"),
    path("<int:pk>/needs/<int:need_pk>/", record.NeedFormView.as_view(), name="need_edit"),
    path(
        "<int:pk>/needs/<int:need_pk>/delete/", record.NeedDeleteView.as_view(), name="need_delete"
    ),
    path("<int:pk>/staff/", record.StaffLinkView.as_view(), name="staff_links"),
    path(
        "<int:pk>/staff/<int:link_pk>/delete/",
        record.StaffLinkDeleteView.as_view(),
        name="staff_link_delete",
    ),
    path("<int:pk>/history/", record.HistoryView.as_view(), name="history"),
    path("<int:pk>/plans/", record.PlansView.as_view(), name="plans"),
    path("<int:pk>/plans/new/", record.PlanCreateView.as_view(), name="plan_create"),
    path("plans/<int:pk>/", record.PlanView.as_view(), name="plan"),
    path("plans/<int:pk>/edit/", record.PlanEditView.as_view(), name="plan_edit"),
    path("plans/<int:pk>/review/", record.PlanReviewView.as_view(), name="plan_review"),
    path("plans/<int:pk>/next/", record.PlanNextCycleView.as_view(), name="plan_next"),
    path("plans/<int:pk>/plan.pdf", record.PlanPdfView.as_view(), name="plan_pdf"),
    path("plans/<int:pk>/<slug:action>/", record.PlanActionView.as_view(), name="plan_action"),
    path("<int:pk>/ehcp/", record.EhcpView.as_view(), name="ehcp"),
    path("<int:pk>/ehcp/edit/", record.EhcpEditView.as_view(), name="ehcp_edit"),
    path(
        "<int:pk>/ehcp/outcomes/<int:outcome_pk>/progress/",
        record.EhcpProgressView.as_view(),
        name="ehcp_progress",
    ),
    path("<int:pk>/ehcp/review/", record.EhcpReviewView.as_view(), name="ehcp_review"),
    path("<int:pk>/ehcp/cease/", record.EhcpCeaseView.as_view(), name="ehcp_cease"),
    path("<int:pk>/arrangements/", record.ArrangementsView.as_view(), name="arrangements"),
    path("<int:pk>/health/", record.HealthView.as_view(), name="health"),
    path("<int:pk>/health/plan/", record.HealthcarePlanEditView.as_view(), name="health_plan"),
    path(
        "<int:pk>/health/medication/new/",
        record.MedicationEditView.as_view(),
        name="medication_add",
    ),
    path(
        "<int:pk>/health/medication/<int:medication_pk>/",
        record.MedicationEditView.as_view(),
        name="medication_edit",
    ),
    path(
        "<int:pk>/health/medication/<int:medication_pk>/dose/",
        record.DoseRecordView.as_view(),
        name="dose_record",
    ),
    path(
        "<int:pk>/health/medication/<int:medication_pk>/log/",
        record.MedicationLogView.as_view(),
        name="medication_log",
    ),
    path("<int:pk>/behaviour/", behaviour.BehaviourView.as_view(), name="behaviour"),
    path(
        "<int:pk>/behaviour/record/",
        behaviour.BehaviourRecordView.as_view(),
        name="behaviour_record",
    ),
    path(
        "<int:pk>/behaviour/patterns/",
        behaviour.BehaviourPatternView.as_view(),
        name="behaviour_patterns",
    ),
    path(
        "<int:pk>/behaviour/<int:incident_pk>/correct/",
        behaviour.BehaviourCorrectView.as_view(),
        name="behaviour_correct",
    ),
    path("<int:pk>/care/", care.CareView.as_view(), name="care"),
    path("<int:pk>/care/plan/", care.CarePlanEditView.as_view(), name="care_plan"),
    path("<int:pk>/care/record/", care.CareRecordView.as_view(), name="care_record"),
    path(
        "<int:pk>/care/<int:entry_pk>/withdraw/",
        care.CareWithdrawView.as_view(),
        name="care_withdraw",
    ),
    path("<int:pk>/liaison/", liaison.LiaisonView.as_view(), name="liaison"),
    path(
        "<int:pk>/liaison/<int:entry_pk>/edit/",
        liaison.LiaisonEditView.as_view(),
        name="liaison_edit",
    ),
    path("actions/", liaison.MyActionsView.as_view(), name="actions"),
    path("actions/<int:pk>/done/", liaison.ActionCompleteView.as_view(), name="action_done"),
    path("agencies/", liaison.AgencyListView.as_view(), name="agencies"),
    path("agencies/new/", liaison.AgencyEditView.as_view(), name="agency_add"),
    path("agencies/<int:pk>/", liaison.AgencyEditView.as_view(), name="agency_edit"),
    path("<int:pk>/case-studies/", case_studies.CaseStudiesView.as_view(), name="case_studies"),
    path(
        "<int:pk>/case-studies/new/",
        case_studies.CaseStudyEditView.as_view(),
        name="case_study_add",
    ),
    path(
        "<int:pk>/case-studies/<int:study_pk>/",
        case_studies.CaseStudyView.as_view(),
        name="case_study",
    ),
    path(
        "<int:pk>/case-studies/<int:study_pk>/edit/",
        case_studies.CaseStudyEditView.as_view(),
        name="case_study_edit",
    ),
    path(
        "<int:pk>/case-studies/<int:study_pk>/agree/",
        case_studies.CaseStudyAgreeView.as_view(),
        name="case_study_agree",
    ),
    path(
        "<int:pk>/case-studies/<int:study_pk>/delete/",
        case_studies.CaseStudyDeleteView.as_view(),
        name="case_study_delete",
    ),
    path("<int:pk>/access-log/", record.AccessLogView.as_view(), name="access_log"),
    path("<int:pk>/documents/", record.DocumentsView.as_view(), name="documents"),
    path(
        "<int:pk>/documents/<int:document_pk>/",
        record.DocumentDownloadView.as_view(),
        name="document_download",
    ),
    path(
        "<int:pk>/documents/<int:document_pk>/delete/",
        record.DocumentDeleteView.as_view(),
        name="document_delete",
    ),
    path(
        "<int:pk>/arrangements/<int:arrangement_pk>/",
        record.ArrangementEditView.as_view(),
        name="arrangement_edit",
    ),
    path(
        "<int:pk>/arrangements/<int:arrangement_pk>/<slug:action>/",
        record.ArrangementActionView.as_view(),
        name="arrangement_action",
    ),
]
