"""Reads of deployment, scoped to the acting staff member's school: my day and the
timetable grids."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from staffing.models import WEEKDAYS, Allocation, Period, StaffMember, Timetable
from students.models import Pupil, SenStatus


def timetable_of(school_id: int) -> Timetable | None:
    return Timetable.objects.filter(school_id=school_id).first()


def active_on(on: date) -> Q:
    return Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=on))


def _allocations(*, staff_filter: Q, on: date) -> QuerySet[Allocation]:
    """Allocations active on a date, with what each needs to be shown: the class (room,
    teacher), its pupils on the SEND register, the 1:1 pupil and the focus pupils."""
    register = Pupil.objects.exclude(sen_status=SenStatus.NONE).filter(is_active=True)
    return (
        Allocation.objects.filter(staff_filter)
        .filter(active_on(on))
        .select_related("period", "group__teacher__user", "pupil", "staff__user")
        .prefetch_related(
            Prefetch("focus_pupils", queryset=register.order_by("last_name")),
            Prefetch(
                "group__pupils",
                queryset=register.order_by("last_name"),
                to_attr="register_pupils",
            ),
        )
    )


@dataclass
class Slot:
    period: Period
    allocations: list[Allocation] = field(default_factory=list)
    covers: list[Allocation] = field(default_factory=list)  # colleagues' slots covered


@dataclass
class Day:
    on: date
    week: int | None
    slots: list[Slot]

    @property
    def is_school_day(self) -> bool:
        return self.week is not None and bool(self.slots)


def my_day(*, actor: StaffMember, on: date) -> Day:
    """The actor's day in period order: every period of that day of the cycle, with what
    they are allocated to in it (in a fixed number of queries)."""
    timetable = timetable_of(actor.school_id)
    if timetable is None or on.isoweekday() > 5:
        return Day(on=on, week=None, slots=[])
    week = timetable.week_of(on)
    periods = list(Period.objects.filter(school_id=actor.school_id, week=week, day=on.isoweekday()))
    by_period: dict[int, Slot] = {p.pk: Slot(p) for p in periods}
    for allocation in _allocations(staff_filter=Q(staff=actor), on=on).filter(period__in=periods):
        by_period[allocation.period_id].allocations.append(allocation)
    covered = _allocations(staff_filter=Q(covers__covered_by=actor, covers__on=on), on=on)
    for allocation in covered.filter(period__in=periods):
        by_period[allocation.period_id].covers.append(allocation)
    return Day(on=on, week=week, slots=list(by_period.values()))


def staff_grid(*, staff: StaffMember, on: date) -> list[tuple[int, list[tuple[str, list]]]]:
    """The whole cycle for one member of staff, as [(week, [(day, slots)])], with the
    allocations active on ``on``, in a fixed number of queries."""
    periods = list(Period.objects.filter(school_id=staff.school_id))
    slots = {p.pk: Slot(p) for p in periods}
    for allocation in _allocations(staff_filter=Q(staff=staff), on=on):
        slots[allocation.period_id].allocations.append(allocation)
    weeks = sorted({p.week for p in periods})
    return [
        (
            week,
            [
                (label, [slots[p.pk] for p in periods if p.week == week and p.day == day])
                for day, label in WEEKDAYS
            ],
        )
        for week in weeks
    ]


def deployable_staff(*, actor: StaffMember) -> QuerySet[StaffMember]:
    from staffing.deployment.services import DEPLOYABLE_ROLES

    return (
        StaffMember.objects.filter(
            school_id=actor.school_id, is_active=True, role__in=DEPLOYABLE_ROLES
        )
        .select_related("user", "faculty")
        .order_by("user__last_name", "user__first_name")
    )


def deployable_staff_get(*, actor: StaffMember, pk: int) -> StaffMember:
    return get_object_or_404(deployable_staff(actor=actor), pk=pk)


def allocation_get(*, actor: StaffMember, pk: int) -> Allocation:
    return get_object_or_404(
        Allocation.objects.filter(school_id=actor.school_id).select_related("staff", "period"),
        pk=pk,
    )


def absence_get(*, actor: StaffMember, pk: int):
    from staffing.models import StaffAbsence

    return get_object_or_404(
        StaffAbsence.objects.filter(school_id=actor.school_id).select_related("staff__user"),
        pk=pk,
    )


def cover_get(*, actor: StaffMember, pk: int):
    from staffing.models import Cover

    return get_object_or_404(Cover.objects.filter(school_id=actor.school_id), pk=pk)


# The seed's split of an FLS week: 85 % in class, 15 % liaison and planning, 5 % curriculum.
TARGET_SPLIT = {
    "FLS": {"IN_CLASS": 85, "LIAISON": 15, "CURRICULUM": 5},
}


@dataclass
class Workload:
    member: StaffMember
    by_kind: dict[str, int]
    total: int

    @property
    def contract(self) -> int | None:
        return self.member.contracted_periods

    @property
    def status(self) -> str:
        if not self.contract:
            return "No contract recorded"
        if self.total > self.contract:
            return f"Over by {self.total - self.contract}"
        if self.total < self.contract:
            return f"Under by {self.contract - self.total}"
        return "On contract"

    def split(self) -> list[tuple[str, int, int | None]]:
        """(kind, % of allocated periods, target %) for the role's target split."""
        target = TARGET_SPLIT.get(self.member.role, {})
        kinds = list(dict.fromkeys([*target, *self.by_kind]))
        return [
            (
                Allocation.Kind(kind).label,
                round(100 * self.by_kind.get(kind, 0) / self.total) if self.total else 0,
                target.get(kind),
            )
            for kind in kinds
        ]


def workloads(*, actor: StaffMember, on: date) -> list[Workload]:
    """Every deployed member of staff with their allocated periods by kind, counted in one
    aggregate query."""
    from django.db.models import Count

    counts: dict[int, dict[str, int]] = {}
    rows = (
        Allocation.objects.filter(school_id=actor.school_id)
        .filter(active_on(on))
        .values("staff_id", "kind")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts.setdefault(row["staff_id"], {})[row["kind"]] = row["n"]
    return [
        Workload(member, counts.get(member.pk, {}), sum(counts.get(member.pk, {}).values()))
        for member in deployable_staff(actor=actor)
    ]


@dataclass
class TaughtLesson:
    period: Period
    group: object
    support: list[Allocation] = field(default_factory=list)


def teaching_day(*, actor: StaffMember, on: date) -> list[TaughtLesson]:
    """A teacher's lessons that day with who supports them: in-class support of the class
    and 1:1s with its pupils (in a fixed number of queries)."""
    from staffing.models import Lesson

    timetable = timetable_of(actor.school_id)
    if timetable is None or on.isoweekday() > 5:
        return []
    lessons = list(
        Lesson.objects.filter(
            group__teacher=actor,
            group__is_active=True,
            period__week=timetable.week_of(on),
            period__day=on.isoweekday(),
        )
        .select_related("period", "group")
        .order_by("period__starts")
    )
    taught = {(x.group_id, x.period_id): TaughtLesson(x.period, x.group) for x in lessons}
    if not taught:
        return []
    periods = {x.period_id for x in lessons}
    groups = {x.group_id for x in lessons}
    support = (
        Allocation.objects.filter(period_id__in=periods)
        .filter(active_on(on))
        .filter(
            Q(kind=Allocation.Kind.IN_CLASS, group_id__in=groups)
            | Q(kind=Allocation.Kind.ONE_TO_ONE, pupil__teaching_groups__in=groups)
        )
        .select_related("staff__user", "pupil")
        .annotate(pupil_group=F("pupil__teaching_groups"))
        .distinct()
    )
    for allocation in support:
        group_id = allocation.group_id or allocation.pupil_group
        lesson = taught.get((group_id, allocation.period_id))
        if lesson is not None and allocation not in lesson.support:
            lesson.support.append(allocation)
    return list(taught.values())


@dataclass
class GridLesson:
    lesson_id: int
    group: object
    support: list[Allocation] = field(default_factory=list)


def faculty_grid(*, actor: StaffMember, faculty, on: date):
    """A faculty's lessons across the cycle, as [(week, [(day, [(period, lessons)])])],
    each lesson with the adults supporting it that date (in a fixed number of queries)."""
    from staffing.models import Lesson

    periods = list(
        Period.objects.filter(school_id=actor.school_id, kind=Period.Kind.LESSON).order_by(
            "week", "day", "starts"
        )
    )
    lessons = list(
        Lesson.objects.filter(group__faculty=faculty, group__is_active=True)
        .select_related("group__teacher__user")
        .order_by("group__name")
    )
    cells: dict[int, dict[int, GridLesson]] = {}
    for lesson in lessons:
        cells.setdefault(lesson.period_id, {})[lesson.group_id] = GridLesson(
            lesson.pk, lesson.group
        )
    groups = {x.group_id for x in lessons}
    support = (
        Allocation.objects.filter(period_id__in=cells)
        .filter(active_on(on))
        .filter(
            Q(kind=Allocation.Kind.IN_CLASS, group_id__in=groups)
            | Q(kind=Allocation.Kind.ONE_TO_ONE, pupil__teaching_groups__in=groups)
        )
        .select_related("staff__user", "pupil")
        .annotate(pupil_group=F("pupil__teaching_groups"))
    )
    for allocation in support:
        cell = cells.get(allocation.period_id, {}).get(
            allocation.group_id or allocation.pupil_group
        )
        if cell is not None and allocation not in cell.support:
            cell.support.append(allocation)
    weeks = sorted({p.week for p in periods})
    return [
        (
            week,
            [
                (
                    label,
                    [
                        (p, list(cells.get(p.pk, {}).values()))
                        for p in periods
                        if p.week == week and p.day == day
                    ],
                )
                for day, label in WEEKDAYS
            ],
        )
        for week in weeks
    ]
