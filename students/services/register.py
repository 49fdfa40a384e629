"""The SEND register, needs, passports and which staff work with a pupil."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from staffing.models import StaffMember
from students.models import (
    EhcPlan,
    NeedCode,
    Passport,
    Pupil,
    PupilNeed,
    RegisterPeriod,
    SenStatus,
    StaffPupilLink,
)


def check_same_school(actor: StaffMember, *objects) -> None:
    """Defence in depth: views already scope by school; services refuse a mix."""
    for obj in objects:
        if obj is not None and obj.school_id != actor.school_id:
            raise ValidationError("That record belongs to another school.")


def lock_pupil(pupil: Pupil) -> Pupil:
    """Re-read the pupil under a row lock, so two changes to one record queue up instead of
    racing (plans, register status)."""
    return Pupil.objects.select_for_update().get(pk=pupil.pk)


def register_change_earliest(pupil: Pupil) -> date | None:
    """The earliest date from which the pupil's status may change: the register history
    before it is already written."""
    spans = RegisterPeriod.objects.filter(pupil=pupil)
    current = spans.filter(ended_on=None).first()
    latest = spans.exclude(ended_on=None).order_by("-ended_on").first()
    dates = [d for d in (current and current.started_on, latest and latest.ended_on) if d]
    return max(dates, default=None)


@transaction.atomic
def pupil_register_set(
    *, pupil: Pupil, status: str, on: date, reason: str = "", actor: StaffMember
) -> Pupil:
    """Put a pupil on the SEND register, change their status (K ↔ E) or take them off it,
    from a date. Each span at one status is kept as history; spans never overlap."""
    check_same_school(actor, pupil)
    pupil = lock_pupil(pupil)
    if status not in SenStatus.values:
        raise ValidationError({"status": "Choose N, K or E."})
    if status == pupil.sen_status:
        label = pupil.get_sen_status_display()
        raise ValidationError({"status": f"{pupil.full_name} is already recorded as {label}."})
    if on > timezone.localdate():
        raise ValidationError({"on": "Record the change on the day it happens, not ahead."})
    if status != SenStatus.EHCP and EhcPlan.objects.filter(pupil=pupil, ceased_on=None).exists():
        raise ValidationError(
            {
                "status": f"{pupil.full_name} has an EHC plan. Record on the EHC plan page that "
                "it has ceased; the status changes with it."
            }
        )
    current = RegisterPeriod.objects.select_for_update().filter(pupil=pupil, ended_on=None).first()
    earliest_allowed = register_change_earliest(pupil)
    if earliest_allowed and on < earliest_allowed:
        raise ValidationError(
            {
                "on": f"The date cannot be before {earliest_allowed:%d/%m/%Y}: the register "
                "history already covers that time."
            }
        )
    if current is not None:
        current.ended_on = on
        current.full_clean()
        current.save(update_fields=["ended_on"])
    if status != SenStatus.NONE:
        period = RegisterPeriod(
            school=pupil.school,
            pupil=pupil,
            status=status,
            started_on=on,
            reason=reason.strip(),
            recorded_by=actor.user,
        )
        period.full_clean()
        period.save()
    pupil.sen_status = status
    pupil.save(update_fields=["sen_status"])
    return pupil


@transaction.atomic
def pupil_need_save(
    *,
    pupil: Pupil,
    code: str,
    rank: int,
    descriptor: str = "",
    notes: str = "",
    need: PupilNeed | None = None,
    actor: StaffMember,
) -> PupilNeed:
    """Record or correct a need. A pupil has at most one primary and one secondary need,
    each code once."""
    check_same_school(actor, pupil)
    if code not in NeedCode.values:
        raise ValidationError({"code": f"{code!r} is not a census type of need."})
    others = PupilNeed.objects.filter(pupil=pupil).exclude(pk=need.pk if need else None)
    clash = others.filter(rank=rank).first()
    if clash is not None:
        label = "primary" if rank == PupilNeed.PRIMARY else "secondary"
        raise ValidationError(
            {
                "rank": f"{pupil.full_name} already has a {label} need ({clash.code}). Change "
                "that one, or record this need at the other rank."
            }
        )
    if others.filter(code=code).exists():
        raise ValidationError({"code": f"{code} is already recorded for {pupil.full_name}."})
    need = need or PupilNeed(school=pupil.school, pupil=pupil)
    need.code, need.rank = code, rank
    need.descriptor, need.notes = descriptor.strip(), notes.strip()
    need.full_clean()
    need.save()
    return need


@transaction.atomic
def pupil_need_delete(*, need: PupilNeed, actor: StaffMember) -> None:
    check_same_school(actor, need)
    need.delete()


@transaction.atomic
def passport_update(*, pupil: Pupil, actor: StaffMember, **sections: str) -> Passport:
    """Save the pupil passport (one-page profile); who and when are recorded."""
    check_same_school(actor, pupil)
    unknown = set(sections) - set(Passport.SECTIONS)
    if unknown:
        raise ValidationError(f"Unknown passport sections: {', '.join(sorted(unknown))}")
    passport = Passport.objects.filter(pupil=pupil).first() or Passport(
        school=pupil.school, pupil=pupil
    )
    for name, value in sections.items():
        setattr(passport, name, (value or "").strip())
    passport.updated_by = actor.user
    passport.full_clean()
    passport.save()
    return passport


@transaction.atomic
def staff_pupil_link_add(
    *,
    pupil: Pupil,
    staff: StaffMember,
    actor: StaffMember,
    source: str = StaffPupilLink.Source.DIRECT,
    valid_until: date | None = None,
) -> StaffPupilLink:
    """Record that a member of staff works with a pupil (which opens the pupil's record
    to them as their role allows)."""
    check_same_school(actor, pupil, staff)
    link, _ = StaffPupilLink.objects.update_or_create(
        staff=staff,
        pupil=pupil,
        source=source,
        defaults={"school": pupil.school, "valid_until": valid_until},
    )
    return link


@transaction.atomic
def staff_pupil_link_remove(*, link: StaffPupilLink, actor: StaffMember) -> None:
    check_same_school(actor, link)
    link.delete()
