"""SEN support plans (IEPs): the Assess-Plan-Do-Review cycle.

draft → submitted → active (approved by the SENDCo) → reviewed → closed, and "start next
cycle" makes the next draft from a reviewed plan, carrying unmet targets forward.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from staffing.models import StaffMember
from students.models import (
    Area,
    PlanReview,
    PlanTarget,
    Pupil,
    SupportPlan,
    TargetOutcome,
)
from students.services.register import check_same_school, lock_pupil

Status = SupportPlan.Status
TARGET_FIELDS = [
    "area",
    "description",
    "strategies",
    "success_criteria",
    "supported_by",
    "frequency",
]


@dataclass
class TargetInput:
    """One target as entered on the plan form; ``id`` is set for an existing target."""

    area: str
    description: str
    strategies: str = ""
    success_criteria: str = ""
    supported_by: str = ""
    frequency: str = ""
    id: int | None = None


def _next_cycle(pupil: Pupil) -> int:
    last = SupportPlan.objects.filter(pupil=pupil).order_by("-cycle").first()
    return last.cycle + 1 if last else 1


def _check_dates(start_date: date, review_date: date) -> None:
    if review_date <= start_date:
        raise ValidationError({"review_date": "The review date must be after the start date."})


def _save_targets(plan: SupportPlan, targets: list[TargetInput]) -> None:
    if not targets:
        raise ValidationError("A plan needs at least one target.")
    existing = {t.pk: t for t in plan.targets.all()}
    keep = set()
    for order, data in enumerate(targets):
        if data.area not in Area.values:
            raise ValidationError({"area": f"{data.area!r} is not an area of need."})
        if not data.description.strip():
            raise ValidationError({"description": "Each target needs a description."})
        target = existing.get(data.id) if data.id else None
        if data.id and target is None:
            raise ValidationError("A target does not belong to this plan.")
        target = target or PlanTarget(school=plan.school, plan=plan)
        for field in TARGET_FIELDS:
            setattr(target, field, (getattr(data, field) or "").strip())
        target.order = order
        target.full_clean()
        target.save()
        keep.add(target.pk)
    plan.targets.exclude(pk__in=keep).delete()


@transaction.atomic
def plan_create(
    *,
    pupil: Pupil,
    actor: StaffMember,
    start_date: date,
    review_date: date,
    assessment: str = "",
    targets: list[TargetInput],
) -> SupportPlan:
    """Draft a new SEN support plan for a pupil."""
    check_same_school(actor, pupil)
    pupil = lock_pupil(pupil)
    _check_dates(start_date, review_date)
    unfinished = SupportPlan.objects.filter(
        pupil=pupil, status__in=[Status.DRAFT, Status.SUBMITTED]
    ).first()
    if unfinished is not None:
        raise ValidationError(
            f"{pupil.full_name} already has a plan being written (cycle {unfinished.cycle}). "
            "Finish or delete that draft first."
        )
    plan = SupportPlan(
        school=pupil.school,
        pupil=pupil,
        cycle=_next_cycle(pupil),
        start_date=start_date,
        review_date=review_date,
        assessment=assessment.strip(),
        drafted_by=actor,
        status=Status.DRAFT,
    )
    plan.full_clean()
    plan.save()
    _save_targets(plan, targets)
    return plan


@transaction.atomic
def plan_update(
    *,
    plan: SupportPlan,
    actor: StaffMember,
    start_date: date,
    review_date: date,
    assessment: str = "",
    targets: list[TargetInput],
) -> SupportPlan:
    """Edit a plan that is still a draft or awaiting approval. A plan changed after it was
    submitted goes back to draft, so the SENDCo never approves what they have not seen."""
    check_same_school(actor, plan)
    plan = SupportPlan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_editable:
        raise ValidationError(
            f"This plan is {plan.get_status_display().lower()}; only drafts can be edited. "
            "Start the next cycle to change the targets."
        )
    _check_dates(start_date, review_date)
    plan.start_date, plan.review_date, plan.assessment = start_date, review_date, assessment
    plan.status = Status.DRAFT
    plan.full_clean()
    plan.save()
    _save_targets(plan, targets)
    return plan


def _locked(plan: SupportPlan, *allowed: str) -> SupportPlan:
    plan = SupportPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status not in allowed:
        raise ValidationError(
            f"This plan is {plan.get_status_display().lower()}, so that cannot be done now."
        )
    return plan


@transaction.atomic
def plan_submit(*, plan: SupportPlan, actor: StaffMember) -> SupportPlan:
    """Send a draft to the SENDCo for approval."""
    check_same_school(actor, plan)
    plan = _locked(plan, Status.DRAFT)
    if not plan.targets.exists():
        raise ValidationError("Add at least one target before submitting the plan.")
    plan.status = Status.SUBMITTED
    plan.save(update_fields=["status"])
    return plan


@transaction.atomic
def plan_return_to_draft(*, plan: SupportPlan, actor: StaffMember) -> SupportPlan:
    """The SENDCo sends a submitted plan back for more work."""
    check_same_school(actor, plan)
    plan = _locked(plan, Status.SUBMITTED)
    plan.status = Status.DRAFT
    plan.save(update_fields=["status"])
    return plan


@transaction.atomic
def plan_approve(*, plan: SupportPlan, actor: StaffMember) -> SupportPlan:
    """The SENDCo approves a plan; it becomes the pupil's one active plan."""
    check_same_school(actor, plan)
    lock_pupil(plan.pupil)
    plan = _locked(plan, Status.DRAFT, Status.SUBMITTED)
    if not plan.targets.exists():
        raise ValidationError("A plan needs at least one target before it is approved.")
    active = (
        SupportPlan.objects.select_for_update()
        .filter(pupil_id=plan.pupil_id, status=Status.ACTIVE)
        .exclude(pk=plan.pk)
        .first()
    )
    if active is not None:
        raise ValidationError(
            f"{plan.pupil.full_name} already has an active plan (cycle {active.cycle}). "
            "Review it first."
        )
    plan.status = Status.ACTIVE
    plan.approved_by = actor
    plan.approved_at = timezone.now()
    plan.save(update_fields=["status", "approved_by", "approved_at"])
    return plan


@dataclass
class OutcomeInput:
    target_id: int
    outcome: str
    comment: str = ""


@transaction.atomic
def plan_review_record(
    *,
    plan: SupportPlan,
    actor: StaffMember,
    reviewed_on: date,
    outcomes: list[OutcomeInput],
    pupil_voice: str = "",
    parent_voice: str = "",
    next_steps: str = "",
) -> PlanReview:
    """Record the review of an active plan: an outcome for every target, the pupil's and
    parents' views and next steps."""
    check_same_school(actor, plan)
    plan = _locked(plan, Status.ACTIVE)
    if reviewed_on < plan.start_date:
        raise ValidationError(
            {
                "reviewed_on": f"The review cannot be before the plan started "
                f"({plan.start_date:%d/%m/%Y})."
            }
        )
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": "The review date cannot be in the future."})
    targets = {t.pk: t for t in plan.targets.all()}
    given = {o.target_id: o for o in outcomes}
    if set(given) != set(targets):
        raise ValidationError("Give an outcome for every target of the plan.")
    review = PlanReview(
        school=plan.school,
        plan=plan,
        reviewed_on=reviewed_on,
        reviewed_by=actor,
        pupil_voice=pupil_voice.strip(),
        parent_voice=parent_voice.strip(),
        next_steps=next_steps.strip(),
    )
    review.full_clean()
    review.save()
    for target_id, data in given.items():
        if data.outcome not in TargetOutcome.Outcome.values:
            raise ValidationError({"outcome": f"{data.outcome!r} is not an outcome."})
        outcome = TargetOutcome(
            school=plan.school,
            review=review,
            target=targets[target_id],
            outcome=data.outcome,
            comment=data.comment.strip(),
        )
        outcome.full_clean()
        outcome.save()
    plan.status = Status.REVIEWED
    plan.save(update_fields=["status"])
    return review


@transaction.atomic
def plan_start_next_cycle(
    *, plan: SupportPlan, actor: StaffMember, start_date: date, review_date: date
) -> SupportPlan:
    """Close a reviewed plan and draft the next one: the same assessment plus the review's
    next steps, and every target not yet achieved carried forward."""
    check_same_school(actor, plan)
    pupil = lock_pupil(plan.pupil)
    plan = _locked(plan, Status.REVIEWED)
    if SupportPlan.objects.filter(
        pupil=pupil, status__in=[Status.DRAFT, Status.SUBMITTED]
    ).exists():
        raise ValidationError(
            "There is already a draft plan for this pupil; finish or delete it first."
        )
    if start_date < plan.review.reviewed_on:
        raise ValidationError(
            {"start_date": "The next plan cannot start before the review of this one."}
        )
    _check_dates(start_date, review_date)
    assessment = plan.assessment
    if plan.review.next_steps:
        assessment = (
            f"{assessment}\n\nNext steps from the review on "
            f"{plan.review.reviewed_on:%d/%m/%Y}:\n{plan.review.next_steps}".strip()
        )
    plan.status = Status.CLOSED
    plan.closed_at = timezone.now()
    plan.save(update_fields=["status", "closed_at"])
    following = SupportPlan(
        school=plan.school,
        pupil=plan.pupil,
        cycle=_next_cycle(pupil),
        previous=plan,
        start_date=start_date,
        review_date=review_date,
        assessment=assessment,
        drafted_by=actor,
        status=Status.DRAFT,
    )
    following.full_clean()
    following.save()
    unmet = plan.targets.filter(outcome__outcome__in=TargetOutcome.UNMET).order_by("order")
    for order, target in enumerate(unmet):
        PlanTarget.objects.create(
            school=plan.school,
            plan=following,
            order=order,
            carried_from=target,
            **{field: getattr(target, field) for field in TARGET_FIELDS},
        )
    return following


@transaction.atomic
def plan_close(*, plan: SupportPlan, actor: StaffMember) -> SupportPlan:
    """Close a plan without a next cycle (e.g. the pupil leaves SEN support)."""
    check_same_school(actor, plan)
    plan = _locked(plan, Status.ACTIVE, Status.REVIEWED)
    plan.status = Status.CLOSED
    plan.closed_at = timezone.now()
    plan.save(update_fields=["status", "closed_at"])
    return plan


@transaction.atomic
def plan_delete_draft(*, plan: SupportPlan, actor: StaffMember) -> None:
    check_same_school(actor, plan)
    plan = _locked(plan, Status.DRAFT)
    plan.delete()
