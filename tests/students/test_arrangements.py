"""Exam access arrangements: recorded with evidence, approved by the SENDCo, listed for the
exams officer by arrangement and exported for an exam series."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from staffing.models import Role
from students.models import AccessArrangement, exam_year_end
from tests.students.factories import LinkFactory, PupilFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def add(client, pupil, **overrides):
    data = {
        "arrangement": "EXTRA_TIME_25",
        "assessor": "Specialist assessor",
        "evidence_date": "2026-09-15",
        "review_date": "2027-07-31",
        "normal_way_of_working": "Finishes class tests with extra time",
        **overrides,
    }
    return client.post(reverse("students:arrangements", args=[pupil.pk]), data)


def test_sendco_records_and_approves_an_arrangement(member_client, staff, pupil):
    client = member_client(staff[Role.SENDCO])
    assert add(client, pupil).status_code == 302
    arrangement = AccessArrangement.objects.get()
    assert not arrangement.is_approved
    client.post(reverse("students:arrangement_action", args=[pupil.pk, arrangement.pk, "approve"]))
    arrangement.refresh_from_db()
    assert (arrangement.approved_by, arrangement.approved_on) == (
        staff[Role.SENDCO],
        timezone.localdate(),
    )
    # Changing the evidence needs approving again.
    client.post(
        reverse("students:arrangement_edit", args=[pupil.pk, arrangement.pk]),
        {
            "arrangement": "EXTRA_TIME_25",
            "assessor": "EP",
            "evidence_date": "2026-10-01",
            "review_date": "2027-07-31",
        },
    )
    arrangement.refresh_from_db()
    assert not arrangement.is_approved


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"evidence_date": "2099-01-01", "review_date": "2099-06-01"}, "cannot be in the future"),
        ({"review_date": "2026-09-01"}, "after the evidence date"),
        ({"arrangement": "TELEPATHY"}, "Select a valid choice"),
    ],
)
def test_bad_arrangements_are_refused(member_client, staff, pupil, overrides, message):
    response = add(member_client(staff[Role.SENDCO]), pupil, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AccessArrangement.objects.exists()


def test_the_same_arrangement_twice_is_refused(member_client, staff, pupil):
    client = member_client(staff[Role.SENDCO])
    add(client, pupil)
    response = add(client, pupil, assessor="Someone else")
    assert "already has that arrangement" in response.content.decode()
    assert AccessArrangement.objects.count() == 1


def test_who_manages_and_who_approves(member_client, staff, pupil):
    LinkFactory(pupil=pupil, staff=staff[Role.HLTA])
    assert add(member_client(staff[Role.HLTA]), pupil).status_code == 403
    assert add(member_client(staff[Role.SLT]), pupil).status_code == 403
    assert not AccessArrangement.objects.exists()
    add(member_client(staff[Role.PSO]), pupil)
    arrangement = AccessArrangement.objects.get()
    url = reverse("students:arrangement_action", args=[pupil.pk, arrangement.pk, "approve"])
    assert member_client(staff[Role.PSO]).post(url).status_code == 403
    # A linked HLTA reads the arrangements; a teacher does not.
    page = reverse("students:arrangements", args=[pupil.pk])
    assert member_client(staff[Role.HLTA]).get(page).status_code == 200
    LinkFactory(pupil=pupil, staff=staff[Role.TEACHER])
    assert member_client(staff[Role.TEACHER]).get(page).status_code == 403


@pytest.fixture
def candidates(staff, school_a):
    today = timezone.localdate()
    rows = {}
    for name, arrangement, year, review in [
        ("Adams", "EXTRA_TIME_25", 11, today + datetime.timedelta(days=30)),
        ("Brown", "READER", 10, exam_year_end(today) + datetime.timedelta(days=200)),
        ("Cole", "EXTRA_TIME_25", 10, exam_year_end(today) + datetime.timedelta(days=200)),
    ]:
        pupil = PupilFactory(school=school_a, last_name=name, year_group=year)
        rows[name] = AccessArrangement.objects.create(
            school=school_a,
            pupil=pupil,
            arrangement=arrangement,
            assessor="EP",
            evidence_date=today - datetime.timedelta(days=100),
            review_date=review,
        )
    return rows


def shown(response):
    body = response.content.decode()
    return [n for n in ["Adams", "Brown", "Cole"] if f"{n}, " in body]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Adams", "Brown", "Cole"]),
        ({"arrangement": "EXTRA_TIME_25"}, ["Adams", "Cole"]),
        ({"year_group": "10"}, ["Brown", "Cole"]),
        ({"review_due": "true"}, ["Adams"]),
    ],
)
def test_exams_list_filters(member_client, staff, candidates, params, expected):
    response = member_client(staff[Role.SENDCO]).get(reverse("students:exam_arrangements"), params)
    assert shown(response) == expected


def test_exams_list_exports_for_a_series(member_client, staff, candidates):
    client = member_client(staff[Role.DATA_MANAGER])
    url = reverse("students:exam_arrangements")
    response = client.get(url, {"format": "csv", "series": "Summer 2027", "arrangement": "READER"})
    assert "summer-2027" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Arrangement", "Surname", "Forename"]
    assert [r[1] for r in rows[1:]] == ["Brown"]
    xlsx = client.get(url, {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 4


@pytest.mark.parametrize(
    "role", [Role.HLTA, Role.FLS, Role.ONE_TO_ONE, Role.TEACHER, Role.TRUST_LEAD]
)
def test_exams_list_is_not_for_classroom_roles(member_client, staff, role):
    assert member_client(staff[role]).get(reverse("students:exam_arrangements")).status_code == 403


def test_another_schools_arrangements_are_not_listed(member_client, staff, school_b):
    other = PupilFactory(school=school_b, last_name="Elsewhere")
    AccessArrangement.objects.create(
        school=school_b,
        pupil=other,
        arrangement="READER",
        assessor="EP",
        evidence_date=D(2026, 1, 1),
        review_date=D(2027, 1, 1),
    )
    body = member_client(staff[Role.SENDCO]).get(reverse("students:exam_arrangements")).content
    assert b"Elsewhere" not in body


@pytest.mark.parametrize("size", [10, 100])
def test_exams_list_query_count_does_not_grow(
    member_client, staff, school_a, size, django_assert_max_num_queries
):
    for n in range(size):
        pupil = PupilFactory(school=school_a)
        AccessArrangement.objects.create(
            school=school_a,
            pupil=pupil,
            arrangement="EXTRA_TIME_25" if n % 2 else "READER",
            assessor="EP",
            evidence_date=D(2026, 1, 1),
            review_date=D(2027, 1, 1),
            approved_by=staff[Role.SENDCO],
            approved_on=D(2026, 2, 1),
        )
    client = member_client(staff[Role.SENDCO])
    client.get(reverse("home"))
    with django_assert_max_num_queries(5):
        assert client.get(reverse("students:exam_arrangements")).status_code == 200
