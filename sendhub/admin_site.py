"""The admin site as the data manager's set-up tool, scoped to the school they act in.

Django's own model permissions are not used for school staff: a data manager may open the
admin (rule ``sendhub.open_admin``) and sees only the ModelAdmins built on
``SchoolScopedAdmin``, each filtered to their school. Third-party admins (Celery schedules,
allauth records) stay with superusers, who are the platform's operators.
"""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import UniqueConstraint
from django.forms.models import BaseInlineFormSet
from django.http import Http404


class SendHubAdminSite(admin.AdminSite):
    site_header = "SendHub set-up"
    site_title = "SendHub admin"
    index_title = "School set-up"

    def has_permission(self, request) -> bool:
        return request.user.is_active and request.user.has_perm("sendhub.open_admin")

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            # Signed in without the admin rule: 403, not a detour through sign-in.
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, inner)

    def login(self, request, extra_context=None):
        # One sign-in for everything, with allauth's rate limits and two-factor. A signed-in
        # user sent here lacks the admin rule: refuse rather than loop through sign-in.
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or request.get_full_path())


def acting_school_id(request) -> int | None:
    membership = getattr(request, "membership", None)
    return membership.school_id if membership else None


def scope_choices(field, db_field, request):
    """A data manager chooses pupils, plans and staff of their own school only."""
    if field is not None and not request.user.is_superuser:
        model = db_field.related_model
        school_id = acting_school_id(request)
        if model._meta.label == "staffing.School":
            field.queryset = field.queryset.filter(pk=school_id)
        elif any(f.name == "school" for f in model._meta.fields):
            field.queryset = field.queryset.filter(school_id=school_id)
    return field


class ValidatingInlineFormSet(BaseInlineFormSet):
    """Django leaves an inline's parent out of each row's validation, so a row that clashes
    with a unique constraint (or with another submitted row) would reach the database and
    fail there. This checks the constraints first and shows the clash at the row."""

    def clean(self):
        super().clean()
        seen: dict[tuple, object] = {}
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or self._should_delete_form(form):
                continue
            instance = form.instance
            setattr(instance, self.fk.name, self.instance)
            if self.instance.pk:
                try:
                    instance.validate_constraints(exclude={"school"})
                except ValidationError as error:
                    form.add_error(None, error)
                    continue
            for constraint in instance._meta.constraints:
                if isinstance(constraint, UniqueConstraint) and constraint.fields:
                    if constraint.condition is not None and not self.condition_holds(
                        constraint, instance
                    ):
                        continue
                    key = (constraint.name, *(self.value(instance, f) for f in constraint.fields))
                    if key in seen:
                        form.add_error(None, constraint.get_violation_error_message())
                    seen[key] = form
            self.check_row(instance)

    @staticmethod
    def value(instance, name):
        return getattr(instance, instance._meta.get_field(name).attname)

    def condition_holds(self, constraint, instance) -> bool:
        """Conditions of partial unique constraints, for the simple `field=value` and
        `field__isnull` forms SendHub uses."""
        for lookup, wanted in constraint.condition.children:
            name, _, op = lookup.partition("__")
            value = self.value(instance, name)
            if (op == "isnull" and (value is None) != wanted) or (not op and value != wanted):
                return False
        return True

    def check_row(self, instance) -> None:
        """A hook for rules between a row and its parent."""


class SchoolScopedInline(admin.TabularInline):
    """An inline of a SchoolScopedAdmin parent: access follows the parent's admin, choices
    are scoped to the school, and the parent's admin gives new rows the parent's school."""

    extra = 0
    formset = ValidatingInlineFormSet

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return scope_choices(field, db_field, request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return scope_choices(field, db_field, request)

    def _parent(self):
        return self.admin_site._registry[self.parent_model]

    def has_view_permission(self, request, obj=None) -> bool:
        return self._parent().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        parent = self._parent()
        if obj is None:
            return parent.has_add_permission(request) or parent.has_change_permission(request)
        return parent.has_change_permission(request, obj)

    has_add_permission = has_delete_permission = has_change_permission


class SchoolScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin over a tenant model (one with a ``school`` foreign key).

    Superusers see every school; a data manager sees and edits only the school they act in,
    and new rows are put in that school.
    """

    school_field = "school"

    def _is_data_manager(self, request) -> bool:
        return request.user.has_perm("sendhub.open_admin") and acting_school_id(request)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.school_field}_id": acting_school_id(request)})

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser or bool(self._is_data_manager(request))

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request) and self._owns(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_view_permission(request, obj) and self.may_change(request, obj)

    def has_add_permission(self, request) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.has_change_permission(request, obj)

    def may_change(self, request, obj) -> bool:
        """Whether a row the user may see may also be changed; a hook for special rows."""
        return True

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Another school's object (or none at all) answers 404, as everywhere in SendHub.
        raise Http404(f"No {opts.verbose_name} with that id in your school.")

    def _owns(self, request, obj) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        return getattr(obj, f"{self.school_field}_id") == acting_school_id(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return scope_choices(field, db_field, request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return scope_choices(field, db_field, request)

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if not request.user.is_superuser and self.school_field in filters:
            filters.remove(self.school_field)
        return filters


class SchoolOwnedAdmin(SchoolScopedAdmin):
    """A tenant table edited on its own (faculties, agencies): a data manager's new row
    belongs to their school, set before validation so that a name that must be unique in
    the school is refused on the form rather than met as a database error."""

    def get_exclude(self, request, obj=None):
        return [] if request.user.is_superuser else ["school"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        if request.user.is_superuser:
            return form_class
        school_id = acting_school_id(request)

        class SchoolForm(form_class):
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                if not self.instance.school_id:
                    self.instance.school_id = school_id

            def _get_validation_exclusions(self):
                exclusions = super()._get_validation_exclusions()
                exclusions.discard("school")
                return exclusions

        return SchoolForm
