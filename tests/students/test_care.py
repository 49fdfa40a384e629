"""Personal care and moving & handling: the plan, a care log in a few taps, trained staff
only, two adults where the plan says so, and every read logged."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from staffing.models import Role
from students.models import CareLogEntry, CarePlan, RestrictedAccess
from students.services.care import care_log_record
from tests.cpd.factories import TrainingRecordFactory, TrainingTypeFactory
from tests.staffing.factories import StaffMemberFactory
from tests.students.factories import LinkFactory, PupilFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def care_plan(school_a, pupil):
    training = TrainingTypeFactory(school=school_a, name="Moving and handling")
    plan = CarePlan.objects.create(
        school=school_a,
        pupil=pupil,
        toileting="Needs help with changing; uses the hygiene room.",
        mobility="Hoist transfer from wheelchair to changing bench.",
        equipment="Ceiling hoist, medium sling",
        staff_needed=2,
    )
    plan.required_trainings.set([training])
    plan.training = training
    return plan


def trained(member, training):
    TrainingRecordFactory(
        staff=member,
        training_type=training,
        completed_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    return member


@pytest.fixture
def pair(staff, pupil, care_plan):
    """The linked 1:1 assistant and a second trained adult."""
    one = trained(staff[Role.ONE_TO_ONE], care_plan.training)
    LinkFactory(pupil=pupil, staff=one)
    two = trained(staff[Role.HLTA], care_plan.training)
    return one, two


def post_log(client, pupil, **data):
    payload = {
        "need": "TOILETING",
        "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "client_id": str(uuid.uuid4()),
        **data,
    }
    return client.post(reverse("students:care_record", args=[pupil.pk]), payload)


def test_assistant_logs_care_in_a_few_taps(member_client, pupil, pair):
    one, two = pair
    response = post_log(member_client(one), pupil, second_adult=two.pk, note="Dry at 11:00")
    assert response.status_code == 302
    entry = CareLogEntry.objects.get()
    assert (entry.school_id, entry.pupil_id, entry.given_by_id) == (
        pupil.school_id,
        pupil.pk,
        one.pk,
    )
    assert entry.second_adult == two
    page = member_client(one).get(reverse("students:care", args=[pupil.pk]))
    assert "Dry at 11:00" in page.content.decode()
    assert "Hoist transfer" in page.content.decode()


def test_two_adult_plan_refuses_a_log_without_the_second(member_client, pupil, pair):
    one, _two = pair
    response = post_log(member_client(one), pupil)
    assert response.status_code == 400
    assert "needs 2 adults" in response.content.decode()
    assert not CareLogEntry.objects.exists()


def test_untrained_second_adult_is_refused_by_name(pupil, pair, staff, care_plan):
    one, _two = pair
    untrained = staff[Role.FLS]
    with pytest.raises(ValidationError, match="Moving and handling"):
        care_log_record(
            pupil=pupil, actor=one, need="MOBILITY", at=timezone.now(), second_adult=untrained
        )
    assert not CareLogEntry.objects.exists()


def test_expired_training_cannot_log(pupil, staff, care_plan):
    member = staff[Role.ONE_TO_ONE]
    TrainingRecordFactory(
        staff=member,
        training_type=care_plan.training,
        completed_on=timezone.localdate() - datetime.timedelta(days=400),
    )
    care_plan.staff_needed = 1
    care_plan.save()
    with pytest.raises(ValidationError, match="not valid"):
        care_log_record(pupil=pupil, actor=member, need="TOILETING", at=timezone.now())


def test_care_not_in_the_plan_or_in_the_future_is_refused(pupil, pair):
    one, two = pair
    with pytest.raises(ValidationError, match="does not include"):
        care_log_record(pupil=pupil, actor=one, need="EATING", at=timezone.now(), second_adult=two)
    with pytest.raises(ValidationError, match="future"):
        care_log_record(
            pupil=pupil,
            actor=one,
            need="TOILETING",
            at=timezone.now() + datetime.timedelta(hours=2),
            second_adult=two,
        )
    assert not CareLogEntry.objects.exists()


def test_a_retry_is_stored_once(pupil, pair):
    one, two = pair
    client_id = uuid.uuid4()
    first = care_log_record(
        pupil=pupil,
        actor=one,
        need="TOILETING",
        at=timezone.now(),
        second_adult=two,
        client_id=client_id,
    )
    again = care_log_record(
        pupil=pupil,
        actor=one,
        need="TOILETING",
        at=timezone.now(),
        second_adult=two,
        client_id=client_id,
    )
    assert again.pk == first.pk
    assert CareLogEntry.objects.count() == 1


def test_no_plan_no_log(school_a, staff):
    other = PupilFactory(school=school_a)
    with pytest.raises(ValidationError, match="no care plan"):
        care_log_record(pupil=other, actor=staff[Role.SENDCO], need="TOILETING", at=timezone.now())


def test_reads_are_logged_and_teachers_slt_and_unlinked_staff_are_refused(
    member_client, pupil, staff, care_plan
):
    url = reverse("students:care", args=[pupil.pk])
    assert member_client(staff[Role.SENDCO]).get(url).status_code == 200
    read = RestrictedAccess.objects.get()
    assert (read.section, read.role) == ("personal care", Role.SENDCO)
    LinkFactory(pupil=pupil, staff=staff[Role.TEACHER])
    assert member_client(staff[Role.TEACHER]).get(url).status_code == 403
    assert member_client(staff[Role.SLT]).get(url).status_code == 403
    assert member_client(staff[Role.FLS]).get(url).status_code == 404
    assert RestrictedAccess.objects.count() == 1


def test_named_safeguarding_lead_reads_the_section(member_client, school_a, pupil, care_plan):
    teacher_dsl = StaffMemberFactory(school=school_a, role=Role.TEACHER, is_safeguarding_lead=True)
    url = reverse("students:care", args=[pupil.pk])
    assert member_client(teacher_dsl).get(url).status_code == 200
    # ...but cannot write the plan.
    plan_url = reverse("students:care_plan", args=[pupil.pk])
    assert member_client(teacher_dsl).get(plan_url).status_code == 403


def test_other_school_pupil_is_not_found(member_client, school_b, staff):
    other = PupilFactory(school=school_b)
    response = member_client(staff[Role.SENDCO]).get(reverse("students:care", args=[other.pk]))
    assert response.status_code == 404


def test_sendco_writes_the_plan_and_an_empty_plan_is_refused(member_client, pupil, staff):
    client = member_client(staff[Role.SENDCO])
    url = reverse("students:care_plan", args=[pupil.pk])
    empty = client.post(url, {"staff_needed": 1})
    assert "at least one kind of care" in empty.content.decode()
    assert not CarePlan.objects.exists()
    done = client.post(url, {"eating": "Cut food small; supervise.", "staff_needed": 1})
    assert done.status_code == 302
    assert CarePlan.objects.get().needs() == [
        ("EATING", "Eating and drinking", "Cut food small; supervise.")
    ]
    assert member_client(staff[Role.HLTA]).get(url).status_code in (403, 404)


def test_care_page_query_budget_holds_at_ten_times_the_log(
    member_client, pupil, pair, django_assert_max_num_queries
):
    one, two = pair
    client = member_client(one)
    url = reverse("students:care", args=[pupil.pk])

    def add(n):
        CareLogEntry.objects.bulk_create(
            CareLogEntry(
                school=pupil.school,
                pupil=pupil,
                need="TOILETING",
                at=timezone.now() - datetime.timedelta(hours=i + 1),
                given_by=one,
                second_adult=two,
            )
            for i in range(n)
        )

    add(6)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
    add(60)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


def test_data_manager_names_a_safeguarding_lead_who_then_reads_restricted_sections(
    member_client, staff, pupil, care_plan
):
    teacher = staff[Role.TEACHER]
    url = reverse("students:care", args=[pupil.pk])
    assert member_client(teacher).get(url).status_code == 404
    user = teacher.user
    response = member_client(staff[Role.DATA_MANAGER]).post(
        reverse("admin:staffing_staffmember_change", args=[teacher.pk]),
        {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "role": Role.TEACHER,
            "is_active": "on",
            "is_safeguarding_lead": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    teacher.refresh_from_db()
    assert teacher.is_safeguarding_lead
    assert member_client(teacher).get(url).status_code == 200
    # A staff update that does not know the flag (an MIS import) leaves it alone.
    from staffing.services import staff_member_update

    staff_member_update(
        actor=None,
        staff_member=teacher,
        email=user.email,
        first_name=user.first_name,
        last_name="Renamed",
        role=Role.TEACHER,
    )
    teacher.refresh_from_db()
    assert teacher.is_safeguarding_lead


def test_care_logged_in_error_is_withdrawn_on_the_day_with_a_reason(
    member_client, pupil, pair, staff
):
    one, two = pair
    entry = care_log_record(
        pupil=pupil, actor=one, need="TOILETING", at=timezone.now(), second_adult=two
    )
    url = reverse("students:care_withdraw", args=[pupil.pk, entry.pk])
    page = member_client(one).get(reverse("students:care", args=[pupil.pk])).content.decode()
    assert url in page
    # The second adult did not log it; a reason is required.
    LinkFactory(pupil=pupil, staff=two)
    assert member_client(two).post(url, {"reason": "mine"}).status_code == 403
    member_client(one).post(url, {"reason": ""})
    assert CareLogEntry.objects.filter(pk=entry.pk).exists()
    member_client(one).post(url, {"reason": "Wrong pupil"})
    assert not CareLogEntry.objects.filter(pk=entry.pk).exists()
    gone = CareLogEntry.history.filter(id=entry.pk).latest()
    assert (gone.history_type, gone.history_change_reason) == ("-", "Wrong pupil")


def test_yesterdays_care_is_withdrawn_only_by_a_sen_lead(member_client, pupil, pair, staff):
    one, two = pair
    entry = care_log_record(
        pupil=pupil, actor=one, need="TOILETING", at=timezone.now(), second_adult=two
    )
    CareLogEntry.objects.filter(pk=entry.pk).update(
        recorded_at=timezone.now() - datetime.timedelta(days=1)
    )
    url = reverse("students:care_withdraw", args=[pupil.pk, entry.pk])
    assert member_client(one).post(url, {"reason": "late"}).status_code == 403
    member_client(staff[Role.SENDCO]).post(url, {"reason": "Double entry"})
    assert not CareLogEntry.objects.filter(pk=entry.pk).exists()
