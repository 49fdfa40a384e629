"""The demo timetable and deployment: a two-week cycle of six lessons a day with the slots
outside lessons, classes for every year group in every faculty, and the seed's staffing
structure placed on it (FLS in their faculty's lessons, 1:1 assistants with their pupils,
HLTAs running interventions), leaving a few realistic gaps. Deterministic for a seed."""

import random
from datetime import date, time, timedelta

from staffing.demo import FACULTIES, demo_email
from staffing.deployment.services import school_links_sync, support_links_sync
from staffing.models import (
    Allocation,
    Faculty,
    Lesson,
    Period,
    Role,
    School,
    StaffMember,
    TeachingGroup,
    Timetable,
)
from students.models import Pupil, SenStatus

DAY_PLAN = [
    ("Before school", Period.Kind.BEFORE_SCHOOL, time(8, 0), time(8, 40)),
    ("P1", Period.Kind.LESSON, time(8, 45), time(9, 35)),
    ("P2", Period.Kind.LESSON, time(9, 35), time(10, 25)),
    ("Break", Period.Kind.BREAK, time(10, 25), time(10, 45)),
    ("P3", Period.Kind.LESSON, time(10, 45), time(11, 35)),
    ("P4", Period.Kind.LESSON, time(11, 35), time(12, 25)),
    ("Lunch", Period.Kind.LUNCH, time(12, 25), time(13, 10)),
    ("P5", Period.Kind.LESSON, time(13, 10), time(14, 0)),
    ("P6", Period.Kind.LESSON, time(14, 0), time(14, 50)),
    ("After school", Period.Kind.AFTER_SCHOOL, time(15, 0), time(16, 0)),
]
# Lessons a week per faculty for each year group: 30, six a day.
LESSONS_A_WEEK = {
    "English": 5,
    "Maths": 5,
    "Science": 5,
    "Humanities": 4,
    "Languages": 3,
    "Creative Arts": 3,
    "Technology": 3,
    "PE": 2,
}
SUBJECT = {"Humanities": "History", "Creative Arts": "Art", "Technology": "Design technology"}
CLASS_SIZE = 28
# Periods a two-week cycle (the seed: an FLS week of 30 periods).
CONTRACT = {Role.FLS: 60, Role.HLTA: 60, Role.ONE_TO_ONE: 60, Role.PSO: 40}
INTERVENTIONS = ["Phonics catch-up", "Precision teaching", "Number sense", "Paired reading"]


def seed_school_deployment(*, school: School, seed: int, index: int) -> None:
    """Build the timetable and deployment of a school that has none."""
    if Timetable.objects.filter(school=school).exists():
        return
    rng = random.Random(seed * 4099 + index)
    today = date.today()
    monday = today - timedelta(days=today.weekday())
    starts_on = monday - timedelta(days=28)
    Timetable.objects.create(school=school, weeks=2, week_one_starts=monday)
    Period.objects.bulk_create(
        Period(school=school, week=week, day=day, name=name, kind=kind, starts=s, ends=e)
        for week in (1, 2)
        for day in range(1, 6)
        for name, kind, s, e in DAY_PLAN
    )
    periods = list(Period.objects.filter(school=school))
    lesson_slots = [p for p in periods if p.kind == Period.Kind.LESSON]
    staff = list(StaffMember.objects.filter(school=school, is_active=True).select_related("user"))
    for member in staff:
        member.contracted_periods = CONTRACT.get(member.role)
    StaffMember.objects.bulk_update(staff, ["contracted_periods"])
    by_role = {role: [m for m in staff if m.role == role] for role in Role}
    for members in by_role.values():
        members.sort(key=lambda m: m.user.email != demo_email(m.role, school.slug))
    faculties = {f.name: f for f in Faculty.objects.filter(school=school)}
    teachers = {
        name: [m for m in by_role[Role.TEACHER] if m.faculty_id == faculty.pk]
        or by_role[Role.TEACHER]
        for name, faculty in faculties.items()
    }

    groups, memberships, lessons = _classes(school, faculties, teachers, lesson_slots, rng)
    _deploy(school, by_role, faculties, groups, memberships, lessons, periods, starts_on, rng)
    school_links_sync(school_id=school.pk)  # teachers see their classes' passports
    _absences(school, by_role, today)


def _absences(school, by_role, today):
    """A morning's absences for the SENDCo to cover: an FLS off sick today and a 1:1
    assistant at an appointment until lunch tomorrow (both uncovered)."""
    from staffing.models import StaffAbsence

    sendco = (by_role[Role.SENDCO] or [None])[0]
    day = today
    while day.isoweekday() > 5:
        day += timedelta(days=1)
    tomorrow = day + timedelta(days=3 if day.isoweekday() == 5 else 1)
    if by_role[Role.FLS]:
        StaffAbsence.objects.create(
            school=school, staff=by_role[Role.FLS][-1], starts_on=day, ends_on=day,
            reason=StaffAbsence.Reason.ILLNESS, recorded_by=sendco,
        )  # fmt: skip
    if by_role[Role.ONE_TO_ONE]:
        StaffAbsence.objects.create(
            school=school, staff=by_role[Role.ONE_TO_ONE][-1], starts_on=tomorrow,
            ends_on=tomorrow, from_time=time(8, 0), to_time=time(12, 25),
            reason=StaffAbsence.Reason.APPOINTMENT, note="Hospital appointment",
            recorded_by=sendco,
        )  # fmt: skip


def _classes(school, faculties, teachers, lesson_slots, rng):
    """Each year group split into classes of about 28, taught together ("blocked") in each
    faculty's lessons, placed on a shuffled pattern per year group and week."""
    pupils = list(Pupil.objects.filter(school=school, is_active=True).order_by("pk"))
    by_year: dict[int, list[Pupil]] = {}
    for pupil in pupils:
        by_year.setdefault(pupil.year_group, []).append(pupil)
    groups, memberships, lesson_rows = [], [], []
    for year, members in sorted(by_year.items()):
        halves = max(1, round(len(members) / CLASS_SIZE))
        sets = [members[i::halves] for i in range(halves)]
        pattern = {}
        for week in (1, 2):
            subjects = [n for n, count in LESSONS_A_WEEK.items() for _ in range(count)]
            rng.shuffle(subjects)
            slots = [p for p in lesson_slots if p.week == week]
            pattern.update(
                {slot.pk: subject for slot, subject in zip(slots, subjects, strict=True)}
            )
        for name in FACULTIES:
            if name not in faculties:
                continue
            for number, pupils_in_set in enumerate(sets, start=1):
                group = TeachingGroup(
                    school=school,
                    name=f"{year}{'XYZW'[number - 1 if number <= 4 else 3]}/{name[:3]}{number}",
                    subject=SUBJECT.get(name, name),
                    faculty=faculties[name],
                    teacher=rng.choice(teachers[name]) if teachers[name] else None,
                    room=f"{name[0]}{rng.randrange(1, 20)}",
                )
                groups.append(group)
                memberships.append((group, pupils_in_set))
                lesson_rows.append((group, [p for p in lesson_slots if pattern.get(p.pk) == name]))
    TeachingGroup.objects.bulk_create(groups)
    through = TeachingGroup.pupils.through
    through.objects.bulk_create(
        through(teachinggroup_id=g.pk, pupil_id=p.pk) for g, members in memberships for p in members
    )
    Lesson.objects.bulk_create(
        Lesson(school=school, group=g, period=p) for g, slots in lesson_rows for p in slots
    )
    lessons: dict[int, list[TeachingGroup]] = {}
    for group, slots in lesson_rows:
        for slot in slots:
            lessons.setdefault(slot.pk, []).append(group)
    return groups, {g.pk: members for g, members in memberships}, lessons


def _deploy(school, by_role, faculties, groups, memberships, lessons, periods, starts_on, rng):
    register = set(
        Pupil.objects.filter(school=school)
        .exclude(sen_status=SenStatus.NONE)
        .values_list("pk", flat=True)
    )
    need = {g.pk: sum(1 for p in memberships[g.pk] if p.pk in register) for g in groups}
    rows: list[Allocation] = []
    busy: set[tuple[int, int]] = set()

    def add(member, period, kind, **extra):
        if (member.pk, period.pk) in busy:
            return False
        busy.add((member.pk, period.pk))
        rows.append(
            Allocation(
                school=school, staff=member, period=period, kind=kind, starts_on=starts_on,
                **extra,
            )
        )  # fmt: skip
        return True

    lesson_periods = [p for p in periods if p.kind == Period.Kind.LESSON]
    # 1:1 assistants: with a pupil on an EHC plan they are linked to, in all their lessons
    # but a few (the gaps a SENDCo has to fill), and lunch duty.
    # Each 1:1 assistant works with one pupil with an EHC plan, the first (who has a care
    # plan) with the demo 1:1 login.
    ehcp = list(
        Pupil.objects.filter(school=school, sen_status=SenStatus.EHCP, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    links = {
        member.pk: ehcp[n % len(ehcp)] for n, member in enumerate(by_role[Role.ONE_TO_ONE]) if ehcp
    }
    taken: set[tuple[int, int]] = set()
    for member in by_role[Role.ONE_TO_ONE]:
        pupil_id = links.get(member.pk)
        if pupil_id is None:
            continue
        for period in lesson_periods:
            if rng.random() < 0.1 or (pupil_id, period.pk) in taken:
                continue
            taken.add((pupil_id, period.pk))
            add(member, period, Allocation.Kind.ONE_TO_ONE, pupil_id=pupil_id)
        for period in periods:
            if period.kind == Period.Kind.LUNCH and period.day in (2, 4):
                add(member, period, Allocation.Kind.DUTY, note="Lunch club")
    # FLS: in-class support in their faculty's lessons with the most pupils on the register
    # (about 85 % of 60), then liaison and planning (15 %) and curriculum time (5 %).
    for member in by_role[Role.FLS]:
        faculty_id = member.faculty_id
        options = [
            (need[g.pk], rng.random(), period, g)
            for period in lesson_periods
            for g in lessons.get(period.pk, [])
            if g.faculty_id == faculty_id and need[g.pk]
        ]
        options.sort(key=lambda o: (-o[0], o[1]))
        placed = 0
        for _need, _r, period, group in options:
            if placed >= 50:
                break
            if add(member, period, Allocation.Kind.IN_CLASS, group=group):
                placed += 1
        free = [p for p in lesson_periods if (member.pk, p.pk) not in busy]
        rng.shuffle(free)
        for period in free[:8]:
            add(member, period, Allocation.Kind.LIAISON)
        for period in free[8:10]:
            add(member, period, Allocation.Kind.CURRICULUM)
    # HLTAs: intervention groups at the start of the day and after lunch, and liaison.
    for n, member in enumerate(by_role[Role.HLTA]):
        for period in periods:
            if period.name in ("P1", "P5") and period.day != 5:
                add(
                    member, period, Allocation.Kind.INTERVENTION,
                    note=INTERVENTIONS[(n * 2 + period.day) % len(INTERVENTIONS)],
                )  # fmt: skip
            elif period.kind == Period.Kind.AFTER_SCHOOL and period.day == 3:
                add(member, period, Allocation.Kind.INTERVENTION, note="Homework club")
            elif period.name == "P6" and period.day in (1, 3):
                add(member, period, Allocation.Kind.LIAISON)
    Allocation.objects.bulk_create(rows, batch_size=1000)
    for members in by_role.values():
        for member in members:
            if any(a.staff_id == member.pk for a in rows):
                support_links_sync(staff=member)
