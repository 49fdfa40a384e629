"""CPD and training in the admin, scoped to the data manager's school."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cpd.models import (
    CpdAttendance,
    CpdEvent,
    CpdRecord,
    Resource,
    Specialism,
    SupportRequest,
    TrainingRecord,
    TrainingType,
)
from sendhub.admin_site import SchoolScopedAdmin, SchoolScopedInline
from sendhub.uploads import validate_upload


class SchoolOwnedAdmin(SchoolScopedAdmin, SimpleHistoryAdmin):
    """New rows go into the data manager's school; inline rows take their parent's."""

    def save_model(self, request, obj, form, change):
        if not obj.school_id:
            obj.school = request.membership.school
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            instance.school_id = form.instance.school_id
            instance.save()
        for removed in formset.deleted_objects:
            removed.delete()
        formset.save_m2m()

    def get_exclude(self, request, obj=None):
        return [] if request.user.is_superuser else ["school"]


@admin.register(TrainingType)
class TrainingTypeAdmin(SchoolOwnedAdmin):
    list_display = ["name", "validity_months", "is_active"]
    list_filter = ["is_active", "school"]
    search_fields = ["name"]


class TrainingRecordAdminForm(forms.ModelForm):
    class Meta:
        model = TrainingRecord
        fields = [
            "school",
            "staff",
            "training_type",
            "completed_on",
            "expires_on",
            "provider",
            "certificate",
        ]

    def clean_certificate(self):
        certificate = self.cleaned_data.get("certificate")
        if certificate and hasattr(certificate, "content_type"):  # a new upload
            validate_upload(certificate)
        return certificate


@admin.register(TrainingRecord)
class TrainingRecordAdmin(SchoolOwnedAdmin):
    form = TrainingRecordAdminForm
    list_display = ["staff", "training_type", "completed_on", "expires_on", "provider"]
    list_filter = ["training_type", "school"]
    search_fields = ["staff__user__last_name", "staff__user__first_name", "provider"]
    autocomplete_fields = ["staff"]
    list_select_related = ["staff__user", "training_type"]
    date_hierarchy = "expires_on"

    def get_exclude(self, request, obj=None):
        return [*super().get_exclude(request, obj), "recorded_by"]

    def save_model(self, request, obj, form, change):
        if not obj.expires_on:
            obj.expires_on = obj.training_type.expiry_for(obj.completed_on)
        obj.recorded_by = obj.recorded_by or request.user
        super().save_model(request, obj, form, change)


@admin.register(Resource)
class ResourceAdmin(SchoolOwnedAdmin):
    list_display = ["title", "kind", "owner", "area", "strategy", "is_retired"]
    list_filter = ["kind", "area", "strategy", "key_stage", "is_retired", "school"]
    search_fields = ["title", "description", "tags"]
    autocomplete_fields = ["owner"]
    list_select_related = ["owner__user"]


class AttendanceInline(SchoolScopedInline):
    model = CpdAttendance
    fields = ["staff", "attended", "rating", "comment"]
    autocomplete_fields = ["staff"]


@admin.register(CpdEvent)
class CpdEventAdmin(SchoolOwnedAdmin):
    list_display = ["title", "starts_at", "presenter", "external_presenter"]
    list_filter = ["school"]
    search_fields = ["title", "external_presenter"]
    autocomplete_fields = ["presenter", "materials"]
    date_hierarchy = "starts_at"
    inlines = [AttendanceInline]


@admin.register(CpdRecord)
class CpdRecordAdmin(SchoolOwnedAdmin):
    list_display = ["title", "staff", "completed_on", "hours"]
    search_fields = ["title", "staff__user__last_name"]
    autocomplete_fields = ["staff"]


class RequestInline(SchoolScopedInline):
    model = SupportRequest
    fields = ["requested_by", "kind", "message", "status", "response"]
    autocomplete_fields = ["requested_by"]


@admin.register(Specialism)
class SpecialismAdmin(SchoolOwnedAdmin):
    list_display = ["name", "area", "holder"]
    search_fields = ["name"]
    autocomplete_fields = ["holder"]
    inlines = [RequestInline]
