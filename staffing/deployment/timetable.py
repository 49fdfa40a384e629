"""The rules a school's timetable keeps, for the admin forms and the MIS import alike.

The model's constraints cover one row (a period ends after it starts, a name once a day);
these cover a row among its neighbours: the periods of one day of the cycle follow one
another without overlapping, week 2 exists only in a two-week cycle, and a class is
taught in the lessons of its own school.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError

from staffing.models import WEEKDAYS, Period, TeachingGroup, Timetable

DAY_NAMES = dict(WEEKDAYS)
# Where a class can be taught: lessons, and tutor time for a tutor group.
TAUGHT_KINDS = {Period.Kind.LESSON, Period.Kind.REGISTRATION}


def span(period: Period) -> str:
    return f"{period.starts:%H:%M} to {period.ends:%H:%M}"


def where(period: Period) -> str:
    return f"{DAY_NAMES.get(period.day, period.day)} of week {period.week}"


def overlapping(period: Period, others: Iterable[Period]) -> list[Period]:
    """The periods of ``others`` on the same day of the cycle that share time with
    ``period``; one ending as the next starts does not."""
    return [
        other
        for other in others
        if (other.week, other.day) == (period.week, period.day)
        and other is not period
        and (other.pk is None or other.pk != period.pk)
        and other.starts < period.ends
        and other.ends > period.starts
    ]


def overlap_message(period: Period, clashes: list[Period]) -> str:
    names = ", ".join(f"{other.name} ({span(other)})" for other in clashes)
    return (
        f"{period.name} ({span(period)}) overlaps {names} on {where(period)}: the periods "
        "of a day cannot overlap. Change the times, or change the other period first."
    )


ONE_WEEK_MESSAGE = (
    "Your timetable is a one-week cycle, so there is no week 2. Use week 1, or make the "
    "timetable two weeks first."
)


def period_times_check(*, period: Period) -> None:
    """A period ends after it starts (the model's constraint, said at the Ends field)."""
    if period.starts is not None and period.ends is not None and period.ends <= period.starts:
        raise ValidationError(
            {"ends": f"A period must end after it starts ({period.starts:%H:%M})."}
        )


def period_week_check(*, period: Period, timetable: Timetable | None) -> None:
    """Week 2 exists only in a two-week cycle (any week while the cycle is not set up)."""
    if timetable is not None and timetable.weeks == 1 and period.week == 2:
        raise ValidationError({"week": ONE_WEEK_MESSAGE})


def period_overlap_check(*, period: Period, others: Iterable[Period] | None = None) -> None:
    """No two periods of a day of the cycle share time. ``others`` are the periods to
    compare with; by default the school's others on that day, from the database."""
    if period.starts is None or period.ends is None:
        return
    if others is None:
        others = Period.objects.filter(
            school_id=period.school_id,
            week=period.week,
            day=period.day,
            starts__lt=period.ends,
            ends__gt=period.starts,
        )
        if period.pk is not None:
            others = others.exclude(pk=period.pk)
    clashes = overlapping(period, others)
    if clashes:
        raise ValidationError({"starts": overlap_message(period, clashes)})


def period_check(*, period: Period) -> None:
    """Refuse a period that ends before it starts, falls in week 2 of a one-week cycle, or
    overlaps another period of its day of the cycle (as stored). Raises ValidationError
    keyed by field, for the form to show beside it."""
    period_times_check(period=period)
    period_week_check(
        period=period, timetable=Timetable.objects.filter(school_id=period.school_id).first()
    )
    period_overlap_check(period=period)


def timetable_check(*, timetable: Timetable) -> None:
    """A cycle cut to one week would leave the week 2 periods (and their lessons and
    allocations) unreachable: they are removed first, on purpose."""
    if (
        timetable.weeks == 1
        and timetable.school_id
        and Period.objects.filter(school_id=timetable.school_id, week=2).exists()
    ):
        raise ValidationError(
            {
                "weeks": "Week 2 still has periods. Delete them first (their lessons and "
                "allocations go with them), or keep a two-week cycle."
            }
        )


def lesson_check(*, group: TeachingGroup, period: Period) -> None:
    """A class is taught in a lesson (or tutor time) of its own school."""
    if period.school_id != group.school_id:
        raise ValidationError({"period": "That period belongs to another school."})
    if period.kind not in TAUGHT_KINDS:
        raise ValidationError(
            {
                "period": f"{period.name} on {where(period)} is "
                f"{period.get_kind_display().lower()}, not a lesson: a class is taught in "
                "lessons or tutor time."
            }
        )
