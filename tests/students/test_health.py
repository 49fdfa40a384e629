"""Healthcare plans and medication: only trained staff record a dose; intervals, daily
maxima, stock and expiry are enforced; every read of the section is logged."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from staffing.models import Role
from students.models import HealthcarePlan, Medication, MedicationDose, RestrictedAccess
from students.services.health import medication_dose_record
from tests.cpd.factories import TrainingRecordFactory, TrainingTypeFactory
from tests.students.factories import LinkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def medication(school_a, pupil):
    training = TrainingTypeFactory(school=school_a, name="Medication administration")
    plan = HealthcarePlan.objects.create(school=school_a, pupil=pupil, conditions="Epilepsy")
    plan.required_trainings.set([training])
    med = Medication.objects.create(
        school=school_a,
        pupil=pupil,
        name="Buccal midazolam",
        dose="5 mg",
        route="BUCCAL",
        as_needed=True,
        max_doses_per_day=2,
        min_interval_minutes=240,
        stock=3,
        low_stock_at=2,
        supply_expires=timezone.localdate() + datetime.timedelta(days=200),
    )
    med.training = training
    return med


@pytest.fixture
def trained_one_to_one(staff, pupil, medication):
    member = staff[Role.ONE_TO_ONE]
    LinkFactory(pupil=pupil, staff=member)
    TrainingRecordFactory(
        staff=member,
        training_type=medication.training,
        completed_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    return member


def at(hours_ago: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours_ago)


def give(medication, actor, hours_ago=0.0, **extra):
    return medication_dose_record(
        medication=medication, actor=actor, outcome="GIVEN", given_at=at(hours_ago), **extra
    )


def test_trained_staff_record_a_dose_and_stock_goes_down(medication, trained_one_to_one):
    entry = give(medication, trained_one_to_one)
    assert entry.dose == "5 mg"
    medication.refresh_from_db()
    assert medication.stock == 2
    assert medication.is_low_stock


def test_untrained_or_expired_training_cannot_record(medication, staff, pupil):
    fls = staff[Role.FLS]
    LinkFactory(pupil=pupil, staff=fls)
    with pytest.raises(ValidationError, match="Medication administration"):
        give(medication, fls)
    TrainingRecordFactory(
        staff=fls,
        training_type=medication.training,
        completed_on=timezone.localdate() - datetime.timedelta(days=400),
    )
    with pytest.raises(ValidationError, match="not valid on"):
        give(medication, fls)
    assert not MedicationDose.objects.exists()


def test_second_dose_inside_the_interval_is_refused(medication, trained_one_to_one):
    give(medication, trained_one_to_one, hours_ago=2)
    with pytest.raises(ValidationError, match="Too soon"):
        give(medication, trained_one_to_one)
    assert MedicationDose.objects.count() == 1
    # A refusal is logged whatever the interval.
    medication_dose_record(
        medication=medication,
        actor=trained_one_to_one,
        outcome="REFUSED",
        given_at=at(0),
        reason="Pupil said no",
    )
    assert MedicationDose.objects.count() == 2


def test_daily_maximum_is_enforced(medication, trained_one_to_one):
    medication.min_interval_minutes = 0
    medication.save()
    today_start = timezone.localtime().replace(hour=0, minute=5)
    if timezone.localtime().hour < 1:
        pytest.skip("too close to midnight for three doses today")
    for minutes in (0, 20):
        medication_dose_record(
            medication=medication,
            actor=trained_one_to_one,
            outcome="GIVEN",
            given_at=today_start + datetime.timedelta(minutes=minutes),
        )
    with pytest.raises(ValidationError, match="daily maximum of 2"):
        give(medication, trained_one_to_one)


def test_no_stock_and_expired_supply_are_refused(medication, trained_one_to_one):
    medication.stock = 0
    medication.save()
    with pytest.raises(ValidationError, match="No doses are left"):
        give(medication, trained_one_to_one)
    medication.stock = 5
    medication.supply_expires = timezone.localdate() - datetime.timedelta(days=1)
    medication.save()
    with pytest.raises(ValidationError, match="supply expired"):
        give(medication, trained_one_to_one)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"given_at": "future"}, "in the future"),
        ({"outcome": "REFUSED"}, "Say why"),
        ({"witnessed_by": "self"}, "someone else"),
    ],
)
def test_bad_dose_entries_are_refused(medication, trained_one_to_one, extra, message):
    kwargs = {
        "medication": medication,
        "actor": trained_one_to_one,
        "outcome": "GIVEN",
        "given_at": at(0),
    }
    kwargs.update(extra)
    if extra.get("given_at") == "future":
        kwargs["given_at"] = timezone.now() + datetime.timedelta(hours=1)
    if extra.get("witnessed_by") == "self":
        kwargs["witnessed_by"] = trained_one_to_one
    with pytest.raises(ValidationError, match=message):
        medication_dose_record(**kwargs)
    assert not MedicationDose.objects.exists()


def test_a_retried_entry_is_stored_once(medication, trained_one_to_one):
    client_id = uuid.uuid4()
    first = give(medication, trained_one_to_one, client_id=client_id)
    again = give(medication, trained_one_to_one, client_id=client_id)
    assert first.pk == again.pk
    medication.refresh_from_db()
    assert medication.stock == 2


def test_tablet_form_records_a_dose(member_client, medication, trained_one_to_one, pupil):
    client = member_client(trained_one_to_one)
    response = client.post(
        reverse("students:dose_record", args=[pupil.pk, medication.pk]),
        {
            "outcome": "GIVEN",
            "given_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "client_id": str(uuid.uuid4()),
        },
        follow=True,
    )
    assert "Buccal midazolam: given at" in response.content.decode()
    assert MedicationDose.objects.count() == 1


def test_untrained_staff_see_why_on_the_page(member_client, medication, staff, pupil):
    LinkFactory(pupil=pupil, staff=staff[Role.FLS])
    response = member_client(staff[Role.FLS]).post(
        reverse("students:dose_record", args=[pupil.pk, medication.pk]),
        {"outcome": "GIVEN", "given_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
        follow=True,
    )
    assert "The dose was not recorded" in response.content.decode()
    assert "Medication administration" in response.content.decode()
    assert not MedicationDose.objects.exists()


def test_who_may_open_the_health_section(member_client, staff, pupil, medication):
    url = reverse("students:health", args=[pupil.pk])
    LinkFactory(pupil=pupil, staff=staff[Role.FLS])
    LinkFactory(pupil=pupil, staff=staff[Role.TEACHER])
    for role in (Role.SENDCO, Role.PSO, Role.FLS):
        assert member_client(staff[role]).get(url).status_code == 200, role
    for role in (Role.TEACHER, Role.SLT, Role.DATA_MANAGER):
        assert member_client(staff[role]).get(url).status_code == 403, role
    assert member_client(staff[Role.HLTA]).get(url).status_code == 404  # not linked


def test_every_read_is_logged_and_the_sendco_sees_the_log(member_client, staff, pupil, medication):
    LinkFactory(pupil=pupil, staff=staff[Role.FLS])
    member_client(staff[Role.FLS]).get(reverse("students:health", args=[pupil.pk]))
    member_client(staff[Role.FLS]).get(
        reverse("students:medication_log", args=[pupil.pk, medication.pk])
    )
    assert list(RestrictedAccess.objects.values_list("section", "role")) == [
        ("medication log", "FLS"),
        ("health", "FLS"),
    ]
    # Refused reads are not "reads".
    member_client(staff[Role.TEACHER]).get(reverse("students:health", args=[pupil.pk]))
    assert RestrictedAccess.objects.count() == 2
    log = reverse("students:access_log", args=[pupil.pk])
    page = member_client(staff[Role.SENDCO]).get(log).content.decode()
    assert staff[Role.FLS].user.full_name in page
    assert member_client(staff[Role.FLS]).get(log).status_code == 403
    entry = RestrictedAccess.objects.first()
    entry.section = "tampered"
    with pytest.raises(ValidationError, match="append-only"):
        entry.save()


def test_only_sen_leads_change_the_plan_and_medicines(member_client, staff, pupil, medication):
    LinkFactory(pupil=pupil, staff=staff[Role.ONE_TO_ONE])
    url = reverse("students:medication_edit", args=[pupil.pk, medication.pk])
    assert member_client(staff[Role.ONE_TO_ONE]).get(url).status_code == 403
    response = member_client(staff[Role.SENDCO]).post(
        url,
        {
            "name": "Buccal midazolam",
            "dose": "5 mg",
            "route": "BUCCAL",
            "max_doses_per_day": "2",
            "min_interval_minutes": "240",
            "stock": "10",
            "low_stock_at": "2",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    medication.refresh_from_db()
    assert medication.stock == 10


@pytest.mark.parametrize("doses", [3, 30])
def test_health_page_query_count_does_not_grow(
    member_client,
    staff,
    pupil,
    medication,
    trained_one_to_one,
    doses,
    django_assert_max_num_queries,
):
    for n in range(doses):
        MedicationDose.objects.create(
            school=pupil.school,
            medication=medication,
            outcome="REFUSED",
            reason="no",
            given_at=at(n + 1),
            dose="5 mg",
            given_by=trained_one_to_one,
        )
    client = member_client(staff[Role.SENDCO])
    client.get(reverse("home"))
    with django_assert_max_num_queries(16):
        assert client.get(reverse("students:health", args=[pupil.pk])).status_code == 200
