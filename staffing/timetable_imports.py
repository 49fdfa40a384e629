"""MIS import of the timetable in the admin (plumbing in ``sendhub/imports.py``).

Four files, imported in this order, each matched within the acting school only:

- periods: the cycle's days and periods with their times, lessons and the slots outside
  lessons where support happens; a period is week + day + name;
- classes: name, subject, faculty (by name), teacher (by e-mail address) and room; a class
  is its name;
- class lists: one row a pupil in a class (class name + UPN);
- lessons: one row a class in a period (class name + week + day + period name).

The timetable rules are those of the admin (``staffing/deployment/timetable.py``): no two
periods of a day overlap once the file is applied, a period ends after it starts, a class is
taught in lessons of its school. Nothing is deleted: a pupil who left a class, or a lesson
that moved, is removed from the class's page in the admin. This module is deployment (a
layer above students, DESIGN.md "Layers"): it reads pupils of the school. Samples:
``staffing/samples/timetable-*.csv``.
"""

import re
from collections import defaultdict
from datetime import datetime, time

from django.core.exceptions import ValidationError
from import_export import resources, widgets
from import_export.fields import Field

from sendhub.imports import ChoiceWidget, SchoolImportResource, TextWidget, as_text
from staffing.deployment.services import school_links_sync
from staffing.deployment.timetable import (
    DAY_NAMES,
    lesson_check,
    overlapping,
    period_times_check,
    period_week_check,
    span,
    where,
)
from staffing.models import (
    WEEKDAYS,
    Faculty,
    Lesson,
    Period,
    StaffMember,
    TeachingGroup,
    Timetable,
)
from students.imports import SchoolPupilWidget
from students.models import Pupil

DAYS = {name.lower(): number for number, name in WEEKDAYS}
DAYS.update({name[:3].lower(): number for number, name in WEEKDAYS})
DAYS.update({"tues": 2, "weds": 3, "thur": 4, "thurs": 4})
DAYS.update({str(number): number for number, _ in WEEKDAYS})


def key_text(value) -> str:
    """A name as a key: trimmed, case ignored."""
    return as_text(value).casefold()


class WeekWidget(widgets.Widget):
    """Week 1 or 2 of the cycle: "1", "Week 2", "Wk1"; Week A / B as some MIS say."""

    def clean(self, value, row=None, **kwargs):
        text = re.sub(r"^(week|wk|w)\s*", "", as_text(value).lower())
        week = {"1": 1, "2": 2, "a": 1, "b": 2}.get(text)
        if week is None:
            raise ValueError("Use week 1 or 2 (or A or B).")
        return week

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class DayWidget(widgets.Widget):
    """A school day: Monday, Mon or 1 (Monday) to Friday, Fri or 5."""

    def clean(self, value, row=None, **kwargs):
        try:
            return DAYS[as_text(value).lower().rstrip(".")]
        except KeyError:
            raise ValueError("Use a school day: Monday to Friday (Mon, or 1 to 5).") from None

    def render(self, value, obj=None, **kwargs):
        return DAY_NAMES.get(value, "")


class ClockWidget(widgets.Widget):
    """A time of day as MIS exports write it (08:45, 8:45, 08:45:00) or a time cell of a
    spreadsheet."""

    pattern = re.compile(r"^(\d{1,2})[:.](\d{2})(?::(\d{2}))?$")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            return value.time().replace(second=0, microsecond=0)
        if isinstance(value, time):
            return value.replace(second=0, microsecond=0)
        if isinstance(value, float) and 0 <= value < 1:  # a spreadsheet's fraction of a day
            minutes = round(value * 24 * 60)
            return time(minutes // 60, minutes % 60)
        text = as_text(value)
        match = self.pattern.match(text)
        if match and int(match[1]) < 24 and int(match[2]) < 60:
            return time(int(match[1]), int(match[2]))
        if not text:
            raise ValueError("The time is needed, as HH:MM (e.g. 08:45).")
        raise ValueError("This is not a time: write it as HH:MM, e.g. 08:45 or 13:10.")

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%H:%M") if value else ""


class KindWidget(ChoiceWidget):
    """What a period is for, by SendHub's names or the usual words; blank is a lesson."""

    aliases = {
        "reg": Period.Kind.REGISTRATION,
        "registration": Period.Kind.REGISTRATION,
        "tutor": Period.Kind.REGISTRATION,
        "tutor time": Period.Kind.REGISTRATION,
        "form time": Period.Kind.REGISTRATION,
        "am registration": Period.Kind.REGISTRATION,
        "before school": Period.Kind.BEFORE_SCHOOL,
        "after school": Period.Kind.AFTER_SCHOOL,
        "morning break": Period.Kind.BREAK,
        "lunchtime": Period.Kind.LUNCH,
        "lunch break": Period.Kind.LUNCH,
        "period": Period.Kind.LESSON,
    }

    def __init__(self, **kwargs):
        kinds = ", ".join(label for _, label in Period.Kind.choices)
        super().__init__(
            Period.Kind.choices,
            hint=f"This is not a kind of period. Use one of: {kinds}.",
            blank=Period.Kind.LESSON,
            **kwargs,
        )
        self.lookup.update(self.aliases)

    def render(self, value, obj=None, **kwargs):
        return Period.Kind(value).label if value else ""


class SchoolLookupWidget(TextWidget):
    """A record of the acting school found by a name written in the file; the resource
    fills ``items`` (key → record) before the rows are read."""

    def __init__(self, required=True, **kwargs):
        super().__init__(required=required, **kwargs)
        self.items: dict[str, object] = {}

    def key(self, text: str) -> str:
        return text.casefold()

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if not text:
            return None
        try:
            return self.items[self.key(text)]
        except KeyError:
            raise ValueError(self.unknown()) from None

    def unknown(self) -> str:
        raise NotImplementedError


class FacultyWidget(SchoolLookupWidget):
    """A faculty of the school, by name."""

    def clean(self, value, row=None, **kwargs):
        if not as_text(value):
            raise ValueError(f"A class needs a faculty. {self.choices()}")
        return super().clean(value, row, **kwargs)

    def unknown(self) -> str:
        return f"Your school has no faculty of this name. {self.choices()}"

    def choices(self) -> str:
        if not self.items:
            return "Your school has no faculties yet: add them in the admin (Faculties) first."
        names = sorted(faculty.name for faculty in self.items.values())
        return f"Use one of: {', '.join(names)} (or add it in the admin first)."

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class TeacherWidget(SchoolLookupWidget):
    """A member of the school's staff, by e-mail address; blank for none yet."""

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def unknown(self) -> str:
        return "Nobody on your school's staff has this e-mail address. Import the staff first."

    def render(self, value, obj=None, **kwargs):
        return value.user.email if value else ""


class GroupWidget(SchoolLookupWidget):
    """A class of the school, by name."""

    def unknown(self) -> str:
        return "Your school has no class of this name. Import the classes first."

    def clean(self, value, row=None, **kwargs):
        if not as_text(value):
            raise ValueError("The class is needed.")
        return super().clean(value, row, **kwargs)

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class LessonPeriodWidget(TextWidget):
    """The school's period of this name on the row's week and day."""

    def __init__(self, **kwargs):
        super().__init__(required=True, **kwargs)
        self.periods: dict[tuple[int, int, str], Period] = {}
        self.week, self.day = WeekWidget(), DayWidget()

    def clean(self, value, row=None, **kwargs):
        name = super().clean(value, row, **kwargs)
        try:
            week = self.week.clean((row or {}).get("Week"))
        except ValueError as error:
            raise ValueError(f'Week "{as_text(row.get("Week"))}": {error}') from None
        try:
            day = self.day.clean((row or {}).get("Day"))
        except ValueError as error:
            raise ValueError(f'Day "{as_text(row.get("Day"))}": {error}') from None
        try:
            return self.periods[(week, day, name.casefold())]
        except KeyError:
            raise ValueError(
                f"There is no period {name} on {DAY_NAMES[day]} of week {week}. Import the "
                "periods first, or check the name."
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


# --- periods --------------------------------------------------------------------------


class PeriodImportResource(SchoolImportResource):
    week = Field(attribute="week", column_name="Week", widget=WeekWidget())
    day = Field(attribute="day", column_name="Day", widget=DayWidget())
    name = Field(attribute="name", column_name="Name", widget=TextWidget(required=True))
    kind = Field(attribute="kind", column_name="Kind", widget=KindWidget())
    starts = Field(attribute="starts", column_name="Starts", widget=ClockWidget())
    ends = Field(attribute="ends", column_name="Ends", widget=ClockWidget())

    required_columns = ("Week", "Day", "Name", "Starts", "Ends")
    column_aliases = {
        "Period": "Name",
        "Period name": "Name",
        "Weekday": "Day",
        "Type": "Kind",
        "Start": "Starts",
        "Start time": "Starts",
        "From": "Starts",
        "End": "Ends",
        "End time": "Ends",
        "To": "Ends",
    }
    key_field = "name"

    class Meta:
        model = Period
        name = "Periods of the timetable cycle"
        fields = ["week", "day", "name", "kind", "starts", "ends"]
        import_id_fields = ["week", "day", "name"]

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.timetable = Timetable.objects.filter(school=self.school).first()
        self.stored = {self.period_key(p): p for p in self.get_queryset()}
        self.clashes = self.find_clashes(dataset)

    @staticmethod
    def period_key(period) -> tuple:
        return (period.week, period.day, period.name.casefold())

    def read_period(self, row) -> Period | None:
        """The period a row describes, or None if a cell cannot be read (that row is
        rejected on its own, with the reason)."""
        try:
            values = {
                name: self.fields[name].clean(row)
                for name in ("week", "day", "name", "starts", "ends")
            }
        except (ValueError, KeyError):
            return None
        if not values["name"] or values["ends"] <= values["starts"]:
            return None
        return Period(school=self.school, **values)

    def find_clashes(self, dataset) -> dict[int, str]:
        """Overlaps in the timetable as it will be once the file is applied: the file's
        periods in place of the stored ones of the same week, day and name, beside the
        stored ones the file leaves alone. Checking row by row against the database would
        refuse a file that moves every period five minutes later."""
        final = dict(self.stored)
        in_file: dict[int, Period] = {}
        for number, row in enumerate(dataset.dict, 1):
            period = self.read_period(row)
            if period is not None:
                period.sheet_row = self.sheet_row(number)
                final[self.period_key(period)] = period
                in_file[number] = period
        days = defaultdict(list)
        for period in final.values():
            days[(period.week, period.day)].append(period)
        clashes = {}
        for number, period in in_file.items():
            found = [
                other
                for other in overlapping(period, days[(period.week, period.day)])
                if self.period_key(other) != self.period_key(period)
            ]
            if found:
                names = ", ".join(
                    f"{other.name} ({span(other)}, "
                    + (f"row {other.sheet_row})" if other.pk is None else "in the timetable)")
                    for other in found
                )
                clashes[number] = (
                    f"Overlaps {names} on {where(period)}: the periods of a day cannot overlap."
                )
        return clashes

    def get_instance(self, instance_loader, row):
        try:
            key = (
                self.fields["week"].clean(row),
                self.fields["day"].clean(row),
                key_text(row.get("Name")),
            )
        except ValueError:
            return None  # rejected when the row is read, with the reason
        return self.stored.get(key)

    def row_key(self, row):
        try:
            return (
                self.fields["week"].clean(row),
                self.fields["day"].clean(row),
                key_text(row.get("Name")) or None,
            )
        except ValueError:
            return None

    def before_import_row(self, row, **kwargs):
        self.row_number = kwargs.get("row_number")
        super().before_import_row(row, **kwargs)

    def check_row(self, instance, errors):
        if {"week", "day", "name", "starts", "ends"} & errors.keys():
            return
        period_times_check(period=instance)
        period_week_check(period=instance, timetable=self.timetable)
        clash = self.clashes.get(self.row_number)
        if clash:
            raise ValidationError({"starts": clash})


# --- classes --------------------------------------------------------------------------


class ClassImportResource(SchoolImportResource):
    name = Field(attribute="name", column_name="Name", widget=TextWidget(required=True))
    subject = Field(attribute="subject", column_name="Subject", widget=TextWidget(required=True))
    faculty = Field(attribute="faculty", column_name="Faculty", widget=FacultyWidget())
    teacher = Field(
        attribute="teacher", column_name="Teacher", widget=TeacherWidget(), saves_null_values=True
    )
    room = Field(attribute="room", column_name="Room", widget=TextWidget())

    required_columns = ("Name", "Subject", "Faculty")
    column_aliases = {
        "Class": "Name",
        "Class name": "Name",
        "Group": "Name",
        "Teaching group": "Name",
        "Department": "Faculty",
        "Dept": "Faculty",
        "Teacher email": "Teacher",
        "Teacher e-mail": "Teacher",
        "Staff email": "Teacher",
    }
    key_field = "name"

    class Meta:
        model = TeachingGroup
        name = "Classes (name, subject, faculty, teacher, room)"
        fields = ["name", "subject", "faculty", "teacher", "room"]
        import_id_fields = ["name"]

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.fields["faculty"].widget.items = {
            faculty.name.casefold(): faculty
            for faculty in Faculty.objects.filter(school=self.school)
        }
        emails = {key_text(row.get("Teacher")) for row in dataset.dict} - {""}
        self.fields["teacher"].widget.items = {
            member.user.email.casefold(): member
            for member in StaffMember.objects.filter(
                school=self.school, user__email__in=emails
            ).select_related("user")
        }
        self.groups = {
            group.name.casefold(): group
            for group in self.get_queryset().select_related("faculty", "teacher__user")
        }

    def get_instance(self, instance_loader, row):
        return self.groups.get(key_text(row.get("Name")))

    def row_key(self, row):
        return key_text(row.get("Name")) or None


# --- class lists ----------------------------------------------------------------------

ClassPupil = TeachingGroup.pupils.through


class SchoolLinkResource(SchoolImportResource):
    """Rows that link a class of the school to something else of the school (a pupil, a
    period): each is new or already there, and the class is found by its name."""

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.fields[self.group_field].widget.items = {
            group.name.casefold(): group
            for group in TeachingGroup.objects.filter(school=self.school)
        }

    def group_of(self, row):
        try:
            return self.fields[self.group_field].clean(row)
        except ValueError:
            return None  # rejected when the row is read, with the reason


class ClassListImportResource(SchoolLinkResource):
    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if not kwargs.get("dry_run") and not result.has_errors():
            # Teachers and the staff supporting a class follow its pupils.
            school_links_sync(school_id=self.school.pk)

    teachinggroup = Field(attribute="teachinggroup", column_name="Class", widget=GroupWidget())
    pupil = Field(attribute="pupil", column_name="UPN", widget=SchoolPupilWidget())
    pupil_name = Field(
        attribute="pupil__full_name", column_name="Pupil (found by UPN)", readonly=True
    )

    required_columns = ("Class", "UPN")
    column_aliases = {"Class name": "Class", "Group": "Class", "Teaching group": "Class"}
    key_field = "pupil"
    group_field = "teachinggroup"

    class Meta:
        model = ClassPupil
        name = "Class lists (class, UPN: one row a pupil in a class)"
        fields = ["teachinggroup", "pupil", "pupil_name"]
        import_id_fields = ["teachinggroup", "pupil"]

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        upns = {"".join(as_text(row.get("UPN")).split()).upper() for row in dataset.dict}
        widget = self.fields["pupil"].widget
        widget.pupils = {
            pupil.upn: pupil for pupil in Pupil.objects.filter(school=self.school, upn__in=upns)
        }
        widget.school_name = self.school.name
        self.members = {
            (link.teachinggroup_id, link.pupil_id): link
            for link in self.get_queryset().filter(pupil__in=widget.pupils.values())
        }

    def init_instance(self, row=None):
        return ClassPupil()

    def get_queryset(self):
        return ClassPupil.objects.filter(teachinggroup__school=self.school).select_related(
            "teachinggroup", "pupil"
        )

    def get_instance(self, instance_loader, row):
        group = self.group_of(row)
        try:
            pupil = self.fields["pupil"].clean(row)
        except ValueError:
            return None
        return self.members.get((group.pk, pupil.pk)) if group else None

    def row_key(self, row):
        upn = "".join(as_text(row.get("UPN")).split()).upper()
        group = key_text(row.get("Class"))
        return (group, upn) if upn and group else None

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # The link table has no school of its own: both ends must be of the acting school.
        errors = dict(import_validation_errors or {})
        for name in ("teachinggroup", "pupil"):
            linked = getattr(instance, name, None) if name not in errors else None
            if linked is not None and linked.school_id != self.school.pk:
                errors[name] = ["This belongs to another school."]
        resources.ModelResource.validate_instance(self, instance, errors, validate_unique)


# --- lessons --------------------------------------------------------------------------


class LessonImportResource(SchoolLinkResource):
    group = Field(attribute="group", column_name="Class", widget=GroupWidget())
    week = Field(attribute="period__week", column_name="Week", widget=WeekWidget(), readonly=True)
    day = Field(attribute="period__day", column_name="Day", widget=DayWidget(), readonly=True)
    period = Field(attribute="period", column_name="Period", widget=LessonPeriodWidget())

    required_columns = ("Class", "Week", "Day", "Period")
    column_aliases = {
        "Class name": "Class",
        "Group": "Class",
        "Teaching group": "Class",
        "Period name": "Period",
        "Weekday": "Day",
    }
    key_field = "period"
    group_field = "group"

    class Meta:
        model = Lesson
        name = "Lessons (class, week, day, period: one row a lesson of the cycle)"
        fields = ["group", "week", "day", "period"]
        import_id_fields = ["group", "period"]

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.fields["period"].widget.periods = {
            PeriodImportResource.period_key(period): period
            for period in Period.objects.filter(school=self.school)
        }
        self.lessons = {
            (lesson.group_id, lesson.period_id): lesson
            for lesson in self.get_queryset().select_related("group", "period")
        }

    def get_instance(self, instance_loader, row):
        group = self.group_of(row)
        try:
            period = self.fields["period"].clean(row)
        except ValueError:
            return None
        return self.lessons.get((group.pk, period.pk)) if group else None

    def row_key(self, row):
        try:
            week = WeekWidget().clean(row.get("Week"))
            day = DayWidget().clean(row.get("Day"))
        except ValueError:
            return None
        group, name = key_text(row.get("Class")), key_text(row.get("Period"))
        return (group, week, day, name) if group and name else None

    def check_row(self, instance, errors):
        if "group" in errors or "period" in errors:
            return
        lesson_check(group=instance.group, period=instance.period)
