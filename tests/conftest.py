"""Shared fixtures: two schools and a member of staff in every role at the first."""

import pytest
from django.conf import settings

from staffing.models import Role
from tests.staffing.factories import SchoolFactory, StaffMemberFactory

REQUIRE_SERVICES = getattr(settings, "SENDHUB_REQUIRE_SERVICES", False)


def service_missing(reason: str) -> None:
    """Fail in CI (SENDHUB_REQUIRE_SERVICES=1), skip on a laptop without the service."""
    if REQUIRE_SERVICES:
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


@pytest.fixture
def school_a():
    return SchoolFactory(name="Oakfield Academy", slug="oakfield")


@pytest.fixture
def school_b():
    return SchoolFactory(name="Riverside High", slug="riverside")


@pytest.fixture
def staff(school_a):
    """One member of staff per role in school A, keyed by role."""
    return {role: StaffMemberFactory(school=school_a, role=role) for role in Role}


@pytest.fixture
def member_client(client):
    """Sign a client in as a staff member: ``member_client(staff[Role.SENDCO])``."""

    def sign_in(member):
        client.force_login(member.user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache; each test starts from none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pupil(school_a):
    """A pupil on SEN support in school A with a primary need and a passport."""
    from tests.students.factories import NeedFactory, PassportFactory, PupilFactory

    pupil = PupilFactory(school=school_a, first_name="Maya", last_name="Okafor")
    NeedFactory(pupil=pupil, code="SLCN", descriptor="speech sound disorder")
    PassportFactory(pupil=pupil)
    return pupil
