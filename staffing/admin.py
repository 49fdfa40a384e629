from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from import_export.admin import ImportMixin

from sendhub.admin_site import SchoolOwnedAdmin, SchoolScopedAdmin, acting_school_id
from sendhub.imports import SchoolImportMixin
from staffing.forms import StaffMemberAdminForm
from staffing.imports import StaffImportResource
from staffing.models import Faculty, Role, School, StaffMember, Trust, User
from staffing.services import staff_invitation_send, staff_member_create, staff_member_update


@admin.register(Trust)
class TrustAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(School)
class SchoolAdmin(SchoolScopedAdmin):
    """A data manager edits their own school's details; only administrators add schools."""

    list_display = ["name", "slug", "urn", "trust", "is_active"]
    search_fields = ["name", "slug", "urn"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        queryset = super(SchoolScopedAdmin, self).get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk=acting_school_id(request))

    def _owns(self, request, obj) -> bool:
        return obj is None or request.user.is_superuser or obj.pk == acting_school_id(request)

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return []
        return ["slug", "trust", "is_active"]

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


@admin.register(Faculty)
class FacultyAdmin(SchoolOwnedAdmin):
    list_display = ["name", "school"]
    search_fields = ["name"]


@admin.register(StaffMember)
class StaffMemberAdmin(SchoolImportMixin, ImportMixin, SchoolScopedAdmin):
    form = StaffMemberAdminForm
    import_resource_classes = [StaffImportResource]
    import_help = (
        "A CSV or XLSX export of your MIS, one person a row: people are matched by e-mail "
        "address among your staff. Nobody is e-mailed; send set-your-password e-mails from "
        "the list afterwards. Example: staffing/samples/mis-staff.csv."
    )
    list_display = ["name", "email", "role", "job_title", "is_active", "school"]
    list_filter = ["role", "faculty", "is_active", "is_safeguarding_lead", "school"]
    search_fields = ["user__first_name", "user__last_name", "user__email", "job_title"]
    list_select_related = ["user", "school"]
    actions = ["send_set_password_email"]

    def get_fields(self, request, obj=None):
        fields = [
            "email",
            "first_name",
            "last_name",
            "role",
            "job_title",
            "faculty",
            "line_manager",
            "is_active",
            "is_safeguarding_lead",
        ]
        if request.user.is_superuser and obj is None:
            fields.insert(0, "school")
        return [*fields, "send_invitation"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["fields"] = [
            f
            for f in self.get_fields(request, obj)
            if f not in StaffMemberAdminForm.declared_fields
        ]
        form_class = super().get_form(request, obj, change, **kwargs)
        membership = getattr(request, "membership", None)
        school = membership.school if membership else None
        actor = request.user

        class ScopedForm(form_class):
            def __init__(self, *args, **kw):
                super().__init__(*args, school=school, actor=actor, **kw)

        return ScopedForm

    def may_change(self, request, obj) -> bool:
        # A trust lead's row is granted by an administrator; a data manager only sees it.
        return obj is None or obj.role != Role.TRUST_LEAD or request.user.is_superuser

    @admin.display(ordering="user__last_name", description="Name")
    def name(self, obj):
        return obj.user.full_name

    @admin.display(ordering="user__email", description="E-mail")
    def email(self, obj):
        return obj.user.email

    def save_form(self, request, form, change):
        # The work happens in save_model through the services; keep the unsaved instance.
        return form.instance

    def save_related(self, request, form, formsets, change):
        pass  # no many-to-many fields or inlines; the services saved everything

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        details = {
            "email": data["email"],
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "role": data["role"],
            "job_title": data.get("job_title", ""),
            "faculty": data.get("faculty"),
            "line_manager": data.get("line_manager"),
            "is_safeguarding_lead": data.get("is_safeguarding_lead", False),
        }
        if change:
            member = staff_member_update(
                actor=request.user,
                staff_member=obj,
                is_active=data.get("is_active", True),
                **details,
            )
        else:
            school = data.get("school") if request.user.is_superuser else None
            school = school or request.membership.school
            member = staff_member_create(actor=request.user, school=school, **details)
        if not change:  # the admin goes on with `obj` (log entry, message, redirect)
            obj.pk = member.pk
            obj.refresh_from_db()
        if data.get("send_invitation"):
            staff_invitation_send(staff_member=member)
            messages.info(
                request, f"A set-your-password e-mail is on its way to {member.user.email}."
            )

    @admin.action(description="Send set-your-password e-mail")
    def send_set_password_email(self, request, queryset):
        members = list(queryset.select_related("user"))
        for member in members:
            staff_invitation_send(staff_member=member)
        self.message_user(
            request, f"Set-your-password e-mail queued for {len(members)} staff.", messages.INFO
        )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Platform administrators only: school staff are managed as staff members."""

    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_superuser", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Name", {"fields": ["first_name", "last_name"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "first_name", "last_name", "password1", "password2"],
            },
        ),
    ]
