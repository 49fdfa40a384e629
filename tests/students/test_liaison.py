"""The liaison log: conversations with parents, carers and agencies, follow-up actions on
their owner's list until done, and the school's directory of agencies."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from staffing.models import Role
from students.models import Agency, LiaisonAction, LiaisonEntry, PupilContact, RestrictedAccess
from tests.staffing.factories import StaffMemberFactory
from tests.students.factories import LinkFactory, PupilFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def mum(pupil):
    return PupilContact.objects.create(
        school=pupil.school, pupil=pupil, name="Grace Okafor", relationship="Mother", priority=1
    )


@pytest.fixture
def salt(school_a):
    return Agency.objects.create(
        school=school_a, name="Northfield SALT service", kind=Agency.Kind.SALT
    )


def entry_data(**extra):
    data = {
        "on": timezone.localdate().isoformat(),
        "method": "PHONE",
        "with_whom": "",
        "summary": "Talked through the new visual timetable.",
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "8",
        "actions-0-description": "",
        "actions-0-owner": "",
        "actions-0-due_on": "",
    }
    data.update(extra)
    return data


def test_sendco_logs_a_call_with_an_action_that_reaches_its_owner(member_client, pupil, staff, mum):
    hlta = staff[Role.HLTA]
    due = timezone.localdate() + datetime.timedelta(days=7)
    response = member_client(staff[Role.SENDCO]).post(
        reverse("students:liaison", args=[pupil.pk]),
        entry_data(
            contact=mum.pk,
            **{
                "actions-0-description": "Send home a copy of the timetable",
                "actions-0-owner": hlta.pk,
                "actions-0-due_on": due.isoformat(),
            },
        ),
    )
    assert response.status_code == 302
    entry = LiaisonEntry.objects.get()
    assert entry.who == "Grace Okafor (Mother)"
    action = entry.actions.get()
    assert (action.owner, action.due_on, action.school_id) == (hlta, due, pupil.school_id)

    client = member_client(hlta)
    mine = client.get(reverse("students:actions")).content.decode()
    assert "Send home a copy of the timetable" in mine
    assert "Maya Okafor" in mine
    # Nobody else has it on their list.
    other = member_client(staff[Role.FLS]).get(reverse("students:actions")).content.decode()
    assert "Send home a copy" not in other

    client = member_client(hlta)  # the test client is shared: sign back in as the owner
    done = client.post(reverse("students:action_done", args=[action.pk]))
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.done_on == timezone.localdate()
    assert action.done_by == hlta
    assert "Nothing to follow up" in client.get(reverse("students:actions")).content.decode()


def test_someone_else_cannot_tick_off_your_action(member_client, pupil, staff, salt):
    entry = LiaisonEntry.objects.create(
        school=pupil.school, pupil=pupil, on=TODAY(), agency=salt, method="EMAIL", summary="x"
    )
    action = LiaisonAction.objects.create(
        school=pupil.school,
        entry=entry,
        description="Book a visit",
        owner=staff[Role.HLTA],
        due_on=TODAY(),
    )
    response = member_client(staff[Role.FLS]).post(
        reverse("students:action_done", args=[action.pk])
    )
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.done_on is None
    # The SENDCo sees everyone's list and may close it.
    sendco = member_client(staff[Role.SENDCO])
    assert "Book a visit" in sendco.get(reverse("students:actions") + "?who=all").content.decode()
    sendco.post(reverse("students:action_done", args=[action.pk]))
    action.refresh_from_db()
    assert action.done_by == staff[Role.SENDCO]


def test_an_entry_must_say_who_and_not_be_in_the_future(member_client, pupil, staff):
    client = member_client(staff[Role.SENDCO])
    url = reverse("students:liaison", args=[pupil.pk])
    nobody = client.post(url, entry_data())
    assert nobody.status_code == 400
    assert "Say who the liaison was with" in nobody.content.decode()
    future = client.post(
        url,
        entry_data(
            with_whom="Dr Patel",
            on=(timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
        ),
    )
    assert "before it happens" in future.content.decode()
    assert not LiaisonEntry.objects.exists()


def test_a_bad_action_row_saves_nothing(member_client, pupil, staff, school_b):
    outsider = StaffMemberFactory(school=school_b, role=Role.HLTA)
    client = member_client(staff[Role.SENDCO])
    response = client.post(
        reverse("students:liaison", args=[pupil.pk]),
        entry_data(
            with_whom="Dr Patel",
            **{
                "actions-0-description": "Write to the EP",
                "actions-0-owner": outsider.pk,
                "actions-0-due_on": TODAY().isoformat(),
            },
        ),
    )
    assert response.status_code == 400
    assert not LiaisonEntry.objects.exists()
    early = client.post(
        reverse("students:liaison", args=[pupil.pk]),
        entry_data(
            with_whom="Dr Patel",
            **{
                "actions-0-description": "Write to the EP",
                "actions-0-owner": staff[Role.HLTA].pk,
                "actions-0-due_on": (TODAY() - datetime.timedelta(days=2)).isoformat(),
            },
        ),
    )
    assert "due before the conversation" in early.content.decode()
    assert not LiaisonEntry.objects.exists()
    assert not LiaisonAction.objects.exists()


def test_another_pupils_contact_is_refused(member_client, school_a, pupil, staff):
    other = PupilFactory(school=school_a)
    stranger = PupilContact.objects.create(
        school=school_a, pupil=other, name="Someone Else", relationship="Father"
    )
    response = member_client(staff[Role.SENDCO]).post(
        reverse("students:liaison", args=[pupil.pk]), entry_data(contact=stranger.pk)
    )
    assert response.status_code == 400
    assert not LiaisonEntry.objects.exists()


def test_liaison_is_restricted_and_reads_are_logged(member_client, pupil, staff, school_b):
    url = reverse("students:liaison", args=[pupil.pk])
    LinkFactory(pupil=pupil, staff=staff[Role.FLS])
    assert member_client(staff[Role.FLS]).get(url).status_code == 200
    assert RestrictedAccess.objects.get().section == "liaison"
    LinkFactory(pupil=pupil, staff=staff[Role.TEACHER])
    assert member_client(staff[Role.TEACHER]).get(url).status_code == 403
    assert member_client(staff[Role.DATA_MANAGER]).get(url).status_code == 403
    assert member_client(staff[Role.ONE_TO_ONE]).get(url).status_code == 404
    other = PupilFactory(school=school_b)
    response = member_client(staff[Role.SENDCO]).get(reverse("students:liaison", args=[other.pk]))
    assert response.status_code == 404
    teacher = member_client(staff[Role.TEACHER])
    assert teacher.post(url, entry_data(with_whom="x")).status_code == 403
    assert not LiaisonEntry.objects.exists()


def test_agency_directory_search_and_who_may_change_it(member_client, staff, school_b, salt):
    Agency.objects.create(school=school_b, name="Riverside CAMHS", kind="CAMHS")
    Agency.objects.create(school=salt.school, name="County EP team", kind="EP")
    hlta = member_client(staff[Role.HLTA])
    page = hlta.get(reverse("students:agencies")).content.decode()
    assert "Northfield SALT service" in page
    assert "County EP team" in page
    assert "Riverside CAMHS" not in page
    filtered = hlta.get(reverse("students:agencies"), {"kind": "EP"}).content.decode()
    assert "County EP team" in filtered
    assert "Northfield SALT" not in filtered
    assert hlta.get(reverse("students:agency_add")).status_code == 403
    assert member_client(staff[Role.TEACHER]).get(reverse("students:agencies")).status_code == 403

    sendco = member_client(staff[Role.SENDCO])
    response = sendco.post(
        reverse("students:agency_add"),
        {"name": "County EP team", "kind": "EP", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "already has an agency of that name" in response.content.decode()
    assert Agency.objects.filter(name="County EP team").count() == 1
    sendco.post(
        reverse("students:agency_add"),
        {"name": "School nursing team", "kind": "SCHOOL_NURSE", "email": "nurses@nhs.example"},
    )
    assert Agency.objects.get(name="School nursing team").school == staff[Role.SENDCO].school
    other = Agency.objects.get(name="Riverside CAMHS")
    assert sendco.get(reverse("students:agency_edit", args=[other.pk])).status_code == 404


def test_liaison_and_action_pages_keep_their_query_budget(
    member_client, pupil, staff, mum, salt, django_assert_max_num_queries
):
    client = member_client(staff[Role.SENDCO])

    def add(n):
        for i in range(n):
            entry = LiaisonEntry.objects.create(
                school=pupil.school,
                pupil=pupil,
                on=TODAY(),
                agency=salt,
                contact=mum,
                method="MEETING",
                summary=f"Meeting {i}",
                recorded_by=staff[Role.PSO],
            )
            for owner in (staff[Role.SENDCO], staff[Role.HLTA]):
                LiaisonAction.objects.create(
                    school=pupil.school,
                    entry=entry,
                    description=f"Action {i}",
                    owner=owner,
                    due_on=TODAY(),
                )

    add(3)
    for url in (reverse("students:liaison", args=[pupil.pk]), reverse("students:actions")):
        with django_assert_max_num_queries(22):
            assert client.get(url).status_code == 200
    add(27)
    for url in (
        reverse("students:liaison", args=[pupil.pk]),
        reverse("students:actions"),
        reverse("students:actions") + "?who=all",
    ):
        with django_assert_max_num_queries(22):
            assert client.get(url).status_code == 200


def test_whoever_logged_an_entry_or_a_sen_lead_corrects_it_and_history_keeps_the_first(
    member_client, pupil, staff, salt
):
    fls = staff[Role.FLS]
    LinkFactory(pupil=pupil, staff=fls)
    LinkFactory(pupil=pupil, staff=staff[Role.HLTA])
    entry = LiaisonEntry.objects.create(
        school=pupil.school,
        pupil=pupil,
        on=TODAY(),
        agency=salt,
        method="PHONE",
        summary="Frist draft",
        recorded_by=fls,
    )
    url = reverse("students:liaison_edit", args=[pupil.pk, entry.pk])
    page = member_client(fls).get(reverse("students:liaison", args=[pupil.pk])).content.decode()
    assert url in page
    data = {
        "on": TODAY().isoformat(),
        "method": "PHONE",
        "agency": salt.pk,
        "summary": "First draft",
    }
    assert member_client(staff[Role.HLTA]).post(url, data).status_code == 403
    assert member_client(fls).post(url, data).status_code == 302
    entry.refresh_from_db()
    assert entry.summary == "First draft"
    assert entry.history.earliest().summary == "Frist draft"
    data["summary"] = ""
    assert member_client(staff[Role.PSO]).post(url, data).status_code == 200
    entry.refresh_from_db()
    assert entry.summary == "First draft"
