"""Healthcare plans, medication and the administration log, and the access log of the
restricted sections of a pupil's record."""

import uuid
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cpd.selectors import trainings_missing
from staffing.models import StaffMember
from students.models import (
    HealthcarePlan,
    Medication,
    MedicationDose,
    Pupil,
    RestrictedAccess,
)
from students.services.register import check_same_school

CLOCK_SKEW = timedelta(minutes=5)  # a tablet's clock may run a little fast


def restricted_read_record(*, actor: StaffMember, pupil: Pupil, section: str) -> None:
    """Note that the actor opened a restricted section of the pupil's record."""
    RestrictedAccess.objects.create(
        school_id=pupil.school_id,
        pupil=pupil,
        user=actor.user,
        role=actor.role,
        section=section,
    )


@transaction.atomic
def healthcare_plan_save(*, pupil: Pupil, actor: StaffMember, required_trainings=(), **fields):
    check_same_school(actor, pupil, *required_trainings)
    plan = HealthcarePlan.objects.filter(pupil=pupil).first() or HealthcarePlan(
        school=pupil.school, pupil=pupil
    )
    for name, value in fields.items():
        setattr(plan, name, value.strip() if isinstance(value, str) else value)
    plan.updated_by = actor.user
    plan.full_clean()
    plan.save()
    plan.required_trainings.set(required_trainings)
    return plan


@transaction.atomic
def medication_save(
    *, pupil: Pupil, actor: StaffMember, medication: Medication | None = None, **fields
) -> Medication:
    check_same_school(actor, pupil)
    if medication is not None and medication.pupil_id != pupil.pk:
        raise ValidationError("That medication belongs to another pupil.")
    medication = medication or Medication(school=pupil.school, pupil=pupil)
    for name, value in fields.items():
        setattr(medication, name, value.strip() if isinstance(value, str) else value)
    medication.full_clean()
    medication.save()
    return medication


@transaction.atomic
def medication_dose_record(
    *,
    medication: Medication,
    actor: StaffMember,
    outcome: str,
    given_at: datetime,
    dose: str = "",
    reason: str = "",
    witnessed_by: StaffMember | None = None,
    client_id: uuid.UUID | None = None,
) -> MedicationDose:
    """Log a dose given, refused or not given. The person recording must hold every
    training the pupil's healthcare plan requires, valid on that day. A dose inside the
    minimum interval, beyond the daily maximum, from an expired supply or with no stock
    is refused with the reason. A retry with the same client id returns the first entry."""
    check_same_school(actor, medication, witnessed_by)
    if client_id is not None:
        earlier = MedicationDose.objects.filter(client_id=client_id).first()
        if earlier is not None:
            if earlier.medication_id != medication.pk:
                raise ValidationError("That entry id was already used for another medicine.")
            return earlier
    medication = Medication.objects.select_for_update().get(pk=medication.pk)
    now = timezone.now()
    if given_at > now + CLOCK_SKEW:
        raise ValidationError({"given_at": "A dose cannot be recorded in the future."})
    if outcome not in MedicationDose.Outcome.values:
        raise ValidationError({"outcome": "Choose given, refused or not given."})
    if outcome != MedicationDose.Outcome.GIVEN and not reason.strip():
        raise ValidationError({"reason": "Say why the dose was not given."})
    if witnessed_by is not None and witnessed_by.pk == actor.pk:
        raise ValidationError({"witnessed_by": "The witness must be someone else."})
    day = timezone.localdate(given_at)
    plan = HealthcarePlan.objects.filter(pupil_id=medication.pupil_id).first()
    required = list(plan.required_trainings.all()) if plan else []
    missing = trainings_missing(staff=actor, required=required, on=day)
    if missing:
        names = ", ".join(t.name for t in missing)
        raise ValidationError(
            f"You cannot record this dose: your training is not valid on {day:%d/%m/%Y} "
            f"for {names}."
        )
    if outcome == MedicationDose.Outcome.GIVEN:
        _check_limits(medication, given_at, day)
        medication.stock -= 1
        medication.save(update_fields=["stock"])
    entry = MedicationDose(
        school=medication.school,
        medication=medication,
        outcome=outcome,
        reason=reason.strip(),
        given_at=given_at,
        dose=(dose or medication.dose).strip(),
        given_by=actor,
        witnessed_by=witnessed_by,
        client_id=client_id,
    )
    entry.full_clean()
    entry.save()
    return entry


def _check_limits(medication: Medication, given_at: datetime, day) -> None:
    if medication.supply_expires is not None and medication.supply_expires < day:
        raise ValidationError(
            f"The supply expired on {medication.supply_expires:%d/%m/%Y}: do not give it; "
            "tell the parents and the SENDCo."
        )
    if medication.stock <= 0:
        raise ValidationError("No doses are left in stock.")
    given = MedicationDose.objects.filter(
        medication=medication, outcome=MedicationDose.Outcome.GIVEN
    )
    window = timedelta(minutes=medication.min_interval_minutes)
    recent = given.filter(given_at__gt=given_at - window, given_at__lt=given_at + window).first()
    if recent is not None:
        local = timezone.localtime(recent.given_at)
        allowed = timezone.localtime(recent.given_at + window)
        raise ValidationError(
            f"Too soon: a dose was given at {local:%H:%M}. The next may be given from "
            f"{allowed:%H:%M}."
        )
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    count = given.filter(given_at__gte=start, given_at__lt=start + timedelta(days=1)).count()
    if count >= medication.max_doses_per_day:
        raise ValidationError(
            f"The daily maximum of {medication.max_doses_per_day} has already been given today."
        )


@transaction.atomic
def pupil_document_add(*, pupil: Pupil, actor: StaffMember, kind: str, title: str, upload):
    """Store a document about the pupil after checking its size, type and content."""
    from sendhub.uploads import validate_upload
    from students.models import PupilDocument

    check_same_school(actor, pupil)
    content_type = validate_upload(upload)
    document = PupilDocument(
        school=pupil.school,
        pupil=pupil,
        kind=kind,
        title=title.strip(),
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    document.file.save(upload.name, upload, save=False)
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def pupil_document_delete(*, document, actor: StaffMember) -> None:
    check_same_school(actor, document)
    document.file.delete(save=False)
    document.delete()
