from django import forms
from django.core.exceptions import ValidationError

from staffing.models import Role, School, StaffMember
from staffing.services import staff_member_check


class StaffMemberAdminForm(forms.ModelForm):
    """Adds and edits a staff member together with the person's sign-in details."""

    email = forms.EmailField(label="E-mail address", help_text="They sign in with this.")
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    send_invitation = forms.BooleanField(
        required=False,
        initial=True,
        label="Send a set-your-password e-mail",
        help_text="The person chooses their own password from a link that works once.",
    )

    class Meta:
        model = StaffMember
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

    def __init__(self, *args, school: School | None = None, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.actor = actor
        allow_trust_lead = actor is not None and actor.is_superuser
        if self.instance.pk:
            user = self.instance.user
            self.initial.update(
                email=user.email, first_name=user.first_name, last_name=user.last_name
            )
            self.fields["send_invitation"].initial = False
        if not allow_trust_lead and "role" in self.fields:
            # A trust lead reads every school of a trust: only an administrator grants that.
            self.fields["role"].choices = [
                choice for choice in self.fields["role"].choices if choice[0] != Role.TRUST_LEAD
            ]

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if email:
            existing = self.instance if self.instance.pk else None
            school = existing.school if existing else cleaned.get("school") or self.school
            try:
                staff_member_check(
                    actor=self.actor,
                    school=school,
                    email=email,
                    role=cleaned.get("role", ""),
                    first_name=cleaned.get("first_name", ""),
                    last_name=cleaned.get("last_name", ""),
                    staff_member=existing,
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned
