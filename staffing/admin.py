from collections import defaultdict

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from import_export.admin import ImportMixin

from sendhub.admin_site import (
    SchoolOwnedAdmin,
    SchoolScopedAdmin,
    SchoolScopedInline,
    ValidatingInlineFormSet,
    acting_school_id,
)
from sendhub.imports import SchoolImportMixin
from staffing.deployment.services import school_links_sync
from staffing.deployment.timetable import lesson_check, period_check, timetable_check
from staffing.forms import StaffMemberAdminForm
from staffing.imports import StaffImportResource
from staffing.models import (
    Faculty,
    Lesson,
    Period,
    Role,
    School,
    StaffMember,
    TeachingGroup,
    Timetable,
    Trust,
    User,
)
from staffing.services import staff_invitation_send, staff_member_create, staff_member_update
from staffing.timetable_imports import (
    ClassImportResource,
    ClassListImportResource,
    LessonImportResource,
    PeriodImportResource,
)


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
    list_filter = [
        "role",
        # Only the faculties of the staff listed: the plain filter offers every school's.
        ("faculty", admin.RelatedOnlyFieldListFilter),
        "is_active",
        "is_safeguarding_lead",
        "school",
    ]
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
            "grade",
            "faculty",
            "line_manager",
            "contracted_periods",
            "working_pattern",
            "specialism_area",
            "specialism_subject",
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
            "grade": data.get("grade", ""),
            "contracted_periods": data.get("contracted_periods"),
            "working_pattern": data.get("working_pattern", ""),
            "specialism_area": data.get("specialism_area", ""),
            "specialism_subject": data.get("specialism_subject", ""),
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


# --- the timetable (deployment: the rules live in staffing/deployment/timetable.py) -------


def school_id_of(form, cleaned) -> int | None:
    """The school of the row the form saves: chosen by an administrator, set for a data
    manager before validation (SchoolOwnedAdmin)."""
    school = cleaned.get("school")
    return school.pk if school is not None else form.instance.school_id


class TimetableAdminForm(forms.ModelForm):
    class Meta:
        model = Timetable
        fields = ["school", "weeks", "week_one_starts"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("weeks"):
            candidate = Timetable(
                pk=self.instance.pk, school_id=school_id_of(self, cleaned), weeks=cleaned["weeks"]
            )
            try:
                timetable_check(timetable=candidate)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class PeriodAdminForm(forms.ModelForm):
    class Meta:
        model = Period
        fields = ["school", "week", "day", "name", "kind", "starts", "ends"]

    def clean(self):
        cleaned = super().clean()
        values = {name: cleaned.get(name) for name in ("week", "day", "name", "starts", "ends")}
        school_id = school_id_of(self, cleaned)
        if school_id and None not in values.values():
            try:
                period_check(period=Period(pk=self.instance.pk, school_id=school_id, **values))
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(Timetable)
class TimetableAdmin(SchoolOwnedAdmin):
    """The school's cycle: one row a school."""

    form = TimetableAdminForm
    list_display = ["__str__", "weeks", "week_one_starts"]
    list_select_related = ["school"]

    def has_add_permission(self, request) -> bool:
        if not super().has_add_permission(request):
            return False
        school_id = acting_school_id(request)
        return (
            request.user.is_superuser or not Timetable.objects.filter(school_id=school_id).exists()
        )


@admin.register(Period)
class PeriodAdmin(SchoolImportMixin, ImportMixin, SchoolOwnedAdmin):
    form = PeriodAdminForm
    import_resource_classes = [PeriodImportResource]
    import_help = (
        "A CSV or XLSX export of your MIS, one period of the cycle a row: Week (1 or 2), Day "
        "(Monday, Mon or 1), Name (P1, Break …), Kind (Lesson, Registration, Before school, "
        "Break, Lunch, After school; blank is a lesson), Starts and Ends (HH:MM). A period is "
        "matched by week, day and name; the periods of a day cannot overlap. Example: "
        "staffing/samples/timetable-periods.csv."
    )
    list_display = ["name", "week", "day", "kind", "starts", "ends"]
    list_filter = ["week", "day", "kind", "school"]
    search_fields = ["name"]
    ordering = ["week", "day", "starts"]


class LessonFormSet(ValidatingInlineFormSet):
    def check_row(self, instance) -> None:
        if instance.period_id:
            try:
                lesson_check(group=self.instance, period=instance.period)
            except ValidationError as error:
                raise ValidationError(error.messages) from error


class LessonInline(SchoolScopedInline):
    model = Lesson
    formset = LessonFormSet
    fields = ["period"]
    verbose_name = "lesson slot"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "period" and field is not None:
            field.queryset = field.queryset.order_by("week", "day", "starts")
        return field


@admin.register(TeachingGroup)
class TeachingGroupAdmin(SchoolImportMixin, ImportMixin, SchoolOwnedAdmin):
    import_resource_classes = [ClassImportResource, ClassListImportResource, LessonImportResource]
    import_help = (
        "CSV or XLSX exports of your MIS, imported in this order after the staff, the pupils "
        "and the periods. Classes: Name, Subject, Faculty (a faculty of your school), "
        "Teacher (their e-mail address), Room; a class is matched by name. Class lists: "
        "Class, UPN, one row a pupil in a class. Lessons: Class, Week, Day, Period (its "
        "name), one row a lesson of the cycle. Nothing is removed: take a pupil or a lesson "
        "off a class on its page. Examples: staffing/samples/timetable-classes.csv, "
        "timetable-class-lists.csv, timetable-lessons.csv."
    )
    list_display = ["name", "subject", "faculty", "teacher_name", "room", "is_active"]
    list_filter = [("faculty", admin.RelatedOnlyFieldListFilter), "is_active", "school"]
    search_fields = ["name", "subject"]
    list_select_related = ["faculty", "teacher__user"]
    autocomplete_fields = ["teacher", "pupils"]
    inlines = [LessonInline]

    @admin.display(ordering="teacher__user__last_name", description="Teacher")
    def teacher_name(self, obj):
        return obj.teacher.user.full_name if obj.teacher else ""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Teachers and the staff supporting the class follow its pupils.
        school_links_sync(school_id=form.instance.school_id)

    def save_formset(self, request, form, formset, change):
        # Lessons carry the school of their class (DESIGN.md "Tenancy").
        for instance in formset.save(commit=False):
            instance.school_id = form.instance.school_id
            instance.save()
        for removed in formset.deleted_objects:
            removed.delete()
        formset.save_m2m()

    def generate_log_entries(self, result, request):
        # Class lists and lessons have no admin page of their own: what an import added
        # is logged as a change of each class, which is where it is seen and undone.
        added = defaultdict(list)
        for row in result:
            instance = row.instance
            if row.import_type != row.IMPORT_TYPE_NEW or isinstance(instance, TeachingGroup):
                continue
            if isinstance(instance, Lesson):
                added[instance.group].append(f"lesson {instance.period}")
            else:
                added[instance.teachinggroup].append(f"pupil {instance.pupil.upn}")
        if not added:
            return super().generate_log_entries(result, request)
        for group, items in added.items():
            LogEntry.objects.log_actions(
                request.user.pk,
                [group],
                CHANGE,
                change_message=f"Added by import: {', '.join(items)}"[:2000],
                single_object=True,
            )
