"""School A never sees school B: selectors, pages and the admin."""

import pytest
from django.urls import reverse

from staffing.models import Role, StaffMember
from staffing.selectors import staff_get, staff_list
from tests.staffing.factories import StaffMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_school_member(school_b):
    return StaffMemberFactory(
        school=school_b, role=Role.FLS, user__first_name="Zebedee", user__last_name="Other"
    )


def test_staff_selector_returns_only_the_actors_school(staff, other_school_member):
    listed = list(staff_list(actor=staff[Role.SENDCO]))
    assert other_school_member not in listed
    assert {m.school_id for m in listed} == {staff[Role.SENDCO].school_id}


def test_staff_selector_without_membership_returns_nothing(other_school_member):
    assert list(staff_list(actor=None)) == []


def test_staff_get_of_another_school_is_404(staff, other_school_member):
    from django.http import Http404

    with pytest.raises(Http404):
        staff_get(actor=staff[Role.SENDCO], pk=other_school_member.pk)


def test_staff_directory_never_lists_another_schools_staff(
    member_client, staff, other_school_member
):
    response = member_client(staff[Role.SENDCO]).get(reverse("staffing:staff_list"))
    assert response.status_code == 200
    assert "Zebedee" not in response.content.decode()


def test_staff_page_of_another_school_answers_404(member_client, staff, other_school_member):
    url = reverse("staffing:staff_detail", args=[other_school_member.pk])
    assert member_client(staff[Role.SENDCO]).get(url).status_code == 404


def test_admin_changelist_shows_only_own_school(member_client, staff, other_school_member):
    response = member_client(staff[Role.DATA_MANAGER]).get(
        reverse("admin:staffing_staffmember_changelist")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Zebedee" not in body
    assert staff[Role.FLS].user.email in body


def test_admin_cannot_open_another_schools_staff_member(member_client, staff, other_school_member):
    client = member_client(staff[Role.DATA_MANAGER])
    url = reverse("admin:staffing_staffmember_change", args=[other_school_member.pk])
    response = client.get(url)
    assert response.status_code == 404
    response = client.post(
        url,
        {
            "email": "hijack@example.org",
            "first_name": "Hi",
            "last_name": "Jack",
            "role": Role.SENDCO,
        },
    )
    other_school_member.refresh_from_db()
    assert other_school_member.role == Role.FLS
    assert other_school_member.user.email != "hijack@example.org"


def test_admin_school_list_shows_only_own_school(member_client, staff, school_b):
    response = member_client(staff[Role.DATA_MANAGER]).get(
        reverse("admin:staffing_school_changelist")
    )
    assert response.status_code == 200
    assert school_b.name not in response.content.decode()
    assert (
        member_client(staff[Role.DATA_MANAGER])
        .get(reverse("admin:staffing_school_change", args=[school_b.pk]))
        .status_code
        == 404
    )


def test_admin_data_manager_cannot_see_users_or_schedules(member_client, staff):
    client = member_client(staff[Role.DATA_MANAGER])
    assert client.get(reverse("admin:staffing_user_changelist")).status_code == 403
    assert (
        client.get(reverse("admin:django_celery_beat_periodictask_changelist")).status_code == 403
    )
    index = client.get(reverse("admin:index")).content.decode()
    assert "Periodic tasks" not in index
    assert "Staff members" in index


def test_admin_staff_added_by_data_manager_joins_their_school(
    member_client, staff, school_b, mailoutbox, django_capture_on_commit_callbacks
):
    client = member_client(staff[Role.DATA_MANAGER])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:staffing_staffmember_add"),
            {
                "email": "New.Person@Example.org",
                "first_name": "New",
                "last_name": "Person",
                "role": Role.ONE_TO_ONE,
                "job_title": "1:1 assistant",
                "is_active": "on",
                "send_invitation": "on",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    member = StaffMember.objects.get(user__email="new.person@example.org")
    assert member.school == staff[Role.DATA_MANAGER].school
    assert member.role == Role.ONE_TO_ONE
    assert not member.user.has_usable_password()
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_admin_duplicate_staff_member_is_refused_with_nothing_saved(member_client, staff):
    client = member_client(staff[Role.DATA_MANAGER])
    before = StaffMember.objects.count()
    response = client.post(
        reverse("admin:staffing_staffmember_add"),
        {
            "email": staff[Role.FLS].user.email.upper(),
            "first_name": "Dup",
            "last_name": "Licate",
            "role": Role.FLS,
        },
    )
    assert response.status_code == 200
    assert "already on the staff" in response.content.decode()
    assert StaffMember.objects.count() == before


def test_admin_data_manager_cannot_grant_trust_lead(member_client, staff):
    client = member_client(staff[Role.DATA_MANAGER])
    response = client.post(
        reverse("admin:staffing_staffmember_add"),
        {"email": "lead@example.org", "first_name": "T", "last_name": "L", "role": "TRUST_LEAD"},
    )
    assert response.status_code == 200
    assert not StaffMember.objects.filter(user__email="lead@example.org").exists()


def test_admin_is_refused_to_roles_other_than_data_manager(member_client, staff):
    for role in Role:
        if role == Role.DATA_MANAGER:
            continue
        client = member_client(staff[role])
        assert client.get(reverse("admin:index")).status_code == 403, role


def test_admin_send_invitation_action_emails_each_selected(
    member_client, staff, mailoutbox, django_capture_on_commit_callbacks
):
    client = member_client(staff[Role.DATA_MANAGER])
    chosen = [staff[Role.FLS].pk, staff[Role.HLTA].pk]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:staffing_staffmember_changelist"),
            {"action": "send_set_password_email", "_selected_action": chosen},
        )
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [staff[Role.FLS].user.email, staff[Role.HLTA].user.email]
    )


def post_new_member(client, email, role=Role.FLS, **extra):
    return client.post(
        reverse("admin:staffing_staffmember_add"),
        {"email": email, "first_name": "Any", "last_name": "One", "role": role, **extra},
    )


def test_data_manager_cannot_take_in_an_administrators_account(member_client, staff):
    from tests.staffing.factories import UserFactory

    admin_user = UserFactory(is_superuser=True, is_staff=True)
    response = post_new_member(member_client(staff[Role.DATA_MANAGER]), admin_user.email)
    assert response.status_code == 200
    assert "Ask an administrator" in response.content.decode()
    assert not StaffMember.objects.filter(user=admin_user).exists()


def test_data_manager_cannot_take_in_another_schools_staff(
    member_client, staff, other_school_member
):
    response = post_new_member(
        member_client(staff[Role.DATA_MANAGER]), other_school_member.user.email
    )
    assert response.status_code == 200
    assert "Ask an administrator" in response.content.decode()
    assert other_school_member.user.memberships.count() == 1


def test_administrator_may_add_a_person_to_a_second_school(client, staff, other_school_member):
    from tests.staffing.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = post_new_member(
        client, other_school_member.user.email, school=staff[Role.SENDCO].school_id
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert other_school_member.user.memberships.count() == 2


def test_data_manager_cannot_rename_or_repoint_a_shared_account(member_client, staff, school_b):
    shared = staff[Role.HLTA]
    StaffMemberFactory(school=school_b, user=shared.user, role=Role.HLTA)
    client = member_client(staff[Role.DATA_MANAGER])
    url = reverse("admin:staffing_staffmember_change", args=[shared.pk])
    response = client.post(
        url,
        {
            "email": "mine@example.org",
            "first_name": shared.user.first_name,
            "last_name": shared.user.last_name,
            "role": Role.HLTA,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "only an administrator" in response.content.decode()
    shared.user.refresh_from_db()
    assert shared.user.email != "mine@example.org"
    # Changing only their role here is fine.
    response = client.post(
        url,
        {
            "email": shared.user.email,
            "first_name": shared.user.first_name,
            "last_name": shared.user.last_name,
            "role": Role.FLS,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.role == Role.FLS


def test_changing_a_colleagues_email_tells_the_old_address(
    member_client, staff, mailoutbox, django_capture_on_commit_callbacks
):
    member = staff[Role.FLS]
    old = member.user.email
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client(staff[Role.DATA_MANAGER]).post(
            reverse("admin:staffing_staffmember_change", args=[member.pk]),
            {
                "email": "new.address@example.org",
                "first_name": "A",
                "last_name": "B",
                "role": Role.FLS,
                "is_active": "on",
            },
        )
    assert response.status_code == 302
    member.user.refresh_from_db()
    assert member.user.email == "new.address@example.org"
    assert [m.to for m in mailoutbox] == [[old]]
    assert "new.address@example.org" in mailoutbox[0].body


def test_data_manager_sees_but_cannot_change_a_trust_lead(member_client, staff):
    lead = staff[Role.TRUST_LEAD]
    client = member_client(staff[Role.DATA_MANAGER])
    url = reverse("admin:staffing_staffmember_change", args=[lead.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"email": lead.user.email, "first_name": "X", "last_name": "Y", "role": Role.FLS},
    )
    assert response.status_code == 403
    lead.refresh_from_db()
    assert lead.role == Role.TRUST_LEAD
    delete = reverse("admin:staffing_staffmember_delete", args=[lead.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert StaffMember.objects.filter(pk=lead.pk).exists()
