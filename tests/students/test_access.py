"""Who may NOT see what in the pupil record (DESIGN.md "Access")."""

import pytest
from django.urls import reverse

from staffing.models import Role
from students.models import StaffPupilLink
from tests.staffing.factories import StaffMemberFactory
from tests.students.factories import LinkFactory, PupilFactory

pytestmark = pytest.mark.django_db

WHOLE_SCHOOL = {Role.SENDCO, Role.PSO, Role.SLT, Role.DATA_MANAGER}


def url(name, pupil):
    return reverse(f"students:{name}", args=[pupil.pk])


@pytest.fixture
def linked(staff, pupil):
    """Every linked-access role is linked to the pupil."""
    for role in (Role.HLTA, Role.FLS, Role.ONE_TO_ONE, Role.TEACHER):
        LinkFactory(pupil=pupil, staff=staff[role])
    return pupil


@pytest.mark.parametrize("role", list(Role))
def test_profile_is_open_to_whole_school_roles_and_linked_assistants(
    member_client, staff, linked, role
):
    status = member_client(staff[role]).get(url("pupil", linked)).status_code
    if role in WHOLE_SCHOOL or role in (Role.HLTA, Role.FLS, Role.ONE_TO_ONE):
        assert status == 200
    elif role == Role.TEACHER:
        assert status == 403  # teachers read the passport only
    else:
        assert status == 404  # the trust lead does not open pupil records


@pytest.mark.parametrize("role", [Role.HLTA, Role.FLS, Role.ONE_TO_ONE, Role.TEACHER])
def test_unlinked_staff_cannot_open_the_pupil_at_all(member_client, staff, pupil, role):
    client = member_client(staff[role])
    for name in ["pupil", "passport", "passport_pdf", "plans", "ehcp"]:
        assert client.get(url(name, pupil)).status_code == 404, name


def test_teacher_reads_and_prints_the_passport_of_a_pupil_in_their_class(
    member_client, staff, linked
):
    client = member_client(staff[Role.TEACHER])
    page = client.get(url("passport", linked))
    assert page.status_code == 200
    assert "visual timetable" in page.content.decode()
    assert "Edit passport" not in page.content.decode()
    pdf = client.get(url("passport_pdf", linked))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    for name in ["plans", "ehcp", "history", "passport_edit"]:
        assert client.get(url(name, linked)).status_code == 403, name


def test_expired_link_no_longer_opens_the_pupil(member_client, staff, pupil):
    import datetime

    LinkFactory(pupil=pupil, staff=staff[Role.FLS], valid_until=datetime.date(2020, 1, 1))
    assert member_client(staff[Role.FLS]).get(url("pupil", pupil)).status_code == 404


def test_another_schools_pupil_answers_404_even_for_the_sendco(member_client, staff, school_b):
    other = PupilFactory(school=school_b)
    client = member_client(staff[Role.SENDCO])
    for name in ["pupil", "passport", "passport_pdf", "plans", "ehcp", "history", "need_add"]:
        assert client.get(url(name, other)).status_code == 404, name


def test_register_lists_only_what_each_role_may_see(member_client, staff, linked, school_a):
    PupilFactory(school=school_a, last_name="Unlinkedson")
    register = reverse("students:register")
    sendco_page = member_client(staff[Role.SENDCO]).get(register).content.decode()
    assert "Unlinkedson" in sendco_page
    assert "Okafor" in sendco_page
    fls_page = member_client(staff[Role.FLS]).get(register).content.decode()
    assert "Okafor" in fls_page
    assert "Unlinkedson" not in fls_page
    assert member_client(staff[Role.TRUST_LEAD]).get(register).status_code == 403


@pytest.mark.parametrize("role", [Role.HLTA, Role.FLS, Role.ONE_TO_ONE, Role.TEACHER])
def test_only_whole_school_roles_export_the_register(member_client, staff, linked, role):
    response = member_client(staff[role]).get(reverse("students:register_export", args=["csv"]))
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.SENDCO, True),
        (Role.PSO, True),
        (Role.HLTA, True),
        (Role.ONE_TO_ONE, True),
        (Role.FLS, False),
        (Role.TEACHER, False),
        (Role.SLT, False),
    ],
)
def test_who_may_edit_the_passport(member_client, staff, linked, role, allowed):
    client = member_client(staff[role])
    response = client.post(url("passport_edit", linked), {"about_me": f"edited by {role}"})
    assert (response.status_code == 302) is allowed
    linked.passport.refresh_from_db()
    assert (linked.passport.about_me == f"edited by {role}") is allowed


@pytest.mark.parametrize("role", [Role.HLTA, Role.FLS, Role.ONE_TO_ONE, Role.SLT, Role.PSO])
def test_only_sen_leads_manage_needs_and_staff_links(member_client, staff, linked, role):
    client = member_client(staff[role])
    response = client.post(url("need_add", linked), {"code": "ASD", "rank": 2})
    if role == Role.PSO:
        assert response.status_code == 302
        return
    assert response.status_code == 403
    assert not linked.needs.filter(code="ASD").exists()
    response = client.post(
        url("staff_links", linked), {"staff": staff[Role.TEACHER].pk, "source": "DIRECT"}
    )
    assert response.status_code == 403


def test_history_is_for_sen_leads_only(member_client, staff, linked):
    assert member_client(staff[Role.SENDCO]).get(url("history", linked)).status_code == 200
    for role in (Role.HLTA, Role.FLS, Role.SLT):
        assert member_client(staff[role]).get(url("history", linked)).status_code == 403


def test_sendco_links_staff_which_opens_the_pupil_to_them(member_client, staff, pupil, school_a):
    fls = StaffMemberFactory(school=school_a, role=Role.FLS)
    sendco_client = member_client(staff[Role.SENDCO])
    response = sendco_client.post(url("staff_links", pupil), {"staff": fls.pk, "source": "DIRECT"})
    assert response.status_code == 302
    assert StaffPupilLink.objects.filter(staff=fls, pupil=pupil).exists()
    fls_client = member_client(fls)
    assert fls_client.get(url("pupil", pupil)).status_code == 200


def test_staff_of_another_school_cannot_be_linked(member_client, staff, pupil, school_b):
    outsider = StaffMemberFactory(school=school_b, role=Role.FLS)
    response = member_client(staff[Role.SENDCO]).post(
        url("staff_links", pupil), {"staff": outsider.pk, "source": "DIRECT"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not StaffPupilLink.objects.filter(staff=outsider).exists()


def test_navigation_shows_the_register_to_roles_that_may_open_it(member_client, staff):
    for role in Role:
        body = member_client(staff[role]).get(reverse("home")).content.decode()
        assert (reverse("students:register") in body) == (role != Role.TRUST_LEAD), role


def test_teachers_register_rows_open_the_passport(member_client, staff, linked):
    body = member_client(staff[Role.TEACHER]).get(reverse("students:register")).content.decode()
    assert url("passport", linked) in body
    assert f'href="{url("pupil", linked)}"' not in body
