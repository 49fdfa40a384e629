"""Writes of deployment: placing staff on the timetable and keeping the support links that
access rules read in step with it."""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from simple_history.utils import bulk_create_with_history

from cpd.selectors import trainings_missing
from staffing.models import Allocation, Period, Role, StaffMember, TeachingGroup
from students.models import Pupil, StaffPupilLink

# Who is placed on the timetable to support pupils.
DEPLOYABLE_ROLES = {Role.SENDCO, Role.PSO, Role.HLTA, Role.FLS, Role.ONE_TO_ONE}
DUTY_PERIODS = {Period.Kind.BREAK, Period.Kind.LUNCH, Period.Kind.BEFORE_SCHOOL,
                Period.Kind.AFTER_SCHOOL}  # fmt: skip


@dataclass
class Placed:
    allocation: Allocation
    warnings: list[str] = field(default_factory=list)


def _check_same_school(actor: StaffMember, *objects) -> None:
    for obj in objects:
        if obj is not None and obj.school_id != actor.school_id:
            raise ValidationError("That record belongs to another school.")


def _dates_overlap(starts_on: date, ends_on: date | None) -> Q:
    """Allocations whose dates overlap [starts_on, ends_on] (open ends run on)."""
    overlap = Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    if ends_on is not None:
        overlap &= Q(starts_on__lte=ends_on)
    return overlap


def _same_time(period: Period) -> Q:
    """Periods on the same day of the cycle that overlap this one in time."""
    return Q(
        period__week=period.week,
        period__day=period.day,
        period__starts__lt=period.ends,
        period__ends__gt=period.starts,
    )


def required_trainings_for(pupil: Pupil) -> list:
    """The trainings a pupil's healthcare and personal care plans ask of the adults who
    support them one to one."""
    from students.models import CarePlan, HealthcarePlan

    needed = []
    for model in (HealthcarePlan, CarePlan):
        plan = model.objects.filter(pupil=pupil).prefetch_related("required_trainings").first()
        if plan is not None:
            needed += list(plan.required_trainings.all())
    return list(dict.fromkeys(needed))


def periods_allocated(*, staff: StaffMember, on: date, exclude: Allocation | None = None) -> int:
    """How many periods of the cycle the person is allocated on that date."""
    rows = Allocation.objects.filter(staff=staff).filter(_dates_overlap(on, on))
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return rows.count()


@transaction.atomic
def allocation_create(
    *,
    actor: StaffMember,
    staff: StaffMember,
    period: Period,
    kind: str,
    starts_on: date,
    ends_on: date | None = None,
    group: TeachingGroup | None = None,
    pupil: Pupil | None = None,
    focus_pupils=(),
    note: str = "",
) -> Placed:
    """Place a member of staff on a period of the cycle. Refused with the reason: another
    place at that time, a pupil with two 1:1s at once, a class not taught then, a 1:1 with
    a pupil whose care needs a training the person lacks, or beyond the hard limit over the
    contract. Beyond the contract but within the limit it is saved with a warning. The
    pupils supported are linked to the person (source: allocation) for the access rules."""
    _check_same_school(actor, staff, period, group, pupil, *focus_pupils)
    staff = StaffMember.objects.select_for_update().select_related("user").get(pk=staff.pk)
    name = staff.user.full_name
    if not staff.is_active or staff.role not in DEPLOYABLE_ROLES:
        raise ValidationError({"staff": f"{name} is not deployed on the timetable."})
    if kind not in Allocation.Kind.values:
        raise ValidationError({"kind": "Choose what the allocation is for."})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": "The allocation cannot end before it starts."})
    if kind == Allocation.Kind.IN_CLASS:
        if group is None:
            raise ValidationError({"group": "Choose the class to support."})
        if not group.lessons.filter(period=period).exists():
            raise ValidationError({"group": f"{group} is not taught in {period}."})
        outside = [p for p in focus_pupils if not group.pupils.filter(pk=p.pk).exists()]
        if outside:
            names = ", ".join(p.full_name for p in outside)
            raise ValidationError({"focus_pupils": f"Not in {group}: {names}."})
    else:
        group, focus_pupils = None, ()
    if kind == Allocation.Kind.ONE_TO_ONE:
        if pupil is None:
            raise ValidationError({"pupil": "Choose the pupil."})
    else:
        pupil = None
    if kind == Allocation.Kind.DUTY and period.kind not in DUTY_PERIODS:
        raise ValidationError({"kind": f"{period} is a lesson, not a break or lunch."})

    when = _dates_overlap(starts_on, ends_on) & _same_time(period)
    clash = (
        Allocation.objects.filter(staff=staff)
        .filter(when)
        .select_related("period", "group", "pupil")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            f"{name} is already allocated then: {clash.get_kind_display().lower()}"
            f"{_what(clash)} in {clash.period}."
        )
    if pupil is not None:
        other = (
            Allocation.objects.filter(pupil=pupil, kind=Allocation.Kind.ONE_TO_ONE)
            .filter(when)
            .select_related("staff__user", "period")
            .first()
        )
        if other is not None:
            raise ValidationError(
                {
                    "pupil": f"{pupil.full_name} already has a 1:1 with "
                    f"{other.staff.user.full_name} in {other.period}."
                }
            )
        missing = trainings_missing(
            staff=staff, required=required_trainings_for(pupil), on=starts_on
        )
        if missing:
            names = ", ".join(t.name for t in missing)
            raise ValidationError(
                {
                    "pupil": f"{name} does not hold the training {pupil.full_name}'s care "
                    f"needs: {names}."
                }
            )

    warnings = []
    if staff.contracted_periods is not None:
        total = periods_allocated(staff=staff, on=starts_on) + 1
        limit = staff.contracted_periods * (100 + settings.SENDHUB_ALLOCATION_HARD_LIMIT_PERCENT)
        if total * 100 > limit:
            raise ValidationError(
                f"{name} would have {total} periods against a contract of "
                f"{staff.contracted_periods}: more than the school allows over contract."
            )
        if total > staff.contracted_periods:
            warnings.append(
                f"{name} now has {total} periods against a contract of {staff.contracted_periods}."
            )

    allocation = Allocation(
        school_id=staff.school_id,
        staff=staff,
        period=period,
        kind=kind,
        group=group,
        pupil=pupil,
        note=note.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    allocation.full_clean()
    allocation.save()
    if focus_pupils:
        allocation.focus_pupils.set(focus_pupils)
    support_links_sync(staff=staff)
    return Placed(allocation, warnings)


def _what(allocation: Allocation) -> str:
    if allocation.group_id:
        return f" of {allocation.group}"
    if allocation.pupil_id:
        return f" with {allocation.pupil.full_name}"
    return f" ({allocation.note})" if allocation.note else ""


@transaction.atomic
def allocation_end(*, actor: StaffMember, allocation: Allocation, last_day: date) -> None:
    """Stop an allocation after ``last_day``; one that had not begun is removed."""
    _check_same_school(actor, allocation)
    if last_day < allocation.starts_on:
        allocation.delete()
    else:
        allocation.ends_on = last_day
        allocation.full_clean()
        allocation.save(update_fields=["ends_on"])
    support_links_sync(staff=allocation.staff)


def support_links_sync(*, staff: StaffMember) -> None:
    """Make the person's allocation links match the pupils their current and future
    allocations support: a 1:1 pupil, the focus pupils of in-class support, or the whole
    class when no pupil is named. Links from other sources are left alone."""
    from django.utils import timezone

    today = timezone.localdate()
    allocations = (
        Allocation.objects.filter(staff=staff)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .prefetch_related("focus_pupils")
    )
    until: dict[int, date | None] = {}
    class_ends: dict[int, date | None] = {}

    def extend(store, key, ends_on):
        if key not in store or store[key] is not None:
            store[key] = None if ends_on is None else max(ends_on, store.get(key) or ends_on)

    for allocation in allocations:
        if allocation.pupil_id:
            extend(until, allocation.pupil_id, allocation.ends_on)
        focus = [p.pk for p in allocation.focus_pupils.all()]
        for pupil_id in focus:
            extend(until, pupil_id, allocation.ends_on)
        if allocation.group_id and not focus:
            extend(class_ends, allocation.group_id, allocation.ends_on)
    if class_ends:
        members = TeachingGroup.pupils.through.objects.filter(
            teachinggroup_id__in=class_ends
        ).values_list("teachinggroup_id", "pupil_id")
        for group_id, pupil_id in members:
            extend(until, pupil_id, class_ends[group_id])

    links = StaffPupilLink.objects.filter(staff=staff, source=StaffPupilLink.Source.ALLOCATION)
    existing = {link.pupil_id: link for link in links}
    links.exclude(pupil_id__in=until).delete()
    new, changed = [], []
    for pupil_id, ends_on in until.items():
        link = existing.get(pupil_id)
        if link is None:
            new.append(
                StaffPupilLink(
                    school_id=staff.school_id,
                    staff=staff,
                    pupil_id=pupil_id,
                    source=StaffPupilLink.Source.ALLOCATION,
                    valid_until=ends_on,
                )
            )
        elif link.valid_until != ends_on:
            link.valid_until = ends_on
            changed.append(link)
    bulk_create_with_history(new, StaffPupilLink)
    StaffPupilLink.objects.bulk_update(changed, ["valid_until"])


def school_links_sync(*, school_id: int) -> None:
    """After classes change (admin or import): teachers are linked to their classes'
    pupils (source: class), and everyone allocated to a class follows its pupils. Class
    links are only added here; the SENDCo removes one on the pupil's page."""
    from django.db.models import F

    through = TeachingGroup.pupils.through
    wanted = set(
        through.objects.filter(
            teachinggroup__school_id=school_id,
            teachinggroup__is_active=True,
            teachinggroup__teacher__isnull=False,
        ).values_list(F("teachinggroup__teacher_id"), "pupil_id")
    )
    have = set(
        StaffPupilLink.objects.filter(
            school_id=school_id, source=StaffPupilLink.Source.CLASS
        ).values_list("staff_id", "pupil_id")
    )
    bulk_create_with_history(
        [
            StaffPupilLink(
                school_id=school_id,
                staff_id=staff_id,
                pupil_id=pupil_id,
                source=StaffPupilLink.Source.CLASS,
            )
            for staff_id, pupil_id in sorted(wanted - have)
        ],
        StaffPupilLink,
        batch_size=1000,
    )
    allocated = StaffMember.objects.filter(
        school_id=school_id, allocations__group__isnull=False
    ).distinct()
    for member in allocated:
        support_links_sync(staff=member)
