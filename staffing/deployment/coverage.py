"""The SENDCo's coverage report: which lessons of each pupil on the SEND register have an
adult's support, the hours of support each EHC plan funds against the hours allocated, and
lessons with several pupils on the register and nobody to support them.

Everything is as of one date: the allocations in force that day. A pupil's lesson counts as
supported when, in that period, an adult is allocated in class to their class (for the whole
class, or with the pupil among its focus pupils) or 1:1 with the pupil. Counts are made in
SQL (a count over joins, a UNION of the supported pupil-period pairs, EXISTS tests), so each
report takes a fixed number of queries whatever the number of pupils, lessons and
allocations; only the few pupil-period pairs with support come back to Python.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet

from staffing.deployment.selectors import active_on, timetable_of
from staffing.models import (
    WEEKDAYS,
    Allocation,
    Lesson,
    Period,
    StaffMember,
    TeachingGroup,
    Timetable,
)
from students.models import EhcPlan, Pupil, SenStatus

REGISTER = [SenStatus.SUPPORT, SenStatus.EHCP]
TENTH = Decimal("0.1")
DAY_LABELS = [label for _day, label in WEEKDAYS]


def register_pupils(school_id: int) -> QuerySet[Pupil]:
    """Pupils on the SEND register (SEN support or EHC plan) who are at the school."""
    return Pupil.objects.filter(school_id=school_id, is_active=True, sen_status__in=REGISTER)


def _in_force(school_id: int, on: date) -> QuerySet[Allocation]:
    return Allocation.objects.filter(school_id=school_id).filter(active_on(on)).order_by()


def _plan_in_force(on: date) -> Q:
    return Q(date_issued__lte=on) & (Q(ceased_on__isnull=True) | Q(ceased_on__gt=on))


def minutes(period: Period) -> int:
    return (period.ends.hour - period.starts.hour) * 60 + period.ends.minute - period.starts.minute


def hours_a_week(total_minutes: int, weeks: int) -> Decimal:
    """A cycle's minutes as hours a week, to the tenth."""
    return (Decimal(total_minutes) / 60 / max(weeks, 1)).quantize(TENTH, rounding=ROUND_HALF_UP)


def _percent(part: int, whole: int) -> int | None:
    """A whole percentage, rounded half up; none when there is nothing to count."""
    return (part * 200 + whole) // (whole * 2) if whole else None


def supported_periods(
    *, school_id: int, on: date, pupil_ids: QuerySet, in_lessons: bool
) -> dict[int, set[int]]:
    """For each pupil of ``pupil_ids`` (a query of ids), the periods of the cycle in which
    an adult is allocated to them on ``on``: in-class support for them (the whole class, or
    them among the focus pupils) in a lesson of their class, or their 1:1 (with
    ``in_lessons``, only in periods when they have a lesson). A period counts once however
    many adults are there. One query: the UNION of two joins, distinct pairs only."""
    in_force = _in_force(school_id, on)
    one_to_one = in_force.filter(kind=Allocation.Kind.ONE_TO_ONE, pupil__in=pupil_ids)
    if in_lessons:
        one_to_one = one_to_one.filter(
            pupil__teaching_groups__is_active=True,
            pupil__teaching_groups__lessons__period=F("period"),
        )
    # One filter() call, so the class's pupils are one join: the pupil supported is the
    # class's pupil, and a focus pupil must be that pupil.
    in_class = in_force.filter(
        Q(focus_pupils__isnull=True) | Q(focus_pupils=F("group__pupils")),
        kind=Allocation.Kind.IN_CLASS,
        group__is_active=True,
        group__lessons__period=F("period"),
        group__pupils__in=pupil_ids,
    )
    pairs = one_to_one.values_list("pupil_id", "period_id").union(
        in_class.values_list("group__pupils", "period_id")
    )
    periods: dict[int, set[int]] = defaultdict(set)
    for pupil_id, period_id in pairs:
        periods[pupil_id].add(period_id)
    return periods


# --- per pupil: lessons with and without support -----------------------------------------


@dataclass(frozen=True)
class PupilFilters:
    q: str = ""
    year_group: int | None = None
    sen_status: str = ""
    ehcp_only: bool = False
    sort: str = "unsupported"


@dataclass(frozen=True)
class PupilCoverage:
    pupil: Pupil
    lessons: int
    supported: int

    @property
    def unsupported(self) -> int:
        return self.lessons - self.supported

    @property
    def percent(self) -> int | None:
        return _percent(self.supported, self.lessons)


PUPIL_SORTS = {
    "unsupported": lambda row: (-row.unsupported, row.pupil.last_name, row.pupil.first_name),
    "coverage": lambda row: (
        row.percent is None,
        row.percent or 0,
        row.pupil.last_name,
        row.pupil.first_name,
    ),
    "name": lambda row: (row.pupil.last_name, row.pupil.first_name),
}


def pupil_coverage(
    *, actor: StaffMember, on: date, filters: PupilFilters | None = None
) -> list[PupilCoverage]:
    """One row per pupil on the register of the actor's school (filtered): lessons a cycle
    in their classes, how many of them are supported, and from those the unsupported and
    the percentage, sorted as asked (the register of a school is a few hundred rows).
    Two queries: the pupils with a count of their lessons, and the supported pairs."""
    filters = filters or PupilFilters()
    school_id = actor.school_id
    pupils = register_pupils(school_id)
    if filters.sen_status in REGISTER:
        pupils = pupils.filter(sen_status=filters.sen_status)
    if filters.year_group is not None:
        pupils = pupils.filter(year_group=filters.year_group)
    if filters.ehcp_only:
        current = EhcPlan.objects.filter(_plan_in_force(on), school_id=school_id)
        pupils = pupils.filter(pk__in=current.values("pupil_id"))
    for word in filters.q.split()[:5]:
        pupils = pupils.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(preferred_name__icontains=word)
        )
    supported = supported_periods(
        school_id=school_id, on=on, pupil_ids=pupils.values("pk"), in_lessons=True
    )
    counted = pupils.annotate(
        lessons=Count("teaching_groups__lessons", filter=Q(teaching_groups__is_active=True))
    ).order_by()
    rows = [PupilCoverage(p, p.lessons, len(supported.get(p.pk, ()))) for p in counted]
    rows.sort(key=PUPIL_SORTS.get(filters.sort, PUPIL_SORTS["unsupported"]))
    return rows


# --- EHC plans: funded hours against hours allocated ---------------------------------------


@dataclass(frozen=True)
class HoursRow:
    pupil: Pupil
    funded: Decimal
    allocated: Decimal
    periods: int

    @property
    def gap(self) -> Decimal:
        """Funded minus allocated hours a week: positive is hours not covered, negative
        hours allocated beyond the plan."""
        return self.funded - self.allocated

    @property
    def over(self) -> Decimal:
        return -self.gap


def ehcp_hours_gap(*, actor: StaffMember, on: date) -> list[HoursRow]:
    """Each pupil with an EHC plan in force on ``on``: the hours of adult support a week the
    plan funds, the hours a week they have an adult allocated (the length of the periods
    of the cycle with their 1:1, in lessons or not, or in-class support for them, divided
    by the weeks of the cycle), and the gap. Largest gap first. Four queries: the
    timetable, the plans, the supported pairs and the lengths of the periods."""
    school_id = actor.school_id
    timetable = timetable_of(school_id)
    weeks = timetable.weeks if timetable else 1
    plans = (
        EhcPlan.objects.filter(_plan_in_force(on), school_id=school_id, pupil__is_active=True)
        .select_related("pupil")
        .order_by()
    )
    supported = supported_periods(
        school_id=school_id, on=on, pupil_ids=plans.values("pupil_id"), in_lessons=False
    )
    length = {p.pk: minutes(p) for p in Period.objects.filter(school_id=school_id)}
    rows = [
        HoursRow(
            pupil=plan.pupil,
            funded=plan.funded_hours_per_week,
            allocated=hours_a_week(
                sum(length[pk] for pk in supported.get(plan.pupil_id, ())), weeks
            ),
            periods=len(supported.get(plan.pupil_id, ())),
        )
        for plan in plans
    ]
    rows.sort(key=lambda row: (-row.gap, row.pupil.last_name, row.pupil.first_name))
    return rows


# --- lessons with several pupils on the register and no adult ------------------------------


def unsupported_high_need_lessons(
    *, actor: StaffMember, on: date, min_pupils: int = 3
) -> QuerySet[Lesson]:
    """Lessons of the cycle of classes with at least ``min_pupils`` pupils on the register
    (SEN support or EHC plan, each counted once) with, in that period, no in-class support
    for the class and no 1:1 with any of its pupils, in timetable order. The class's
    ``register_pupils`` lists them. A page takes three queries (count, lessons, pupils)."""
    school_id = actor.school_id
    # Classes are counted once each (not once per lesson), over their register pupils only.
    crowded = (
        TeachingGroup.objects.filter(
            school_id=school_id,
            is_active=True,
            pupils__is_active=True,
            pupils__sen_status__in=REGISTER,
        )
        .values("pk")
        .annotate(on_register=Count("pupils"))
        .filter(on_register__gte=min_pupils)
        .values("pk")
    )
    in_period = _in_force(school_id, on).filter(period=OuterRef("period"))
    in_class = in_period.filter(kind=Allocation.Kind.IN_CLASS, group=OuterRef("group"))
    one_to_one = in_period.filter(
        kind=Allocation.Kind.ONE_TO_ONE, pupil__teaching_groups=OuterRef("group")
    )
    return (
        Lesson.objects.filter(school_id=school_id, group__in=crowded)
        .filter(~Exists(in_class), ~Exists(one_to_one))
        .select_related("period", "group__teacher__user")
        .prefetch_related(
            Prefetch(
                "group__pupils",
                queryset=register_pupils(school_id).order_by("last_name", "first_name"),
                to_attr="register_pupils",
            ),
        )
        .order_by("period__week", "period__day", "period__starts", "group__name", "pk")
    )


# --- one pupil's cycle, lesson by lesson -----------------------------------------------------


@dataclass
class PupilSlot:
    period: Period
    lessons: list[Lesson] = field(default_factory=list)
    support: list[Allocation] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return minutes(self.period)


@dataclass
class PupilWeekRow:
    name: str
    cells: list[PupilSlot | None]


@dataclass
class PupilWeek:
    pupil: Pupil
    on: date
    timetable: Timetable | None
    weeks: list[tuple[int, list[PupilWeekRow]]]
    lessons: int
    supported: int
    hours_a_week: Decimal
    plan: EhcPlan | None

    @property
    def unsupported(self) -> int:
        return self.lessons - self.supported

    @property
    def percent(self) -> int | None:
        return _percent(self.supported, self.lessons)

    @property
    def gap(self) -> Decimal | None:
        return None if self.plan is None else self.plan.funded_hours_per_week - self.hours_a_week

    @property
    def over(self) -> Decimal | None:
        return None if self.gap is None else -self.gap


def pupil_week(*, actor: StaffMember, pupil: Pupil, on: date) -> PupilWeek:
    """One pupil's cycle as a grid per week (a row per period, a column per day), with their
    lessons and the adults supporting them in each (allocations in force on ``on``), and the
    totals the coverage report shows for them. Five queries: the timetable, the plan, the
    periods, the pupil's lessons and the allocations supporting them."""
    school_id = actor.school_id
    timetable = timetable_of(school_id)
    plan = EhcPlan.objects.filter(_plan_in_force(on), pupil=pupil).first()
    periods = list(Period.objects.filter(school_id=school_id))
    slots = {period.pk: PupilSlot(period) for period in periods}
    lessons_of_pupil = Lesson.objects.filter(
        school_id=school_id, group__is_active=True, group__pupils=pupil
    ).select_related("group__teacher__user")
    for lesson in lessons_of_pupil:
        slots[lesson.period_id].lessons.append(lesson)
    support = (
        _in_force(school_id, on)
        .filter(
            Q(kind=Allocation.Kind.ONE_TO_ONE, pupil=pupil)
            | Q(
                Q(focus_pupils__isnull=True) | Q(focus_pupils=pupil),
                kind=Allocation.Kind.IN_CLASS,
                group__is_active=True,
                group__pupils=pupil,
                group__lessons__period=F("period"),
            )
        )
        .select_related("staff__user", "group")
        .distinct()
        .order_by("staff__user__last_name", "pk")
    )
    for allocation in support:
        slots[allocation.period_id].support.append(allocation)

    lessons = sum(len(slot.lessons) for slot in slots.values())
    supported = sum(len(slot.lessons) for slot in slots.values() if slot.support)
    total_minutes = sum(slot.minutes for slot in slots.values() if slot.support)
    weeks = timetable.weeks if timetable else 1
    grid = []
    for week in sorted({p.week for p in periods}):
        in_week = [p for p in periods if p.week == week]
        names = list(dict.fromkeys(p.name for p in sorted(in_week, key=lambda p: p.starts)))
        by_place = {(p.name, p.day): slots[p.pk] for p in in_week}
        rows = [
            PupilWeekRow(name, [by_place.get((name, day)) for day in range(1, 6)]) for name in names
        ]
        grid.append((week, rows))
    return PupilWeek(
        pupil=pupil,
        on=on,
        timetable=timetable,
        weeks=grid,
        lessons=lessons,
        supported=supported,
        hours_a_week=hours_a_week(total_minutes, weeks),
        plan=plan,
    )
