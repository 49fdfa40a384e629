"""The competence selector other features rely on, on its edges; and the training matrix."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cpd.models import TrainingRecord
from cpd.selectors import training_matrix, training_valid_on, trainings_missing
from cpd.services import training_record_add
from staffing.models import Role
from tests.cpd.factories import TrainingRecordFactory, TrainingTypeFactory
from tests.staffing.factories import StaffMemberFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def medication(school_a):
    return TrainingTypeFactory(school=school_a, name="Medication administration")


@pytest.fixture
def fls(staff):
    return staff[Role.FLS]


def test_training_expiring_today_is_valid_today(fls, medication):
    TrainingRecordFactory(staff=fls, training_type=medication, completed_on=D(2025, 11, 23))
    assert TrainingRecord.objects.get().expires_on == D(2026, 11, 23)
    assert training_valid_on(staff=fls, training_type=medication, on=D(2026, 11, 23))


def test_training_that_expired_yesterday_is_not_valid(fls, medication):
    TrainingRecordFactory(staff=fls, training_type=medication, completed_on=D(2025, 11, 22))
    assert not training_valid_on(staff=fls, training_type=medication, on=D(2026, 11, 23))
    assert training_valid_on(staff=fls, training_type=medication, on=D(2026, 11, 22))


def test_never_trained_is_not_valid(fls, medication):
    assert not training_valid_on(staff=fls, training_type=medication, on=D(2026, 11, 23))


def test_training_is_not_valid_before_it_was_completed(fls, medication):
    TrainingRecordFactory(staff=fls, training_type=medication, completed_on=D(2026, 6, 1))
    assert not training_valid_on(staff=fls, training_type=medication, on=D(2026, 5, 31))


def test_a_renewal_keeps_someone_trained(fls, medication):
    TrainingRecordFactory(staff=fls, training_type=medication, completed_on=D(2024, 1, 1))
    TrainingRecordFactory(staff=fls, training_type=medication, completed_on=D(2025, 1, 1))
    assert training_valid_on(staff=fls, training_type=medication, on=D(2025, 12, 31))


def test_training_without_expiry_stays_valid(fls, school_a):
    autism = TrainingTypeFactory(school=school_a, validity_months=None)
    TrainingRecordFactory(staff=fls, training_type=autism, completed_on=D(2015, 1, 1))
    assert training_valid_on(staff=fls, training_type=autism, on=D(2030, 1, 1))


def test_missing_trainings_are_named(fls, school_a, medication, django_assert_num_queries):
    handling = TrainingTypeFactory(school=school_a, name="Moving and handling")
    epilepsy = TrainingTypeFactory(school=school_a, name="Epilepsy")
    TrainingRecordFactory(staff=fls, training_type=handling, completed_on=D(2026, 3, 1))
    TrainingRecordFactory(staff=fls, training_type=epilepsy, completed_on=D(2024, 3, 1))
    with django_assert_num_queries(1):
        missing = trainings_missing(
            staff=fls, required=[medication, handling, epilepsy], on=D(2026, 11, 23)
        )
    assert missing == [medication, epilepsy]


def test_another_persons_training_does_not_count(staff, medication):
    TrainingRecordFactory(staff=staff[Role.HLTA], training_type=medication)
    assert not training_valid_on(staff=staff[Role.FLS], training_type=medication, on=D(2026, 2, 1))


def test_matrix_statuses(staff, school_a, medication):
    first_aid = TrainingTypeFactory(school=school_a, name="First aid", validity_months=36)
    today = D(2026, 11, 23)
    TrainingRecordFactory(
        staff=staff[Role.FLS], training_type=medication, completed_on=D(2025, 12, 10)
    )  # expires 10 Dec: within 30 days
    TrainingRecordFactory(
        staff=staff[Role.FLS], training_type=first_aid, completed_on=D(2022, 1, 1)
    )  # expired
    TrainingRecordFactory(
        staff=staff[Role.HLTA], training_type=medication, completed_on=D(2026, 9, 1)
    )  # valid
    matrix = training_matrix(actor=staff[Role.SENDCO], today=today)
    cells = {
        m.role: {t.name: c.status for t, c in zip(matrix.types, row, strict=True)}
        for m, row in matrix.rows
    }
    assert cells[Role.FLS] == {"First aid": "EXPIRED", "Medication administration": "EXPIRING"}
    assert cells[Role.HLTA]["Medication administration"] == "VALID"
    assert cells[Role.ONE_TO_ONE]["Medication administration"] == "MISSING"
    assert Role.TRUST_LEAD not in cells
    only_fls = training_matrix(actor=staff[Role.SENDCO], today=today, role=Role.FLS)
    assert [m.role for m, _ in only_fls.rows] == [Role.FLS]


@pytest.mark.parametrize("size", [6, 60])
def test_matrix_page_query_count_does_not_grow(
    member_client, staff, school_a, size, django_assert_max_num_queries
):
    types = [TrainingTypeFactory(school=school_a) for _ in range(10)]
    for member in StaffMemberFactory.create_batch(size, school=school_a, role=Role.FLS):
        for training_type in types[:7]:
            TrainingRecordFactory(staff=member, training_type=training_type)
    client = member_client(staff[Role.SENDCO])
    client.get(reverse("home"))
    # session, user, memberships, staff, types, records, faculties
    with django_assert_max_num_queries(8):
        response = client.get(reverse("cpd:matrix"))
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == size + len(staff) - 1 + 1


def test_matrix_exports_csv(member_client, staff, medication):
    TrainingRecordFactory(
        staff=staff[Role.FLS], training_type=medication, completed_on=D(2026, 1, 10)
    )
    response = member_client(staff[Role.DATA_MANAGER]).get(reverse("cpd:matrix"), {"format": "csv"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Medication administration" in body.splitlines()[0]
    assert "Valid until 10/01/2027" in body


@pytest.mark.parametrize("role", [Role.FLS, Role.HLTA, Role.TEACHER, Role.ONE_TO_ONE, Role.PSO])
def test_matrix_is_for_the_sendco_and_data_manager(member_client, staff, role):
    assert member_client(staff[role]).get(reverse("cpd:matrix")).status_code == 403


@pytest.mark.parametrize(
    ("completed", "expires", "message"),
    [
        (D(2099, 1, 1), None, "cannot be in the future"),
        (D(2026, 5, 1), D(2026, 4, 1), "after the completion date"),
    ],
)
def test_bad_training_records_are_refused(staff, medication, completed, expires, message):
    with pytest.raises(ValidationError, match=message):
        training_record_add(
            actor=staff[Role.SENDCO],
            staff=staff[Role.FLS],
            training_type=medication,
            completed_on=completed,
            expires_on=expires,
        )
    assert not TrainingRecord.objects.exists()


def test_duplicate_training_record_is_refused_at_the_field(member_client, staff, medication):
    client = member_client(staff[Role.SENDCO])
    url = reverse("cpd:staff_training", args=[staff[Role.FLS].pk])
    data = {"training_type": medication.pk, "completed_on": "2026-03-01", "provider": "LA"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 200
    assert "already recorded" in response.content.decode()
    assert TrainingRecord.objects.count() == 1
    assert TrainingRecord.objects.get().expires_on == D(2027, 3, 1)


def test_who_sees_a_persons_training(member_client, staff, school_a, school_b, medication):
    fls = staff[Role.FLS]
    fls.line_manager = staff[Role.PSO]
    fls.save()
    url = reverse("cpd:staff_training", args=[fls.pk])
    for role in (Role.FLS, Role.PSO, Role.SENDCO, Role.DATA_MANAGER):
        assert member_client(staff[role]).get(url).status_code == 200, role
    for role in (Role.HLTA, Role.TEACHER, Role.ONE_TO_ONE, Role.SLT):
        assert member_client(staff[role]).get(url).status_code == 403, role
    outsider = StaffMemberFactory(school=school_b, role=Role.SENDCO)
    assert member_client(outsider).get(url).status_code == 404


def test_only_sendco_and_data_manager_record_training(member_client, staff, medication):
    fls = staff[Role.FLS]
    fls.line_manager = staff[Role.PSO]
    fls.save()
    url = reverse("cpd:staff_training", args=[fls.pk])
    data = {"training_type": medication.pk, "completed_on": "2026-03-01"}
    for role in (Role.FLS, Role.PSO):
        assert member_client(staff[role]).post(url, data).status_code == 403
    assert not TrainingRecord.objects.exists()
