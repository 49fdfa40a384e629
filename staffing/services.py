"""Writes of schools and staff. Each function is one thing a data manager does."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from staffing.models import Faculty, Role, School, StaffMember, Trust, User


class _Unchanged:
    """Where ``None`` is a value a field can take (contracted periods left blank: not on
    the timetable), "leave it as it is" needs a marker of its own."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED = _Unchanged()


@transaction.atomic
def school_create(*, name: str, slug: str, trust: Trust | None = None, urn: str = "") -> School:
    """Register a new school (tenant)."""
    school = School(name=name, slug=slug, trust=trust, urn=urn)
    school.full_clean()
    school.save()
    return school


def _is_admin(actor: User | None) -> bool:
    """None is the system itself (seed_demo, imports); superusers are administrators."""
    return actor is None or actor.is_superuser


def staff_member_is_shared(staff_member: StaffMember) -> bool:
    """The person's account reaches beyond this one school."""
    user = staff_member.user
    return user.is_superuser or user.memberships.exclude(pk=staff_member.pk).exists()


def staff_member_check(
    *,
    actor: User | None,
    school: School | None,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    staff_member: StaffMember | None = None,
) -> None:
    """Refuse what would let a school's data manager reach beyond their school: granting or
    removing the trust-wide role, taking in an account of an administrator or of another
    school, or renaming / re-pointing the sign-in of someone who also works elsewhere.
    Raises ValidationError keyed by field; administrators may do all of it."""
    if _is_admin(actor):
        if staff_member is None or email.strip().lower() == staff_member.user.email:
            return
    elif Role.TRUST_LEAD in (role, staff_member.role if staff_member else None) and (
        staff_member is None or role != staff_member.role
    ):
        raise ValidationError({"role": "Only an administrator can grant or remove trust lead."})
    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if staff_member is None:
        if existing is None:
            return
        if school and StaffMember.objects.filter(school=school, user=existing).exists():
            raise ValidationError({"email": f"{email} is already on the staff of {school}."})
        if existing.is_superuser or existing.memberships.exists():
            raise ValidationError(
                {
                    "email": "This e-mail address already signs in to another school or to the "
                    "administrators' site. Ask an administrator to add this person."
                }
            )
        return
    user = staff_member.user
    person_changed = (email, first_name.strip(), last_name.strip()) != (
        user.email,
        user.first_name,
        user.last_name,
    )
    if person_changed and not _is_admin(actor) and staff_member_is_shared(staff_member):
        raise ValidationError(
            {
                "email": "This person also works in another school (or is an administrator), so "
                "only an administrator can change their name or e-mail address."
            }
        )
    if email != user.email and existing is not None:
        raise ValidationError({"email": f"{email} already belongs to another account."})


@transaction.atomic
def staff_member_create(
    *,
    actor: User | None,
    school: School,
    email: str,
    first_name: str,
    last_name: str,
    role: Role | str,
    job_title: str = "",
    password: str | None = None,
    faculty: Faculty | None = None,
    line_manager: StaffMember | None = None,
    is_safeguarding_lead: bool = False,
    grade: str = "",
    contracted_periods: int | None = None,
    specialism_area: str = "",
    specialism_subject: str = "",
    working_pattern: str = "",
) -> StaffMember:
    """Give a person a role in a school, creating their account. An administrator may also
    add an existing account (someone working across two schools of a trust)."""
    staff_member_check(
        actor=actor,
        school=school,
        email=email,
        role=role,
        first_name=first_name,
        last_name=last_name,
    )
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
    member = StaffMember(
        school=school,
        user=user,
        role=role,
        job_title=job_title.strip(),
        faculty=faculty,
        line_manager=line_manager,
        is_safeguarding_lead=is_safeguarding_lead,
        grade=grade.strip(),
        contracted_periods=contracted_periods,
        specialism_area=specialism_area,
        specialism_subject=specialism_subject.strip(),
        working_pattern=working_pattern.strip(),
    )
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def staff_member_update(
    *,
    actor: User | None,
    staff_member: StaffMember,
    email: str,
    first_name: str,
    last_name: str,
    role: Role | str,
    job_title: str = "",
    is_active: bool = True,
    faculty: Faculty | None = None,
    line_manager: StaffMember | None = None,
    is_safeguarding_lead: bool | None = None,
    grade: str | None = None,
    contracted_periods: int | _Unchanged | None = UNCHANGED,
    specialism_area: str | None = None,
    specialism_subject: str | None = None,
    working_pattern: str | None = None,
) -> StaffMember:
    """Correct a staff member's details. ``is_safeguarding_lead`` and the deployment details
    (grade, specialism, working pattern) None leave them as they are, as does
    ``contracted_periods`` UNCHANGED (None there clears it): an MIS import does not know
    them. Their name and e-mail address (their sign-in) can be changed here only while
    they work in this school alone; the old address is told."""
    staff_member_check(
        actor=actor,
        school=staff_member.school,
        email=email,
        role=role,
        first_name=first_name,
        last_name=last_name,
        staff_member=staff_member,
    )
    user = staff_member.user
    email = email.strip().lower()
    old_email = user.email
    user.email = email
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.full_clean()
    user.save()
    staff_member.role = role
    staff_member.job_title = job_title.strip()
    staff_member.is_active = is_active
    staff_member.faculty = faculty
    staff_member.line_manager = line_manager
    if is_safeguarding_lead is not None:
        staff_member.is_safeguarding_lead = is_safeguarding_lead
    for name, value in (
        ("grade", grade),
        ("specialism_area", specialism_area),
        ("specialism_subject", specialism_subject),
        ("working_pattern", working_pattern),
    ):
        if value is not None:
            setattr(staff_member, name, value.strip())
    if contracted_periods is not UNCHANGED:
        staff_member.contracted_periods = contracted_periods
    staff_member.full_clean()
    staff_member.save()
    if old_email != email:
        from staffing.tasks import send_email_changed_notice

        transaction.on_commit(
            lambda: send_email_changed_notice.delay(old_email, email, staff_member.school_id)
        )
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


def email_changed_notice_send(*, old_email: str, new_email: str, school: School) -> None:
    """Tell the old address that the sign-in moved, so a person whose address was changed
    without their knowledge can raise it."""
    send_mail(
        subject="[SendHub] Your sign-in e-mail address was changed",
        message=render_to_string(
            "staffing/email/email_changed.txt",
            {"old_email": old_email, "new_email": new_email, "school": school},
        ),
        from_email=None,
        recipient_list=[old_email],
    )
