"""The pupil record in the admin, for the data manager's set-up, scoped to their school.

Writes that have rules (register spans, plan workflow) are best done in the app's pages;
the admin is for loading and correcting data, with history on every record."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from import_export.admin import ImportExportMixin, ImportMixin
from simple_history.admin import SimpleHistoryAdmin

from sendhub.admin_site import (
    SchoolOwnedAdmin,
    SchoolScopedAdmin,
    SchoolScopedInline,
    ValidatingInlineFormSet,
)
from sendhub.imports import SchoolImportMixin
from students.exports import RegisterResource
from students.imports import ContactImportResource, PupilImportResource
from students.models import (
    AccessArrangement,
    Agency,
    EhcPlan,
    EhcpOutcome,
    EhcpReview,
    Passport,
    PlanReview,
    PlanTarget,
    Pupil,
    PupilContact,
    PupilNeed,
    RegisterPeriod,
    StaffPupilLink,
    SupportPlan,
    TargetOutcome,
)
from students.selectors import with_register_columns


class NeedInline(SchoolScopedInline):
    model = PupilNeed
    fields = ["code", "rank", "descriptor"]


class RegisterPeriodInline(SchoolScopedInline):
    model = RegisterPeriod
    fields = ["status", "started_on", "ended_on", "reason"]


class StaffLinkInline(SchoolScopedInline):
    model = StaffPupilLink
    fields = ["staff", "source", "valid_until"]
    autocomplete_fields = ["staff"]


class SchoolChildAdmin(SchoolScopedAdmin, SimpleHistoryAdmin):
    """Tenant rows get the school of their parent; inline rows too."""

    def save_model(self, request, obj, form, change):
        if not obj.school_id:
            obj.school = self.school_for(request, obj)
        super().save_model(request, obj, form, change)

    def school_for(self, request, obj):
        parent = (
            getattr(obj, "pupil", None) or getattr(obj, "plan", None) or getattr(obj, "ehcp", None)
        )
        if parent is not None:
            return parent.school
        return request.membership.school

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            instance.school_id = form.instance.school_id
            instance.save()
        for removed in formset.deleted_objects:
            removed.delete()
        formset.save_m2m()

    def get_exclude(self, request, obj=None):
        return [] if request.user.is_superuser else ["school"]


@admin.register(Pupil)
class PupilAdmin(SchoolImportMixin, ImportExportMixin, SchoolChildAdmin):
    resource_classes = [RegisterResource]  # export
    import_resource_classes = [PupilImportResource]
    import_help = (
        "A CSV or XLSX export of your MIS, one pupil a row, with the columns of the census "
        "export: pupils are matched by UPN in your school; SEN status changes are recorded on "
        "the register from today. Example: students/samples/mis-pupils.csv."
    )
    list_display = [
        "last_name",
        "first_name",
        "upn",
        "year_group",
        "tutor_group",
        "sen_status",
        "pupil_premium",
        "eal",
        "looked_after",
        "is_active",
    ]
    list_filter = [
        "sen_status",
        "year_group",
        "pupil_premium",
        "eal",
        "looked_after",
        "is_active",
        "school",
    ]
    search_fields = ["last_name", "first_name", "preferred_name", "upn"]
    inlines = [NeedInline, RegisterPeriodInline, StaffLinkInline]

    def school_for(self, request, obj):
        return request.membership.school

    def get_export_queryset(self, request):
        # The changelist as filtered, with the census columns the export needs.
        return with_register_columns(super().get_export_queryset(request))


@admin.register(PupilContact)
class PupilContactAdmin(SchoolImportMixin, ImportMixin, SchoolChildAdmin):
    import_resource_classes = [ContactImportResource]
    import_help = (
        "A CSV or XLSX export of your MIS, one contact a row: a contact is matched by the "
        "pupil's UPN and the contact's name. Import the pupils first. Example: "
        "students/samples/mis-contacts.csv."
    )
    list_display = ["name", "pupil", "relationship", "priority", "phone", "parental_responsibility"]
    list_filter = ["parental_responsibility", "school"]
    search_fields = ["name", "pupil__last_name", "pupil__first_name", "pupil__upn"]
    autocomplete_fields = ["pupil"]
    list_select_related = ["pupil"]


@admin.register(Passport)
class PassportAdmin(SchoolChildAdmin):
    list_display = ["pupil", "updated_at", "updated_by"]
    search_fields = ["pupil__last_name", "pupil__first_name", "pupil__upn"]
    autocomplete_fields = ["pupil"]
    readonly_fields = ["updated_by"]


class TargetInline(SchoolScopedInline):
    model = PlanTarget
    fields = ["area", "description", "strategies", "success_criteria", "supported_by", "frequency"]


@admin.register(SupportPlan)
class SupportPlanAdmin(SchoolChildAdmin):
    list_display = ["pupil", "cycle", "status", "start_date", "review_date"]
    list_filter = ["status", "school"]
    search_fields = ["pupil__last_name", "pupil__first_name", "pupil__upn"]
    autocomplete_fields = ["pupil", "drafted_by", "approved_by"]
    list_select_related = ["pupil"]
    date_hierarchy = "review_date"
    inlines = [TargetInline]


class OutcomeFormSet(ValidatingInlineFormSet):
    def check_row(self, instance) -> None:
        if instance.target_id and instance.target.plan_id != self.instance.plan_id:
            raise ValidationError("Each outcome must be for a target of the plan reviewed.")


class OutcomeInline(SchoolScopedInline):
    model = TargetOutcome
    formset = OutcomeFormSet
    fields = ["target", "outcome", "comment"]


@admin.register(PlanReview)
class PlanReviewAdmin(SchoolChildAdmin):
    list_display = ["plan", "reviewed_on"]
    search_fields = ["plan__pupil__last_name", "plan__pupil__upn"]
    autocomplete_fields = ["plan", "reviewed_by"]
    inlines = [OutcomeInline]


class EhcpOutcomeInline(SchoolScopedInline):
    model = EhcpOutcome
    fields = ["area", "description"]


class EhcpReviewInline(SchoolScopedInline):
    model = EhcpReview
    fields = ["meeting_date", "attendees", "recommendations", "amendments_requested"]


@admin.register(EhcPlan)
class EhcPlanAdmin(SchoolChildAdmin):
    list_display = [
        "pupil",
        "local_authority",
        "date_issued",
        "next_review_date",
        "funded_hours_per_week",
    ]
    list_filter = ["primary_need", "school"]
    search_fields = ["pupil__last_name", "pupil__first_name", "pupil__upn", "local_authority"]
    autocomplete_fields = ["pupil"]
    date_hierarchy = "next_review_date"
    inlines = [EhcpOutcomeInline, EhcpReviewInline]


@admin.register(AccessArrangement)
class AccessArrangementAdmin(SchoolChildAdmin):
    list_display = ["pupil", "arrangement", "evidence_date", "approved_on", "review_date"]
    list_filter = ["arrangement", "school"]
    search_fields = ["pupil__last_name", "pupil__first_name", "pupil__upn", "assessor"]
    autocomplete_fields = ["pupil", "approved_by"]
    list_select_related = ["pupil"]
    date_hierarchy = "review_date"


# Health, care, behaviour, liaison notes and documents are not in the admin: they are
# restricted to the SENDCo, PSO, safeguarding leads and staff working with the pupil, and
# every read of them is logged, which only the pupil pages do.


@admin.register(Agency)
class AgencyAdmin(SchoolOwnedAdmin):
    list_display = ["name", "kind", "contact_name", "phone", "email", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "contact_name"]
