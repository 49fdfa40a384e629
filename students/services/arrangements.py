"""Exam access arrangements (JCQ): recorded with their evidence, approved, reviewed."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from staffing.models import StaffMember
from students.models import AccessArrangement, Arrangement, Pupil
from students.services.register import check_same_school


@transaction.atomic
def access_arrangement_save(
    *,
    pupil: Pupil,
    actor: StaffMember,
    arrangement: str,
    assessor: str,
    evidence_date: date,
    review_date: date,
    normal_way_of_working: str = "",
    notes: str = "",
    instance: AccessArrangement | None = None,
) -> AccessArrangement:
    """Record or correct an arrangement. Changing one that was approved needs approving
    again."""
    check_same_school(actor, pupil)
    if instance is not None and instance.pupil_id != pupil.pk:
        raise ValidationError("That arrangement belongs to another pupil.")
    if arrangement not in Arrangement.values:
        raise ValidationError({"arrangement": f"{arrangement!r} is not a JCQ arrangement."})
    if evidence_date > timezone.localdate():
        raise ValidationError({"evidence_date": "The evidence date cannot be in the future."})
    if review_date <= evidence_date:
        raise ValidationError({"review_date": "The review date must be after the evidence date."})
    duplicate = AccessArrangement.objects.filter(pupil=pupil, arrangement=arrangement)
    if instance is not None:
        duplicate = duplicate.exclude(pk=instance.pk)
    if duplicate.exists():
        raise ValidationError({"arrangement": "This pupil already has that arrangement."})
    record = instance or AccessArrangement(school=pupil.school, pupil=pupil)
    changed = instance is not None and (
        instance.arrangement != arrangement or instance.evidence_date != evidence_date
    )
    record.arrangement, record.assessor = arrangement, assessor.strip()
    record.evidence_date, record.review_date = evidence_date, review_date
    record.normal_way_of_working, record.notes = normal_way_of_working.strip(), notes.strip()
    if changed:
        record.approved_by, record.approved_on = None, None
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def access_arrangement_approve(
    *, arrangement: AccessArrangement, actor: StaffMember
) -> AccessArrangement:
    """The SENDCo confirms the evidence supports the arrangement."""
    check_same_school(actor, arrangement)
    arrangement.approved_by, arrangement.approved_on = actor, timezone.localdate()
    arrangement.save(update_fields=["approved_by", "approved_on"])
    return arrangement


@transaction.atomic
def access_arrangement_delete(*, arrangement: AccessArrangement, actor: StaffMember) -> None:
    check_same_school(actor, arrangement)
    arrangement.delete()
