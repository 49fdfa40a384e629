"""Absence and cover: record who is away, see the slots and pupils it leaves without their
adult, get ranked suggestions of who is free, and assign cover in one click. The person
covering is linked to the pupils for that day (source: cover) so they can open passports."""

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q

from cpd.models import TrainingRecord
from staffing.deployment.selectors import timetable_of
from staffing.deployment.services import DEPLOYABLE_ROLES, required_trainings_for
from staffing.models import Allocation, Cover, Period, StaffAbsence, StaffMember
from students.models import StaffPupilLink

MAX_ABSENCE_DAYS = 60


def school_days(starts_on: date, ends_on: date) -> list[date]:
    days, day = [], starts_on
    while day <= ends_on:
        if day.isoweekday() <= 5:
            days.append(day)
        day += timedelta(days=1)
    return days


# --- writes ------------------------------------------------------------------------------


@transaction.atomic
def absence_record(
    *,
    actor: StaffMember,
    staff: StaffMember,
    starts_on: date,
    ends_on: date,
    reason: str,
    from_time: time | None = None,
    to_time: time | None = None,
    note: str = "",
) -> StaffAbsence:
    """Record that someone is away; their allocations in that time then need cover."""
    if staff.school_id != actor.school_id:
        raise ValidationError("That person works in another school.")
    if (ends_on - starts_on).days > MAX_ABSENCE_DAYS:
        raise ValidationError(
            {"ends_on": f"Record absences of up to {MAX_ABSENCE_DAYS} days at a time."}
        )
    clash = StaffAbsence.objects.filter(
        staff=staff, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).first()
    if clash is not None and (clash.from_time is None or from_time is None):
        raise ValidationError(
            f"{staff.user.full_name} is already recorded as away from "
            f"{clash.starts_on:%d/%m/%Y} to {clash.ends_on:%d/%m/%Y}."
        )
    absence = StaffAbsence(
        school_id=actor.school_id,
        staff=staff,
        starts_on=starts_on,
        ends_on=ends_on,
        from_time=from_time,
        to_time=to_time,
        reason=reason,
        note=note.strip(),
        recorded_by=actor,
    )
    absence.full_clean()
    absence.save()
    return absence


@transaction.atomic
def cover_assign(
    *,
    actor: StaffMember,
    absence: StaffAbsence,
    allocation: Allocation,
    on: date,
    covered_by: StaffMember,
) -> Cover:
    """Give an absent colleague's slot on one date to someone free then. Refused with the
    reason if they are away, busy, already covering, or lack a 1:1 pupil's care training."""
    for obj in (absence, allocation, covered_by):
        if obj.school_id != actor.school_id:
            raise ValidationError("That record belongs to another school.")
    if allocation.staff_id != absence.staff_id or not (absence.starts_on <= on <= absence.ends_on):
        raise ValidationError("That slot is not one the absence leaves without its adult.")
    if covered_by.pk == absence.staff_id:
        raise ValidationError("Someone else must cover.")
    if not covered_by.is_active or covered_by.role not in DEPLOYABLE_ROLES:
        raise ValidationError(f"{covered_by.user.full_name} is not deployed on the timetable.")
    plan = CoverPlan.build(absence=absence, only=(allocation.pk, on))
    slot = next(iter(plan.slots), None)
    if slot is None:
        raise ValidationError("That slot is not one the absence leaves without its adult.")
    if slot.cover is not None:
        raise ValidationError(f"{slot.cover.covered_by.user.full_name} already covers it.")
    reason = plan.unavailable(covered_by.pk, slot)
    if reason:
        raise ValidationError(f"{covered_by.user.full_name} {reason}.")
    if allocation.pupil_id:
        held = set(
            TrainingRecord.objects.filter(
                Q(expires_on__isnull=True) | Q(expires_on__gte=on),
                staff=covered_by,
                completed_on__lte=on,
            ).values_list("training_type_id", flat=True)
        )
        missing = [t for t in required_trainings_for(allocation.pupil) if t.pk not in held]
        if missing:
            raise ValidationError(
                f"{covered_by.user.full_name} does not hold the training "
                f"{allocation.pupil.full_name}'s care needs: "
                + ", ".join(t.name for t in missing)
                + "."
            )
    cover = Cover(
        school_id=actor.school_id,
        absence=absence,
        allocation=allocation,
        on=on,
        covered_by=covered_by,
        assigned_by=actor,
    )
    cover.full_clean()
    cover.save()
    _link_for_the_day(covered_by, slot.pupil_ids, on)
    return cover


def _link_for_the_day(member: StaffMember, pupil_ids, on: date) -> None:
    for pupil_id in pupil_ids:
        link, created = StaffPupilLink.objects.get_or_create(
            staff=member,
            pupil_id=pupil_id,
            source=StaffPupilLink.Source.COVER,
            defaults={"school_id": member.school_id, "valid_until": on},
        )
        if not created and (link.valid_until or on) < on:
            link.valid_until = on
            link.save(update_fields=["valid_until"])


@transaction.atomic
def cover_remove(*, actor: StaffMember, cover: Cover) -> None:
    if cover.school_id != actor.school_id:
        raise ValidationError("That record belongs to another school.")
    cover.delete()


# --- reads -------------------------------------------------------------------------------


@dataclass
class Suggestion:
    member: StaffMember
    score: int
    reasons: list[str]


@dataclass
class CoverSlot:
    on: date
    allocation: Allocation
    pupil_ids: list[int]
    cover: Cover | None = None
    suggestions: list[Suggestion] = field(default_factory=list)


@dataclass
class CoverPlan:
    """The slots an absence leaves, each with its cover or ranked suggestions, built in a
    fixed number of queries however many days, slots and staff there are."""

    absence: StaffAbsence
    slots: list[CoverSlot]
    busy: dict
    absent: dict
    candidates: dict

    @classmethod
    def build(cls, *, absence: StaffAbsence, only: tuple[int, date] | None = None):
        timetable = timetable_of(absence.school_id)
        days = school_days(absence.starts_on, absence.ends_on)
        if only is not None:
            days = [d for d in days if d == only[1]]
        if timetable is None or not days:
            return cls(absence, [], {}, {}, {})
        allocations = list(
            Allocation.objects.filter(staff_id=absence.staff_id)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=days[0]), starts_on__lte=days[-1])
            .select_related("period", "group__faculty", "pupil")
            .prefetch_related("focus_pupils", "group__pupils")
        )
        if only is not None:
            allocations = [a for a in allocations if a.pk == only[0]]
        covers = {
            (c.allocation_id, c.on): c
            for c in Cover.objects.filter(absence=absence).select_related("covered_by__user")
        }
        slots = []
        for day in days:
            week = timetable.week_of(day)
            for a in allocations:
                period = a.period
                if (period.week, period.day) != (week, day.isoweekday()):
                    continue
                if not (a.starts_on <= day and (a.ends_on is None or a.ends_on >= day)):
                    continue
                if not absence.covers_period(period):
                    continue
                slots.append(CoverSlot(day, a, _pupils_of(a), covers.get((a.pk, day))))
        slots.sort(key=lambda s: (s.on, s.allocation.period.starts))
        plan = cls(absence, slots, {}, {}, {})
        plan._rank(days, timetable)
        return plan

    def _rank(self, days, timetable) -> None:
        absence = self.absence
        candidates = {
            m.pk: m
            for m in StaffMember.objects.filter(
                school_id=absence.school_id, is_active=True, role__in=DEPLOYABLE_ROLES
            )
            .exclude(pk=absence.staff_id)
            .select_related("user", "faculty")
            .annotate(
                load=Count(
                    "allocations",
                    filter=Q(allocations__starts_on__lte=days[0])
                    & (Q(allocations__ends_on__isnull=True) | Q(allocations__ends_on__gte=days[0])),
                )
            )
        }
        self.candidates = candidates
        # What each candidate is doing on those days: their allocations, the cover they
        # have been given, and their own absences.
        busy: dict[tuple[int, date], list[Period]] = {}
        for a in (
            Allocation.objects.filter(staff_id__in=candidates)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=days[0]), starts_on__lte=days[-1])
            .select_related("period")
        ):
            for day in days:
                if (
                    (a.period.week, a.period.day) == (timetable.week_of(day), day.isoweekday())
                    and a.starts_on <= day
                    and (a.ends_on is None or a.ends_on >= day)
                ):
                    busy.setdefault((a.staff_id, day), []).append(a.period)
        for c in Cover.objects.filter(
            covered_by_id__in=candidates, on__gte=days[0], on__lte=days[-1]
        ).select_related("allocation__period"):
            busy.setdefault((c.covered_by_id, c.on), []).append(c.allocation.period)
        absent: dict[int, list[StaffAbsence]] = {}
        for other in StaffAbsence.objects.filter(
            staff_id__in=candidates, starts_on__lte=days[-1], ends_on__gte=days[0]
        ):
            absent.setdefault(other.staff_id, []).append(other)
        self.busy, self.absent = busy, absent
        pupil_ids = {p for s in self.slots for p in s.pupil_ids}
        knows: dict[int, set[int]] = {}
        for staff_id, pupil_id in StaffPupilLink.objects.filter(
            staff_id__in=candidates, pupil_id__in=pupil_ids
        ).values_list("staff_id", "pupil_id"):
            knows.setdefault(staff_id, set()).add(pupil_id)
        needed = {
            s.allocation.pupil_id: {t.pk for t in required_trainings_for(s.allocation.pupil)}
            for s in self.slots
            if s.allocation.pupil_id and s.cover is None
        }
        wanted = set().union(*needed.values()) if needed else set()
        held: dict[int, set[int]] = {}
        if wanted:
            for staff_id, type_id in TrainingRecord.objects.filter(
                Q(expires_on__isnull=True) | Q(expires_on__gte=days[0]),
                staff_id__in=candidates,
                training_type_id__in=wanted,
                completed_on__lte=days[0],
            ).values_list("staff_id", "training_type_id"):
                held.setdefault(staff_id, set()).add(type_id)
        for slot in self.slots:
            if slot.cover is not None:
                continue
            ranked = []
            required = needed.get(slot.allocation.pupil_id, set())
            for member in candidates.values():
                if self.unavailable(member.pk, slot):
                    continue
                if required - held.get(member.pk, set()):
                    continue  # cannot take a 1:1 whose care needs training they lack
                score, reasons = 0, []
                if required:
                    score += 2
                    reasons.append("holds the care training")
                if knows.get(member.pk, set()) & set(slot.pupil_ids):
                    score += 8
                    reasons.append("knows the pupils")
                group = slot.allocation.group
                if group is not None and member.faculty_id == group.faculty_id:
                    score += 4
                    reasons.append(f"works in {group.faculty}")
                if member.specialism_subject or member.specialism_area:
                    score += 1
                    reasons.append("a specialist")
                contract = member.contracted_periods or 0
                if contract and member.load < contract:
                    score += 2
                    reasons.append(f"{member.load} of {contract} periods allocated")
                ranked.append(Suggestion(member, score, reasons))
            ranked.sort(key=lambda s: (-s.score, s.member.load, s.member.user.last_name))
            slot.suggestions = ranked[:3]

    def unavailable(self, staff_id: int, slot: CoverSlot) -> str:
        """Why someone cannot cover a slot ('' when they can)."""
        period = slot.allocation.period
        for other in self.absent.get(staff_id, []):
            if other.starts_on <= slot.on <= other.ends_on and other.covers_period(period):
                return "is away then"
        for taken in self.busy.get((staff_id, slot.on), []):
            if taken.starts < period.ends and taken.ends > period.starts:
                return "is busy then"
        return ""


def _pupils_of(allocation: Allocation) -> list[int]:
    if allocation.pupil_id:
        return [allocation.pupil_id]
    focus = [p.pk for p in allocation.focus_pupils.all()]
    if focus:
        return focus
    if allocation.group_id:
        return [p.pk for p in allocation.group.pupils.all()]
    return []


def absences_upcoming(*, actor: StaffMember, today: date):
    return (
        StaffAbsence.objects.filter(school_id=actor.school_id, ends_on__gte=today)
        .select_related("staff__user")
        .order_by("starts_on", "pk")
    )


def covers_for(*, member: StaffMember, on: date):
    return Cover.objects.filter(covered_by=member, on=on).select_related(
        "allocation__period",
        "allocation__group__teacher__user",
        "allocation__pupil",
        "absence__staff__user",
    )
