"""The SEND register page: filters, sort, export and a query budget that holds at 10x."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from staffing.models import Role
from students.models import EhcPlan, SenStatus, SupportPlan
from tests.students.factories import NeedFactory, PupilFactory

pytestmark = pytest.mark.django_db
REGISTER = "/pupils/"


@pytest.fixture
def register(school_a):
    """A small register: K and E pupils with needs, one with an overdue review, one N."""
    ada = PupilFactory(
        school=school_a,
        first_name="Ada",
        last_name="Adams",
        year_group=7,
        tutor_group="7A",
        pupil_premium=True,
    )
    NeedFactory(pupil=ada, code="SPLD", descriptor="dyslexia")
    NeedFactory(pupil=ada, code="SEMH", rank=2, descriptor="anxiety")
    ben = PupilFactory(
        school=school_a,
        first_name="Ben",
        last_name="Brown",
        year_group=9,
        tutor_group="9C",
        sen_status=SenStatus.EHCP,
        eal=True,
    )
    NeedFactory(pupil=ben, code="ASD")
    EhcPlan.objects.create(
        school=school_a,
        pupil=ben,
        date_issued=datetime.date(2024, 1, 10),
        local_authority="Bristol",
        primary_need="ASD",
        next_review_date=datetime.date(2025, 1, 10),
    )
    cal = PupilFactory(
        school=school_a, first_name="Cal", last_name="Cole", year_group=7, tutor_group="7B"
    )
    NeedFactory(pupil=cal, code="SLCN")
    SupportPlan.objects.create(
        school=school_a,
        pupil=cal,
        status="ACTIVE",
        start_date=datetime.date(2099, 1, 1),
        review_date=datetime.date(2099, 4, 1),
    )
    PupilFactory(school=school_a, first_name="Dee", last_name="Dunn", sen_status=SenStatus.NONE)
    return {"ada": ada, "ben": ben, "cal": cal}


def names(response):
    """Surnames listed on the page, in the order shown."""
    body = response.content.decode()
    found = [(body.find(f"{n}, "), n) for n in ["Adams", "Brown", "Cole", "Dunn"]]
    return [n for position, n in sorted(found) if position >= 0]


@pytest.fixture
def sendco_client(member_client, staff):
    return member_client(staff[Role.SENDCO])


def test_register_shows_k_and_e_pupils_by_default(sendco_client, register):
    response = sendco_client.get(REGISTER)
    assert names(response) == ["Adams", "Brown", "Cole"]
    body = response.content.decode()
    assert "SPLD" in body
    assert "SEMH" in body
    assert "Cognition and learning" in body
    assert "Overdue" in body  # Ben's EHCP review


def test_pupils_not_on_the_register_can_be_listed(sendco_client, register):
    assert names(sendco_client.get(REGISTER, {"status": "N"})) == ["Dunn"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "ada"}, ["Adams"]),
        ({"status": "E"}, ["Brown"]),
        ({"need": "SEMH"}, ["Adams"]),  # a secondary need counts
        ({"area": "CI"}, ["Brown", "Cole"]),
        ({"year_group": "7"}, ["Adams", "Cole"]),
        ({"tutor_group": "9c"}, ["Brown"]),
        ({"overdue": "true"}, ["Brown"]),
        ({"overdue": "false"}, ["Adams", "Cole"]),
    ],
)
def test_register_filters(sendco_client, register, params, expected):
    assert names(sendco_client.get(REGISTER, params)) == expected


def test_register_search_by_upn(sendco_client, register):
    assert names(sendco_client.get(REGISTER, {"q": register["cal"].upn})) == ["Cole"]


def test_register_sorts(sendco_client, register):
    assert names(sendco_client.get(REGISTER, {"sort": "-name"})) == ["Cole", "Brown", "Adams"]
    assert names(sendco_client.get(REGISTER, {"sort": "-year"}))[0] == "Brown"
    assert names(sendco_client.get(REGISTER, {"sort": "review"}))[0] == "Brown"


def test_register_reports_filters_it_did_not_understand(sendco_client, register):
    response = sendco_client.get(REGISTER, {"need": "ADHD", "sort": "drop table"})
    assert response.status_code == 200
    assert "were not understood" in response.content.decode()


def test_register_csv_export_uses_census_codes(sendco_client, register):
    response = sendco_client.get(
        reverse("students:register_export", args=["csv"]), {"year_group": "7"}
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["Surname"] for r in rows] == ["Adams", "Cole"]
    ada = rows[0]
    assert (ada["SENprovision"], ada["SENtype1"], ada["SENtype2"]) == ("K", "SPLD", "SEMH")
    assert ada["NCyearActual"] == "7"
    assert ada["PupilPremium"] == "Y"
    assert ada["UPN"] == register["ada"].upn


def test_register_xlsx_export_opens_in_a_spreadsheet(sendco_client, register):
    response = sendco_client.get(reverse("students:register_export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("UPN", "Surname", "Forename")
    assert len(rows) == 4


def test_export_neutralises_formulas(sendco_client, school_a):
    PupilFactory(school=school_a, last_name='=HYPERLINK("http://evil.example","x")')
    body = sendco_client.get(reverse("students:register_export", args=["csv"])).content.decode()
    assert ",=HYPERLINK" not in body
    assert "HYPERLINK" in body


def test_unknown_export_format_is_refused(sendco_client, register):
    assert sendco_client.get("/pupils/export.pdf").status_code == 403


def build_register(school, size):
    for n in range(size):
        pupil = PupilFactory(school=school, sen_status=SenStatus.EHCP if n % 5 == 0 else "K")
        NeedFactory(pupil=pupil, code="SLCN")
        NeedFactory(pupil=pupil, code="SEMH", rank=2)


@pytest.mark.parametrize("size", [30, 300])
def test_register_query_count_does_not_grow(
    sendco_client, school_a, size, django_assert_max_num_queries
):
    build_register(school_a, size)
    sendco_client.get(REGISTER)
    # session, user, memberships, count, page
    with django_assert_max_num_queries(5):
        response = sendco_client.get(REGISTER, {"sort": "review", "area": "CI"})
    assert response.status_code == 200
