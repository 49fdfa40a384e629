"""MIS import of staff in the admin (plumbing in ``sendhub/imports.py``).

A row is a person matched by e-mail address among the staff of the acting school. New people
get an account and a role through ``staff_member_create``; known ones are corrected through
``staff_member_update``, so the same rules hold as in the staff form: no trust-lead role, no
taking in an account of another school or of an administrator. Nobody is e-mailed: send the
set-your-password e-mail from the staff list afterwards. Sample: ``staffing/samples/``.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export.fields import Field

from sendhub.imports import ChoiceWidget, EmailWidget, SchoolImportResource, TextWidget, as_text
from staffing.models import Role, StaffMember
from staffing.services import staff_member_create, staff_member_update

SCHOOL_ROLES = ", ".join(role.value for role in Role if role != Role.TRUST_LEAD)


class StaffImportResource(SchoolImportResource):
    email = Field(attribute="email", column_name="Email", widget=EmailWidget(required=True))
    first_name = Field(
        attribute="first_name", column_name="Forename", widget=TextWidget(required=True)
    )
    last_name = Field(
        attribute="last_name", column_name="Surname", widget=TextWidget(required=True)
    )
    role = Field(
        attribute="role",
        column_name="Role",
        widget=ChoiceWidget(
            Role.choices, hint=f"This is not a SendHub role. Use one of: {SCHOOL_ROLES}."
        ),
    )
    job_title = Field(attribute="job_title", column_name="JobTitle", widget=TextWidget())

    required_columns = ("Email", "Forename", "Surname", "Role")
    column_aliases = {
        "E-mail address": "Email",
        "Email address": "Email",
        "Work email": "Email",
        "First name": "Forename",
        "Last name": "Surname",
        "Job title": "JobTitle",
        "Post": "JobTitle",
    }
    key_field = "email"

    class Meta:
        model = StaffMember
        name = "Staff (MIS export)"
        fields = ["email", "first_name", "last_name", "role", "job_title"]
        import_id_fields = ["email"]
        # The services validate the account and the membership (and say why not).
        clean_model_instances = False

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        emails = {as_text(row.get("Email")).lower() for row in dataset.dict}
        self.members = {
            member.user.email: member
            for member in self.get_queryset()
            .filter(user__email__in=emails)
            .select_related("user", "faculty", "line_manager")
        }

    def get_instance(self, instance_loader, row):
        return self.members.get(as_text(row.get("Email")).lower())

    def after_init_instance(self, instance, new, row, **kwargs):
        # The person's name and e-mail live on their account; compared and shown as columns.
        user = None if new else instance.user
        instance.email = user.email if user else ""
        instance.first_name = user.first_name if user else ""
        instance.last_name = user.last_name if user else ""
        instance.stored_role = instance.role

    def check_row(self, instance, errors):
        if "role" not in errors and not instance.role:
            raise ValidationError({"role": f"The role is needed. Use one of: {SCHOOL_ROLES}."})
        if instance.pk is None or self.actor.user.is_superuser:
            return
        if instance.stored_role == Role.TRUST_LEAD:
            raise ValidationError(
                {NON_FIELD_ERRORS: "The trust SEND lead's row is changed by an administrator."}
            )
        if instance.pk == self.actor.pk and instance.role != instance.stored_role:
            raise ValidationError({"role": "You cannot change your own role by import."})

    def do_instance_save(self, instance, is_create):
        details = {
            "email": instance.email,
            "first_name": instance.first_name,
            "last_name": instance.last_name,
            "role": instance.role,
            "job_title": instance.job_title,
        }
        actor = self.actor.user
        if is_create:
            member = staff_member_create(actor=actor, school=self.school, **details)
            # The admin logs the import against the row the service made.
            instance.pk, instance.user, instance.created_at = (
                member.pk,
                member.user,
                member.created_at,
            )
            instance._state.adding = False
        else:
            staff_member_update(
                actor=actor,
                staff_member=instance,
                is_active=instance.is_active,
                faculty=instance.faculty,
                line_manager=instance.line_manager,
                **details,
            )
