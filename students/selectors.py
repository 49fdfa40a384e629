"""Reads of the pupil record, scoped to the acting staff member's school and, for
assistants and teachers, to the pupils linked to them."""

from datetime import date

from django.db.models import (
    Case,
    DateField,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Least
from django.shortcuts import get_object_or_404
from django.utils import timezone

from staffing.models import Role, StaffMember
from students.models import (
    EhcPlan,
    PlanTarget,
    Pupil,
    PupilNeed,
    SenStatus,
    StaffPupilLink,
    SupportPlan,
)

WHOLE_SCHOOL_ROLES = {Role.SENDCO, Role.PSO, Role.SLT, Role.DATA_MANAGER}
LINKED_ROLES = {Role.HLTA, Role.FLS, Role.ONE_TO_ONE, Role.TEACHER}


def pupils_visible_to(actor: StaffMember | None) -> QuerySet[Pupil]:
    """Pupils the actor may open at all: the whole school for SEN leads, SLT and the data
    manager; linked pupils for assistants and teachers; none otherwise."""
    if actor is None:
        return Pupil.objects.none()
    pupils = Pupil.objects.filter(school_id=actor.school_id, is_active=True)
    if actor.role in WHOLE_SCHOOL_ROLES or actor.is_safeguarding_lead:
        return pupils
    if actor.role in LINKED_ROLES:
        links = StaffPupilLink.objects.filter(staff=actor).exclude(
            valid_until__lt=timezone.localdate()
        )
        return pupils.filter(pk__in=links.values("pupil_id"))
    return Pupil.objects.none()


def _need_code(rank: int):
    return Subquery(PupilNeed.objects.filter(pupil=OuterRef("pk"), rank=rank).values("code")[:1])


def register_list(*, actor: StaffMember | None, include_not_on_register: bool = False):
    """The SEND register as the actor may see it, with the register's columns."""
    pupils = pupils_visible_to(actor)
    if not include_not_on_register:
        pupils = pupils.exclude(sen_status=SenStatus.NONE)
    return with_register_columns(pupils)


def with_register_columns(pupils: QuerySet[Pupil]) -> QuerySet[Pupil]:
    """Annotate pupils with their primary and secondary need codes and the next review date
    (the active plan's review or the EHCP annual review, whichever is first), in one query."""
    plan_review = Subquery(
        SupportPlan.objects.filter(pupil=OuterRef("pk"), status=SupportPlan.Status.ACTIVE).values(
            "review_date"
        )[:1],
        output_field=DateField(),
    )
    ehcp_review = Subquery(
        EhcPlan.objects.filter(pupil=OuterRef("pk"), ceased_on=None).values("next_review_date")[:1],
        output_field=DateField(),
    )
    return pupils.annotate(
        primary_need=_need_code(PupilNeed.PRIMARY),
        secondary_need=_need_code(PupilNeed.SECONDARY),
        plan_review=plan_review,
        ehcp_review=ehcp_review,
    ).annotate(
        next_review=Case(
            When(plan_review__isnull=True, then=F("ehcp_review")),
            When(ehcp_review__isnull=True, then=F("plan_review")),
            default=Least("plan_review", "ehcp_review"),
            output_field=DateField(),
        )
    )


def review_overdue_q(today: date | None = None) -> Q:
    return Q(next_review__lt=today or timezone.localdate())


def pupil_get(*, actor: StaffMember | None, pk: int) -> Pupil:
    """One pupil the actor may open; any other answers 404."""
    return get_object_or_404(pupils_visible_to(actor), pk=pk)


def pupil_profile(*, actor: StaffMember | None, pk: int) -> Pupil:
    """A pupil with what the profile overview shows, in a fixed number of queries."""
    queryset = pupils_visible_to(actor).select_related("passport", "ehcp", "school")
    queryset = queryset.prefetch_related(
        Prefetch("needs", queryset=PupilNeed.objects.order_by("rank")),
        Prefetch(
            "staff_links",
            queryset=StaffPupilLink.objects.select_related("staff__user").order_by(
                "staff__user__last_name"
            ),
        ),
        Prefetch("register_periods"),
        Prefetch(
            "plans",
            queryset=SupportPlan.objects.select_related("drafted_by__user", "approved_by__user"),
        ),
    )
    return get_object_or_404(queryset, pk=pk)


def plans_for_pupil(*, pupil: Pupil) -> QuerySet[SupportPlan]:
    return SupportPlan.objects.filter(pupil=pupil).select_related(
        "drafted_by__user", "approved_by__user", "review"
    )


def plan_get(*, actor: StaffMember | None, pk: int) -> SupportPlan:
    """A plan of a pupil the actor may open, with its targets, outcomes and review."""
    queryset = (
        SupportPlan.objects.filter(pupil__in=pupils_visible_to(actor))
        .select_related(
            "pupil",
            "pupil__school",
            "drafted_by__user",
            "approved_by__user",
            "review__reviewed_by__user",
            "previous",
        )
        .prefetch_related(
            Prefetch("targets", queryset=PlanTarget.objects.select_related("outcome")),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def ehcp_get(*, pupil: Pupil) -> EhcPlan | None:
    from students.models import EhcpOutcome

    return (
        EhcPlan.objects.filter(pupil=pupil)
        .prefetch_related(
            Prefetch(
                "outcomes",
                queryset=EhcpOutcome.objects.prefetch_related("progress__recorded_by__user"),
            ),
            "reviews__recorded_by__user",
        )
        .first()
    )


def staff_for_linking(*, actor: StaffMember) -> QuerySet[StaffMember]:
    """Staff of the actor's school who can be linked to a pupil."""
    return (
        StaffMember.objects.filter(school_id=actor.school_id, is_active=True)
        .filter(role__in=[Role.HLTA, Role.FLS, Role.ONE_TO_ONE, Role.TEACHER])
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )


def staff_links_for(*, pupil: Pupil) -> QuerySet[StaffPupilLink]:
    """Who works with a pupil (the pupil is already one the actor may open)."""
    return StaffPupilLink.objects.filter(pupil=pupil).select_related("staff__user")


def exam_candidates(*, actor: StaffMember | None) -> QuerySet:
    """Every access arrangement of the actor's school's current pupils, with the pupil, in
    the order the exams officer works through them."""
    from students.models import AccessArrangement

    if actor is None:
        return AccessArrangement.objects.none()
    return (
        AccessArrangement.objects.filter(school_id=actor.school_id, pupil__is_active=True)
        .select_related("pupil", "approved_by__user")
        .order_by("arrangement", "pupil__last_name", "pupil__first_name", "pk")
    )


def arrangements_for(*, pupil: Pupil) -> QuerySet:
    return pupil.access_arrangements.select_related("approved_by__user")


def health_record(*, pupil: Pupil):
    """The healthcare plan with its required trainings, and the active medications with
    their last ten log entries each, in a fixed number of queries."""
    from students.models import HealthcarePlan, Medication, MedicationDose

    plan = (
        HealthcarePlan.objects.filter(pupil=pupil)
        .select_related("updated_by")
        .prefetch_related("required_trainings")
        .first()
    )
    medications = list(Medication.objects.filter(pupil=pupil, is_active=True))
    doses = (
        MedicationDose.objects.filter(medication__in=medications)
        .select_related("given_by__user", "witnessed_by__user")
        .order_by("-given_at")[:200]
    )
    recent: dict[int, list] = {m.pk: [] for m in medications}
    for dose in doses:
        if len(recent[dose.medication_id]) < 10:
            recent[dose.medication_id].append(dose)
    for medication in medications:
        medication.recent_doses = recent[medication.pk]
    return plan, medications


def medication_log(*, pupil: Pupil, pk: int):
    from students.models import Medication

    medication = get_object_or_404(Medication, pk=pk, pupil=pupil)
    doses = medication.doses.select_related("given_by__user", "witnessed_by__user")
    return medication, doses


def restricted_reads(*, pupil: Pupil):
    from students.models import RestrictedAccess

    return RestrictedAccess.objects.filter(pupil=pupil).select_related("user")


def care_record(*, pupil: Pupil, log_size: int = 50):
    """The personal care plan with its trainings, and the latest care log entries, in a
    fixed number of queries."""
    from students.models import CareLogEntry, CarePlan

    plan = (
        CarePlan.objects.filter(pupil=pupil)
        .select_related("updated_by")
        .prefetch_related("required_trainings")
        .first()
    )
    log = list(
        CareLogEntry.objects.filter(pupil=pupil).select_related(
            "given_by__user", "second_adult__user"
        )[:log_size]
    )
    return plan, log
