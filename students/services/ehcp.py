"""EHC plans: outcomes, termly progress and annual reviews."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from staffing.models import StaffMember
from students.models import (
    Area,
    EhcPlan,
    EhcpOutcome,
    EhcpReview,
    NeedCode,
    OutcomeProgress,
    Pupil,
    SenStatus,
)
from students.services.register import (
    check_same_school,
    lock_pupil,
    pupil_register_set,
    register_change_earliest,
)


@dataclass
class EhcpOutcomeInput:
    area: str
    description: str
    id: int | None = None


@transaction.atomic
def ehcp_save(
    *,
    pupil: Pupil,
    actor: StaffMember,
    date_issued: date,
    local_authority: str,
    primary_need: str,
    la_coordinator: str = "",
    provision_summary: str = "",
    funded_hours_per_week: Decimal = Decimal(0),
    last_review_date: date | None = None,
    outcomes: list[EhcpOutcomeInput],
) -> EhcPlan:
    """Record or correct a pupil's EHC plan and its Section E outcomes. The annual review
    falls due 12 months after the last review (or the issue date). Recording a new plan puts
    the pupil on the register as E from the issue date."""
    check_same_school(actor, pupil)
    pupil = lock_pupil(pupil)
    today = timezone.localdate()
    if primary_need not in NeedCode.values:
        raise ValidationError({"primary_need": f"{primary_need!r} is not a census type of need."})
    if date_issued > today:
        raise ValidationError({"date_issued": "The issue date cannot be in the future."})
    if last_review_date and not date_issued <= last_review_date <= today:
        raise ValidationError(
            {"last_review_date": "The last review must be between the issue date and today."}
        )
    ehcp = EhcPlan.objects.filter(pupil=pupil).first()
    is_new = ehcp is None
    if not is_new:
        meetings = list(ehcp.reviews.values_list("meeting_date", flat=True))
        if meetings and date_issued > min(meetings):
            raise ValidationError(
                {"date_issued": "The plan cannot be issued after its recorded review meetings."}
            )
        # Recorded meetings are the record: the last review is never earlier than them.
        if meetings and (last_review_date is None or last_review_date < max(meetings)):
            last_review_date = max(meetings)
    ehcp = ehcp or EhcPlan(school=pupil.school, pupil=pupil)
    ehcp.date_issued = date_issued
    ehcp.local_authority = local_authority.strip()
    ehcp.la_coordinator = la_coordinator.strip()
    ehcp.primary_need = primary_need
    ehcp.provision_summary = provision_summary.strip()
    ehcp.funded_hours_per_week = funded_hours_per_week
    ehcp.last_review_date = last_review_date
    ehcp.next_review_date = EhcPlan.review_due_after(last_review_date or date_issued)
    ehcp.full_clean()
    ehcp.save()
    _save_outcomes(ehcp, outcomes)
    if is_new and pupil.sen_status != SenStatus.EHCP:
        earliest = register_change_earliest(pupil)
        pupil_register_set(
            pupil=pupil,
            status=SenStatus.EHCP,
            on=max(date_issued, earliest) if earliest else date_issued,
            reason="EHC plan issued",
            actor=actor,
        )
    return ehcp


def _save_outcomes(ehcp: EhcPlan, outcomes: list[EhcpOutcomeInput]) -> None:
    existing = {o.pk: o for o in ehcp.outcomes.all()}
    keep = set()
    for order, data in enumerate(outcomes):
        if data.area not in Area.values:
            raise ValidationError({"area": f"{data.area!r} is not an area of need."})
        outcome = existing.get(data.id) if data.id else None
        if data.id and outcome is None:
            raise ValidationError("An outcome does not belong to this plan.")
        outcome = outcome or EhcpOutcome(school=ehcp.school, ehcp=ehcp)
        outcome.area, outcome.description, outcome.order = data.area, data.description, order
        outcome.description = outcome.description.strip()
        outcome.full_clean()
        outcome.save()
        keep.add(outcome.pk)
    dropped = ehcp.outcomes.exclude(pk__in=keep)
    if dropped.filter(progress__isnull=False).exists():
        raise ValidationError(
            "An outcome with progress recorded against it cannot be removed; edit its wording "
            "instead."
        )
    dropped.delete()


@transaction.atomic
def ehcp_cease(
    *, ehcp: EhcPlan, actor: StaffMember, ceased_on: date, new_status: str, reason: str = ""
) -> EhcPlan:
    """Record that the local authority ceased to maintain the plan; the pupil moves to SEN
    support (K) or off the register (N) from that date."""
    check_same_school(actor, ehcp)
    ehcp = EhcPlan.objects.select_for_update().get(pk=ehcp.pk)
    if ehcp.ceased_on:
        raise ValidationError(f"This plan already ceased on {ehcp.ceased_on:%d/%m/%Y}.")
    if not ehcp.date_issued <= ceased_on <= timezone.localdate():
        raise ValidationError({"ceased_on": "The date must be between the issue date and today."})
    if new_status not in (SenStatus.SUPPORT, SenStatus.NONE):
        raise ValidationError({"new_status": "Choose SEN support (K) or not on the register (N)."})
    ehcp.ceased_on = ceased_on
    ehcp.save(update_fields=["ceased_on"])
    pupil_register_set(
        pupil=ehcp.pupil,
        status=new_status,
        on=ceased_on,
        reason=reason or "EHC plan ceased",
        actor=actor,
    )
    return ehcp


@transaction.atomic
def ehcp_progress_record(
    *,
    outcome: EhcpOutcome,
    actor: StaffMember,
    recorded_on: date,
    term: str,
    rating: str,
    note: str = "",
) -> OutcomeProgress:
    """Note this term's progress towards a Section E outcome."""
    check_same_school(actor, outcome)
    if recorded_on > timezone.localdate():
        raise ValidationError({"recorded_on": "Progress cannot be recorded in the future."})
    progress = OutcomeProgress(
        school=outcome.school,
        outcome=outcome,
        recorded_on=recorded_on,
        term=term.strip(),
        rating=rating,
        note=note.strip(),
        recorded_by=actor,
    )
    progress.full_clean()
    progress.save()
    return progress


@transaction.atomic
def ehcp_review_record(
    *,
    ehcp: EhcPlan,
    actor: StaffMember,
    meeting_date: date,
    attendees: str,
    views_gathered: str = "",
    recommendations: str = "",
    amendments_requested: str = "",
) -> EhcpReview:
    """Record the annual review meeting; the next review falls due 12 months later."""
    check_same_school(actor, ehcp)
    ehcp = EhcPlan.objects.select_for_update().get(pk=ehcp.pk)
    if ehcp.ceased_on:
        raise ValidationError("This EHC plan has ceased; there are no more annual reviews.")
    if meeting_date < ehcp.date_issued:
        raise ValidationError({"meeting_date": "The review cannot be before the plan was issued."})
    if meeting_date > timezone.localdate():
        raise ValidationError({"meeting_date": "Record the meeting once it has happened."})
    review = EhcpReview(
        school=ehcp.school,
        ehcp=ehcp,
        meeting_date=meeting_date,
        attendees=attendees.strip(),
        views_gathered=views_gathered.strip(),
        recommendations=recommendations.strip(),
        amendments_requested=amendments_requested.strip(),
        recorded_by=actor,
    )
    review.full_clean()
    review.save()
    if ehcp.last_review_date is None or meeting_date >= ehcp.last_review_date:
        ehcp.last_review_date = meeting_date
        ehcp.next_review_date = EhcPlan.review_due_after(meeting_date)
        ehcp.save(update_fields=["last_review_date", "next_review_date"])
    return review
