"""Builds the deterministic demo: a trust of schools and each app's demo records."""

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.text import slugify
from faker import Faker

from cpd.demo import seed_school_cpd
from staffing.demo import (
    DemoLogin,
    ensure_password,
    seed_faculties_and_managers,
    seed_school_staff,
    seed_trust_lead,
    teachers_for,
)
from staffing.deployment.demo import seed_school_deployment
from staffing.models import School, Trust
from staffing.services import school_create
from students.demo import seed_school_pupils

DEMO_PASSWORD = "sendhub-demo-2026"
TRUST_NAME = "Northfield Learning Trust"
SCHOOL_NAMES = [
    "Oakfield Academy",
    "Riverside High School",
    "Hillcrest School",
    "Meadowbank Academy",
    "Kingsway Community School",
    "Ashgrove College",
    "Elmwood Academy",
    "Brookside School",
]


def school_name(index: int) -> str:
    base = SCHOOL_NAMES[index % len(SCHOOL_NAMES)]
    return base if index < len(SCHOOL_NAMES) else f"{base} {index // len(SCHOOL_NAMES) + 1}"


@transaction.atomic
def seed_demo(*, schools: int, pupils: int, weeks: int, seed: int) -> list[DemoLogin]:
    """Create whatever part of the demo is missing and return the demo logins.

    ``pupils`` and ``weeks`` size the pupil register and the weeks of logged sessions; the
    apps that hold those records add their builders here as they arrive.
    """
    trust, _ = Trust.objects.get_or_create(
        slug=slugify(TRUST_NAME).removesuffix("-learning-trust") + "-trust",
        defaults={"name": TRUST_NAME},
    )
    password_hash = make_password(DEMO_PASSWORD)
    logins: list[DemoLogin] = []
    school_objs = []
    for index in range(schools):
        name = school_name(index)
        slug = slugify(name.split(" ")[0] + ("" if index < len(SCHOOL_NAMES) else f"-{index}"))
        school = School.objects.filter(slug=slug).first() or school_create(
            name=name, slug=slug, trust=trust
        )
        school_objs.append(school)
        faker = Faker("en_GB")
        faker.seed_instance(seed * 1000 + index)
        logins += seed_school_staff(
            school=school,
            faker=faker,
            password_hash=password_hash,
            teachers=teachers_for(pupils),
        )
        seed_faculties_and_managers(school=school)
        seed_school_cpd(school=school, seed=seed, index=index)
        seed_school_pupils(school=school, pupils=pupils, seed=seed, index=index)
        seed_school_deployment(school=school, seed=seed, index=index)
    if school_objs:
        faker = Faker("en_GB")
        faker.seed_instance(seed * 1000 + 999)
        logins.append(
            seed_trust_lead(
                schools=school_objs, domain=trust.slug, faker=faker, password_hash=password_hash
            )
        )
    for login in logins:
        ensure_password(login.email, DEMO_PASSWORD)
    return logins
