"""Personal care and moving & handling: the plan and the care log."""

import uuid
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cpd.selectors import trainings_missing
from staffing.models import Role, StaffMember
from students.models import CareLogEntry, CarePlan, Pupil
from students.services.health import CLOCK_SKEW
from students.services.register import check_same_school


@transaction.atomic
def care_plan_save(
    *, pupil: Pupil, actor: StaffMember, required_trainings=(), **fields
) -> CarePlan:
    """Write or change the pupil's personal care plan (the SENDCo or PSO)."""
    check_same_school(actor, pupil, *required_trainings)
    plan = CarePlan.objects.filter(pupil=pupil).first() or CarePlan(
        school=pupil.school, pupil=pupil
    )
    for name, value in fields.items():
        setattr(plan, name, value.strip() if isinstance(value, str) else value)
    if not any(getattr(plan, name) for name in CarePlan.NEED_FIELDS.values()):
        raise ValidationError("Describe at least one kind of care the pupil needs help with.")
    plan.updated_by = actor.user
    plan.full_clean()
    plan.save()
    plan.required_trainings.set(required_trainings)
    return plan


@transaction.atomic
def care_log_record(
    *,
    pupil: Pupil,
    actor: StaffMember,
    need: str,
    at: datetime,
    second_adult: StaffMember | None = None,
    note: str = "",
    client_id: uuid.UUID | None = None,
) -> CareLogEntry:
    """Log a piece of personal care given under the pupil's care plan. Everyone involved
    must hold the plan's trainings on that day, and a plan needing two adults needs the
    second named. A retry with the same client id returns the first entry."""
    check_same_school(actor, pupil, second_adult)
    if client_id is not None:
        earlier = CareLogEntry.objects.filter(client_id=client_id).first()
        if earlier is not None:
            if earlier.pupil_id != pupil.pk:
                raise ValidationError("That entry id was already used for another pupil.")
            return earlier
    plan = CarePlan.objects.filter(pupil=pupil).prefetch_related("required_trainings").first()
    if plan is None:
        raise ValidationError("There is no care plan for this pupil: the SENDCo writes it first.")
    if need not in {code for code, _label, _how in plan.needs()}:
        raise ValidationError({"need": "The care plan does not include that kind of care."})
    if at > timezone.now() + CLOCK_SKEW:
        raise ValidationError({"at": "Care cannot be logged in the future."})
    if second_adult is not None and second_adult.pk == actor.pk:
        raise ValidationError({"second_adult": "The second adult must be someone else."})
    if plan.staff_needed > 1 and second_adult is None:
        raise ValidationError(
            {"second_adult": f"The care plan needs {plan.staff_needed} adults: name the second."}
        )
    day = timezone.localdate(at)
    required = list(plan.required_trainings.all())
    for person in (actor, second_adult):
        if person is None:
            continue
        missing = trainings_missing(staff=person, required=required, on=day)
        if missing:
            who = "Your" if person is actor else f"{person.user.full_name}'s"
            names = ", ".join(t.name for t in missing)
            raise ValidationError(
                f"{who} training is not valid on {day:%d/%m/%Y} for {names}: "
                "care under this plan cannot be logged."
            )
    entry = CareLogEntry(
        school=pupil.school,
        pupil=pupil,
        need=need,
        at=at,
        given_by=actor,
        second_adult=second_adult,
        note=note.strip(),
        client_id=client_id,
    )
    entry.full_clean()
    entry.save()
    return entry


def care_entry_withdrawable_by(*, entry: CareLogEntry, actor: StaffMember) -> bool:
    """The SENDCo and PSO withdraw any entry; whoever logged one withdraws it on the day.
    (students.withdraw_care in rules.py says the same for the pages.)"""
    if actor.school_id != entry.school_id:
        return False
    if actor.role in (Role.SENDCO, Role.PSO):
        return True
    return (
        entry.given_by_id == actor.pk
        and timezone.localdate(entry.recorded_at) == timezone.localdate()
    )


@transaction.atomic
def care_log_withdraw(*, entry: CareLogEntry, actor: StaffMember, reason: str) -> None:
    """Take back an entry logged in error (the wrong pupil, a double tap). The entry and
    the reason stay in the history."""
    check_same_school(actor, entry)
    if not care_entry_withdrawable_by(entry=entry, actor=actor):
        raise ValidationError(
            "Only the SENDCo, the PSO or the person who logged this care, on the day, may "
            "withdraw it."
        )
    if not reason.strip():
        raise ValidationError({"reason": "Say why the entry is withdrawn."})
    entry._change_reason = reason.strip()[:100]
    entry.delete()
