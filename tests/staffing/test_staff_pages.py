"""Who may open the staff directory and staff pages, and what they show."""

import pytest
from django.urls import reverse

from sendhub.tenancy import ACTIVE_SCHOOL_SESSION_KEY
from staffing.models import Role
from tests.staffing.factories import StaffMemberFactory

pytestmark = pytest.mark.django_db

SCHOOL_WIDE = {Role.SENDCO, Role.PSO, Role.SLT, Role.DATA_MANAGER, Role.TRUST_LEAD}


@pytest.mark.parametrize("role", list(Role))
def test_staff_directory_is_open_only_to_school_wide_roles(member_client, staff, role):
    response = member_client(staff[role]).get(reverse("staffing:staff_list"))
    assert response.status_code == (200 if role in SCHOOL_WIDE else 403)


@pytest.mark.parametrize("role", list(Role))
def test_home_greets_every_role_with_school_and_role(member_client, staff, role):
    member = staff[role]
    body = member_client(member).get(reverse("home")).content.decode()
    assert member.user.first_name in body
    assert member.school.name in body
    assert member.get_role_display() in body


@pytest.mark.parametrize("role", list(Role))
def test_navigation_offers_only_what_the_role_may_open(member_client, staff, role):
    body = member_client(staff[role]).get(reverse("home")).content.decode()
    assert (f'href="{reverse("staffing:staff_list")}"' in body) == (role in SCHOOL_WIDE)
    assert (f'href="{reverse("admin:index")}"' in body) == (role == Role.DATA_MANAGER)


def test_anonymous_visitor_is_sent_to_sign_in(client, staff):
    for url in [
        reverse("home"),
        reverse("staffing:staff_list"),
        reverse("staffing:staff_detail", args=[staff[Role.FLS].pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_assistant_may_open_own_staff_page_but_not_a_colleagues(member_client, staff):
    client = member_client(staff[Role.FLS])
    own = reverse("staffing:staff_detail", args=[staff[Role.FLS].pk])
    colleague = reverse("staffing:staff_detail", args=[staff[Role.HLTA].pk])
    assert client.get(own).status_code == 200
    assert client.get(colleague).status_code == 403


def test_user_without_a_school_sees_a_clear_message(client):
    from tests.staffing.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    body = client.get(reverse("home")).content.decode()
    assert "not yet linked to a school" in body
    assert client.get(reverse("staffing:staff_list")).status_code == 403


def test_staff_directory_search_and_role_filter(member_client, staff, school_a):
    StaffMemberFactory(school=school_a, role=Role.HLTA, user__last_name="Okonkwo")
    client = member_client(staff[Role.SENDCO])
    body = client.get(reverse("staffing:staff_list"), {"q": "okonk"}).content.decode()
    assert "Okonkwo" in body
    assert staff[Role.FLS].user.email not in body
    body = client.get(reverse("staffing:staff_list"), {"role": Role.FLS}).content.decode()
    assert staff[Role.FLS].user.email in body
    assert "Okonkwo" not in body


def test_staff_directory_ignores_a_bad_filter_value_with_a_message(member_client, staff):
    response = member_client(staff[Role.SENDCO]).get(
        reverse("staffing:staff_list"), {"role": "<script>"}
    )
    assert response.status_code == 200
    assert "were not understood" in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_staff_directory_paginates(member_client, staff, school_a):
    StaffMemberFactory.create_batch(30, school=school_a)
    client = member_client(staff[Role.SENDCO])
    first = client.get(reverse("staffing:staff_list")).content.decode()
    assert "Page 1 of 2" in first
    assert "Page 2 of 2" in client.get(reverse("staffing:staff_list"), {"page": 2}).content.decode()


@pytest.mark.parametrize("extra", [10, 100])
def test_staff_directory_query_count_does_not_grow(
    member_client, staff, school_a, extra, django_assert_max_num_queries
):
    StaffMemberFactory.create_batch(extra, school=school_a)
    client = member_client(staff[Role.SENDCO])
    client.get(reverse("home"))  # first request writes the session's last-seen time
    # session, user, memberships, count, page of staff
    with django_assert_max_num_queries(5):
        assert client.get(reverse("staffing:staff_list")).status_code == 200


@pytest.mark.parametrize("extra", [10, 100])
def test_home_query_count_does_not_grow(
    member_client, staff, school_a, extra, django_assert_max_num_queries
):
    StaffMemberFactory.create_batch(extra, school=school_a)
    client = member_client(staff[Role.SENDCO])
    client.get(reverse("home"))
    # session, user, memberships
    with django_assert_max_num_queries(3):
        assert client.get(reverse("home")).status_code == 200


def test_trust_lead_switches_between_their_schools(client, school_a, school_b):
    lead = StaffMemberFactory(school=school_a, role=Role.TRUST_LEAD)
    StaffMemberFactory(school=school_b, role=Role.TRUST_LEAD, user=lead.user)
    client.force_login(lead.user)
    assert "You are working in <strong>Oakfield" in client.get(reverse("home")).content.decode()
    response = client.post(reverse("switch_school"), {"school": school_b.pk, "next": "/"})
    assert response.status_code == 302
    body = client.get(reverse("home")).content.decode()
    assert "You are working in <strong>Riverside" in body


def test_switching_to_a_school_you_do_not_work_in_is_refused(member_client, staff, school_b):
    client = member_client(staff[Role.SENDCO])
    response = client.post(reverse("switch_school"), {"school": school_b.pk}, follow=True)
    assert "You do not work in that school" in response.content.decode()
    assert client.session.get(ACTIVE_SCHOOL_SESSION_KEY) is None
    assert staff[Role.SENDCO].school.name in response.content.decode()


def test_switch_school_refuses_an_offsite_redirect(member_client, staff):
    response = member_client(staff[Role.SENDCO]).post(
        reverse("switch_school"),
        {"school": staff[Role.SENDCO].school_id, "next": "https://evil.example/"},
    )
    assert response.url == "/"


def test_left_staff_member_loses_access_to_the_school(member_client, staff):
    member = staff[Role.SENDCO]
    member.is_active = False
    member.save()
    client = member_client(member)
    assert client.get(reverse("staffing:staff_list")).status_code == 403
    assert "not yet linked to a school" in client.get(reverse("home")).content.decode()


def test_error_pages_use_the_site_layout(member_client, staff, rf):
    from sendhub.views import error_500

    client = member_client(staff[Role.FLS])
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "Page not found" in missing.content.decode()
    forbidden = client.get(reverse("staffing:staff_list"))
    assert "You do not have access to this page" in forbidden.content.decode()
    crashed = error_500(rf.get("/"))
    assert crashed.status_code == 500
    assert "Something went wrong" in crashed.content.decode()
