"""The pupil record in the admin: the data manager's school only."""

import pytest
from django.urls import reverse

from staffing.models import Role
from students.models import Pupil, PupilNeed
from tests.students.factories import PupilFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dm(member_client, staff):
    return member_client(staff[Role.DATA_MANAGER])


def test_data_manager_sees_only_own_schools_pupils(dm, pupil, school_b):
    other = PupilFactory(school=school_b, last_name="Elsewhere")
    body = dm.get(reverse("admin:students_pupil_changelist")).content.decode()
    assert "Okafor" in body
    assert "Elsewhere" not in body
    assert dm.get(reverse("admin:students_pupil_change", args=[other.pk])).status_code == 404
    for name in ["supportplan", "ehcplan", "passport", "planreview"]:
        assert dm.get(reverse(f"admin:students_{name}_changelist")).status_code == 200


def test_data_manager_adds_a_pupil_with_needs_into_their_school(dm, staff):
    response = dm.post(
        reverse("admin:students_pupil_add"),
        {
            "upn": "B801200005001",
            "first_name": "Zac",
            "last_name": "Zed",
            "date_of_birth": "2012-02-02",
            "year_group": "9",
            "tutor_group": "9Z",
            "sen_status": "K",
            "is_active": "on",
            "needs-TOTAL_FORMS": "1",
            "needs-INITIAL_FORMS": "0",
            "needs-0-code": "SPLD",
            "needs-0-rank": "1",
            "needs-0-descriptor": "dyslexia",
            "register_periods-TOTAL_FORMS": "0",
            "register_periods-INITIAL_FORMS": "0",
            "staff_links-TOTAL_FORMS": "0",
            "staff_links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    pupil = Pupil.objects.get(upn="B801200005001")
    assert pupil.school == staff[Role.DATA_MANAGER].school
    assert PupilNeed.objects.get(pupil=pupil).school == pupil.school


def test_admin_refuses_an_invalid_upn(dm):
    response = dm.post(
        reverse("admin:students_pupil_add"),
        {
            "upn": "A801200005001",
            "first_name": "Zac",
            "last_name": "Zed",
            "date_of_birth": "2012-02-02",
            "year_group": "9",
            "sen_status": "N",
            "needs-TOTAL_FORMS": "0",
            "needs-INITIAL_FORMS": "0",
            "register_periods-TOTAL_FORMS": "0",
            "register_periods-INITIAL_FORMS": "0",
            "staff_links-TOTAL_FORMS": "0",
            "staff_links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "not a valid UPN" in response.content.decode()
    assert not Pupil.objects.exists()


def test_pupil_choices_in_the_admin_come_from_own_school(dm, pupil, school_b):
    PupilFactory(school=school_b, last_name="Elsewhere")
    body = dm.get(reverse("admin:students_ehcplan_add")).content.decode()
    assert "Elsewhere" not in body
    auto = dm.get(
        reverse("admin:autocomplete"),
        {"app_label": "students", "model_name": "ehcplan", "field_name": "pupil", "term": "e"},
    )
    assert "Elsewhere" not in auto.content.decode()


def test_admin_export_uses_census_columns(dm, pupil):
    response = dm.post(reverse("admin:students_pupil_export"), {"format": "0", "resource": "0"})
    assert response.status_code == 200


def test_data_manager_keeps_the_agency_directory_and_a_duplicate_is_refused(
    member_client, staff, school_b
):
    from students.models import Agency

    Agency.objects.create(school=school_b, name="County EP team", kind="EP")
    client = member_client(staff[Role.DATA_MANAGER])
    url = reverse("admin:students_agency_add")
    data = {"name": "County EP team", "kind": "EP", "is_active": "on"}
    assert client.post(url, data).status_code == 302  # the same name in another school
    again = client.post(url, data)
    assert again.status_code == 200
    assert "already has an agency of that name" in again.content.decode()
    mine = Agency.objects.filter(school=staff[Role.DATA_MANAGER].school)
    assert mine.count() == 1


def test_restricted_health_records_are_not_in_the_admin(member_client, staff):
    client = member_client(staff[Role.DATA_MANAGER])
    index = client.get(reverse("admin:index")).content.decode()
    assert "Healthcare plans" not in index
    assert "Medications" not in index
    assert "Behaviour incidents" not in index
