"""Demo staff for one school, shaped like the seed job descriptions: a SENDCo and PSO,
two HLTAs (literacy, numeracy), Faculty Learning Support assistants aligned to faculties,
1:1 assistants, teachers, senior leaders and a data manager."""

import re
from dataclasses import dataclass

from faker import Faker

from staffing.models import Role, School, StaffMember, User
from staffing.services import staff_member_create

FACULTIES = [
    "English",
    "Maths",
    "Science",
    "Humanities",
    "Languages",
    "Creative Arts",
    "Technology",
    "PE",
]

# (role, how many, job titles in turn)
STAFF_PLAN: list[tuple[Role, int, list[str]]] = [
    (Role.SENDCO, 1, ["SENDCo"]),
    (Role.PSO, 1, ["Progress Support Officer"]),
    (Role.HLTA, 2, ["HLTA (Literacy)", "HLTA (Numeracy)"]),
    (Role.FLS, 8, [f"Learning Support ({faculty})" for faculty in FACULTIES]),
    (Role.ONE_TO_ONE, 4, ["1:1 SEND assistant"]),
    (Role.TEACHER, 12, [f"Teacher of {faculty}" for faculty in FACULTIES]),
    (Role.SLT, 2, ["Headteacher", "Deputy headteacher"]),
    (Role.DATA_MANAGER, 1, ["Data manager"]),
]

# The sign-in of the first person in each role is predictable: <prefix>@<school>.example.org
LOGIN_PREFIX = {
    Role.SENDCO: "sendco",
    Role.PSO: "pso",
    Role.HLTA: "hlta",
    Role.FLS: "fls",
    Role.ONE_TO_ONE: "one-to-one",
    Role.TEACHER: "teacher",
    Role.SLT: "slt",
    Role.DATA_MANAGER: "data-manager",
    Role.TRUST_LEAD: "trust-lead",
}


@dataclass(frozen=True)
class DemoLogin:
    role: Role
    email: str
    school: School


def demo_email(role: Role, domain: str) -> str:
    return f"{LOGIN_PREFIX[role]}@{domain}.example.org"


def teachers_for(pupils: int) -> int:
    """About one teacher per 25 pupils, at least the 12 the small demo has."""
    return min(150, max(12, pupils // 25))


def seed_school_staff(
    *, school: School, faker: Faker, password_hash: str, teachers: int = 12
) -> list[DemoLogin]:
    """Create the school's staff if missing; return the one demo login per role.
    Everyone gets the same (pre-hashed, so seeding stays quick) demo password."""
    logins = []
    used: set[str] = set()
    existing = set(StaffMember.objects.filter(school=school).values_list("user__email", flat=True))
    for role, count, titles in STAFF_PLAN:
        count = teachers if role == Role.TEACHER else count
        for index in range(count):
            first, last = faker.first_name(), faker.last_name()
            if index == 0:
                email = demo_email(role, school.slug)
                logins.append(DemoLogin(role, email, school))
            else:
                local = re.sub(r"[^a-z.]", "", f"{first}.{last}".lower())
                email = f"{local}@{school.slug}.example.org"
                if email in used:  # two people with the same name
                    email = email.replace("@", f".{index}@")
            used.add(email)
            if email in existing:
                continue
            member = staff_member_create(
                actor=None,
                school=school,
                email=email,
                first_name=first,
                last_name=last,
                role=role,
                job_title=titles[index % len(titles)],
            )
            User.objects.filter(pk=member.user_id).update(password=password_hash)
    return logins


def seed_faculties_and_managers(*, school: School) -> None:
    """Faculties from the seed structure; FLS and teachers aligned to one by their job
    title; line managers as in the seed (FLS and 1:1s to the PSO, HLTAs and the PSO to the
    SENDCo)."""
    from staffing.models import Faculty

    faculties = {
        name: Faculty.objects.get_or_create(school=school, name=name)[0] for name in FACULTIES
    }
    staff = list(StaffMember.objects.filter(school=school).select_related("faculty"))
    lead = {role: next((m for m in staff if m.role == role), None) for role in Role}
    for member in staff:
        faculty = next((f for name, f in faculties.items() if name in member.job_title), None)
        manager = {
            Role.FLS: lead[Role.PSO],
            Role.ONE_TO_ONE: lead[Role.PSO],
            Role.HLTA: lead[Role.SENDCO],
            Role.PSO: lead[Role.SENDCO],
        }.get(member.role)
        if (member.faculty_id, member.line_manager_id) != (
            faculty and faculty.pk,
            manager and manager.pk,
        ):
            member.faculty, member.line_manager = faculty, manager
            member.save(update_fields=["faculty", "line_manager"])


def seed_trust_lead(*, schools: list[School], domain: str, faker: Faker, password_hash: str):
    """One trust SEND lead with a read-only membership in every school of the trust."""
    email = demo_email(Role.TRUST_LEAD, domain)
    first, last = faker.first_name(), faker.last_name()
    have = set(StaffMember.objects.filter(user__email=email).values_list("school_id", flat=True))
    for school in schools:
        if school.pk not in have:
            member = staff_member_create(
                actor=None,
                school=school,
                email=email,
                first_name=first,
                last_name=last,
                role=Role.TRUST_LEAD,
                job_title="Trust SEND lead",
            )
            User.objects.filter(pk=member.user_id).update(password=password_hash)
    return DemoLogin(Role.TRUST_LEAD, email, schools[0])


def ensure_password(email: str, password: str) -> None:
    """Reset a demo login's password so the printed one always works."""
    user = User.objects.get(email=email)
    if not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
