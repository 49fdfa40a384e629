"""Writes of schools and staff. Each function is one thing a data manager does."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from staffing.models import Role, School, StaffMember, Trust, User


@transaction.atomic
def school_create(*, name: str, slug: str, trust: Trust | None = None, urn: str = "") -> School:
    """Register a new school (tenant)."""
    school = School(name=name, slug=slug, trust=trust, urn=urn)
    school.full_clean()
    school.save()
    return school


def staff_member_check(
    *, school: School | None, email: str, staff_member: StaffMember | None = None
) -> None:
    """Refuse an e-mail address that would give a person two places in one school, or
    take over another person's sign-in. Raises ValidationError keyed by field."""
    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if staff_member is None:
        if (
            existing
            and school
            and StaffMember.objects.filter(school=school, user=existing).exists()
        ):
            raise ValidationError({"email": f"{email} is already on the staff of {school}."})
        return
    user = staff_member.user
    if email != user.email:
        if existing is not None:
            raise ValidationError({"email": f"{email} already belongs to another account."})
        if user.memberships.exclude(pk=staff_member.pk).exists():
            raise ValidationError(
                {"email": "This person also works in another school; ask an administrator."}
            )


@transaction.atomic
def staff_member_create(
    *,
    school: School,
    email: str,
    first_name: str,
    last_name: str,
    role: Role | str,
    job_title: str = "",
    password: str | None = None,
) -> StaffMember:
    """Give a person a role in a school. The user account is shared if the e-mail address
    already signs in elsewhere (e.g. someone working across two schools of a trust)."""
    staff_member_check(school=school, email=email)
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, first_name=first_name.strip(), last_name=last_name.strip())
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean()
        user.save()
    member = StaffMember(school=school, user=user, role=role, job_title=job_title.strip())
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def staff_member_update(
    *,
    staff_member: StaffMember,
    email: str,
    first_name: str,
    last_name: str,
    role: Role | str,
    job_title: str = "",
    is_active: bool = True,
) -> StaffMember:
    """Correct a staff member's details. The e-mail address is their sign-in, so it can
    only be changed here while they work in this school alone."""
    staff_member_check(school=staff_member.school, email=email, staff_member=staff_member)
    user = staff_member.user
    email = email.strip().lower()
    user.email = email
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.full_clean()
    user.save()
    staff_member.role = role
    staff_member.job_title = job_title.strip()
    staff_member.is_active = is_active
    staff_member.full_clean()
    staff_member.save()
    return staff_member


def staff_invitation_send(*, staff_member: StaffMember) -> None:
    """Queue the set-your-password e-mail for a staff member, once the current
    transaction has committed."""
    from staffing.tasks import send_set_password_email

    transaction.on_commit(
        lambda: send_set_password_email.delay(staff_member.user_id, staff_member.school_id)
    )


def set_password_email_send(*, user: User, school: School) -> None:
    """E-mail a link with which the person chooses their password and signs in. The link is
    allauth's password-reset link, so it expires and works once."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "school": school, "link": f"{settings.SENDHUB_BASE_URL}{path}"}
    send_mail(
        subject=f"[SendHub] Set your password for {school.name}",
        message=render_to_string("staffing/email/set_password.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
