"""Reads of the pupil record, scoped to the acting staff member's school and, for
assistants and teachers, to the pupils linked to them."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import (
    Avg,
    Case,
    Count,
    DateField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, Least
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


def liaison_log(*, pupil: Pupil) -> QuerySet:
    """The pupil's liaison entries, newest first, with who, by whom and their actions."""
    from students.models import LiaisonAction, LiaisonEntry

    return (
        LiaisonEntry.objects.filter(pupil=pupil)
        .select_related("contact", "agency", "recorded_by__user")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=LiaisonAction.objects.select_related("owner__user", "done_by__user"),
            )
        )
    )


def pupil_contacts(*, pupil: Pupil) -> QuerySet:
    return pupil.contacts.all()


def agencies(*, actor: StaffMember, active_only: bool = False) -> QuerySet:
    from students.models import Agency

    rows = Agency.objects.filter(school_id=actor.school_id)
    return rows.filter(is_active=True) if active_only else rows


def agency_get(*, actor: StaffMember, pk: int):
    return get_object_or_404(agencies(actor=actor), pk=pk)


def open_actions(*, actor: StaffMember, everyone: bool = False) -> QuerySet:
    """Follow-up actions not yet done: the actor's own, or (for SEN leads) everyone's in
    the school, soonest due first."""
    from students.models import LiaisonAction

    actions = LiaisonAction.objects.filter(school_id=actor.school_id, done_on__isnull=True)
    if not (everyone and actor.role in {Role.SENDCO, Role.PSO}):
        actions = actions.filter(owner=actor)
    return actions.select_related("entry__pupil", "owner__user").order_by("due_on", "pk")


def action_get(*, actor: StaffMember, pk: int):
    """An action the actor may tick off: their own, or any in the school for SEN leads."""
    from students.models import LiaisonAction

    actions = LiaisonAction.objects.filter(school_id=actor.school_id)
    if actor.role not in {Role.SENDCO, Role.PSO}:
        actions = actions.filter(owner=actor)
    return get_object_or_404(actions, pk=pk)


# --- behaviour and regulation (restricted) ----------------------------------------------

# There is no timetable yet (a later issue adds periods), so the "period" axis of the pattern
# heat map is the hour of the school day: one column per hour from 8:00 to 16:00 (the hour
# starting then), one for anything earlier and one for anything later.
SCHOOL_DAY_FIRST_HOUR, SCHOOL_DAY_LAST_HOUR = 8, 16
BEFORE_SCHOOL_SLOT, AFTER_SCHOOL_SLOT = SCHOOL_DAY_FIRST_HOUR - 1, SCHOOL_DAY_LAST_HOUR + 1
# List bullets people type or paste at the start of a passport line: hyphen, asterisk,
# bullet, middle dot, en and em dash.
BULLETS = "-*\u2022\u00b7\u2013\u2014"
HEAT_LEVELS = 4  # shading classes heat-1 … heat-4; heat-0 is an empty cell
ISO_WEEKDAYS = {
    1: "Monday",
    2: "Tuesday",
    3: "Wednesday",
    4: "Thursday",
    5: "Friday",
    6: "Saturday",
    7: "Sunday",
}


def behaviour_incidents(*, pupil: Pupil) -> QuerySet:
    """The pupil's behaviour and regulation log, newest first, with who logged each entry
    (the pupil is already one the actor may open)."""
    from students.models import BehaviourIncident

    return (
        BehaviourIncident.objects.filter(school_id=pupil.school_id, pupil=pupil)
        .select_related("recorded_by__user")
        .order_by("-occurred_at", "-pk")
    )


def passport_strategies(*, pupil: Pupil) -> list[str]:
    """The pupil's own regulation strategies: the non-empty lines of the passport's "How to
    help me regulate", without list bullets, in the passport's order."""
    from students.models import Passport

    text = (
        Passport.objects.filter(pupil=pupil).values_list("regulation_strategies", flat=True).first()
    )
    strategies: list[str] = []
    for line in (text or "").splitlines():
        strategy = line.strip().lstrip(BULLETS).strip()
        if strategy and strategy not in strategies:
            strategies.append(strategy)
    return strategies


@dataclass(frozen=True)
class HeatCell:
    count: int
    level: int  # 0 (none) … HEAT_LEVELS (the busiest cell), for shading only


@dataclass(frozen=True)
class HeatRow:
    weekday: int
    label: str
    cells: list[HeatCell]
    total: int


@dataclass(frozen=True)
class StrategyOutcome:
    strategy: str
    used: int
    helped: int
    partly: int
    not_helped: int

    @property
    def not_recorded(self) -> int:
        return self.used - self.helped - self.partly - self.not_helped


@dataclass(frozen=True)
class BehaviourPattern:
    """When, where and why a pupil's incidents cluster, and which strategies helped."""

    total: int
    mean_intensity: float | None
    physical_interventions: int
    slots: list[tuple[int, str]]  # heat map columns: (slot, heading)
    heatmap: list[HeatRow]  # Monday to Friday, and the weekend when anything happened then
    by_setting: list[tuple[str, str, int]]  # (code, label, count), most first
    by_trigger: list[tuple[str, str, int]]
    strategies: list[StrategyOutcome]  # most often helped first


def _heat_level(count: int, busiest: int) -> int:
    return 0 if count == 0 else max(1, -(-count * HEAT_LEVELS // busiest))


def behaviour_pattern(*, pupil: Pupil, since: datetime | None) -> BehaviourPattern:
    """Aggregates of the pupil's incidents since ``since`` (all when None), each computed in
    SQL: five queries whatever the number of incidents. Weekday and hour are taken in the
    school's time zone (TIME_ZONE, Europe/London: Django converts in SQL when USE_TZ)."""
    from students.models import BehaviourIncident, BehaviourSetting, Trigger

    incidents = BehaviourIncident.objects.filter(school_id=pupil.school_id, pupil=pupil)
    if since is not None:
        incidents = incidents.filter(occurred_at__gte=since)
    incidents = incidents.order_by()

    summary = incidents.aggregate(
        total=Count("pk"),
        mean_intensity=Avg("intensity"),
        physical_interventions=Count("pk", filter=Q(physical_intervention=True)),
    )

    by_slot = (
        incidents.annotate(
            weekday=ExtractIsoWeekDay("occurred_at"), hour=ExtractHour("occurred_at")
        )
        .annotate(
            slot=Case(
                When(hour__lt=SCHOOL_DAY_FIRST_HOUR, then=Value(BEFORE_SCHOOL_SLOT)),
                When(hour__gt=SCHOOL_DAY_LAST_HOUR, then=Value(AFTER_SCHOOL_SLOT)),
                default=F("hour"),
                output_field=IntegerField(),
            )
        )
        .values("weekday", "slot")
        .annotate(count=Count("pk"))
    )
    counts = {(row["weekday"], row["slot"]): row["count"] for row in by_slot}
    slots = [(BEFORE_SCHOOL_SLOT, f"Before {SCHOOL_DAY_FIRST_HOUR}:00")]
    slots += [(h, f"{h}:00") for h in range(SCHOOL_DAY_FIRST_HOUR, SCHOOL_DAY_LAST_HOUR + 1)]
    slots.append((AFTER_SCHOOL_SLOT, f"From {AFTER_SCHOOL_SLOT}:00"))
    busiest = max(counts.values(), default=0)
    heatmap = []
    for weekday, label in ISO_WEEKDAYS.items():
        row = [counts.get((weekday, slot), 0) for slot, _ in slots]
        if weekday > 5 and not any(row):
            continue  # weekends only when something happened then (a trip, a residential)
        cells = [HeatCell(count=n, level=_heat_level(n, busiest)) for n in row]
        heatmap.append(HeatRow(weekday=weekday, label=label, cells=cells, total=sum(row)))

    def counted(field: str, choices) -> list[tuple[str, str, int]]:
        rows = incidents.values(field).annotate(count=Count("pk")).order_by("-count", field)
        return [(r[field], choices(r[field]).label, r["count"]) for r in rows]

    strategy_rows = (
        incidents.exclude(strategy="")
        .values("strategy")
        .annotate(
            used=Count("pk"),
            helped=Count("pk", filter=Q(strategy_helped=BehaviourIncident.Helped.YES)),
            partly=Count("pk", filter=Q(strategy_helped=BehaviourIncident.Helped.PARTLY)),
            not_helped=Count("pk", filter=Q(strategy_helped=BehaviourIncident.Helped.NO)),
        )
        .order_by("-helped", "-partly", "-used", "strategy")
    )
    mean = summary["mean_intensity"]
    return BehaviourPattern(
        total=summary["total"],
        mean_intensity=round(mean, 1) if mean is not None else None,
        physical_interventions=summary["physical_interventions"],
        slots=slots,
        heatmap=heatmap,
        by_setting=counted("setting", BehaviourSetting),
        by_trigger=counted("trigger", Trigger),
        strategies=[StrategyOutcome(**row) for row in strategy_rows],
    )


def case_studies_for(*, pupil: Pupil) -> QuerySet:
    return pupil.case_studies.select_related("written_by__user", "agreed_by__user")
