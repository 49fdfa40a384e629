"""The timetable in the admin: the cycle, its periods, classes with pupils and lessons, and
their MIS import (preview, all or nothing, the acting school only). Driven through the real
admin views as the data manager, after importing the staff and pupil samples the timetable
samples name."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from staffing.models import (
    Faculty,
    Lesson,
    Period,
    Role,
    StaffMember,
    TeachingGroup,
    Timetable,
)
from students.models import Pupil
from tests.staffing.factories import StaffMemberFactory
from tests.students.factories import PupilFactory

pytestmark = pytest.mark.django_db

BASE = Path(settings.BASE_DIR)
STAFFING_SAMPLES = BASE / "staffing" / "samples"
PUPILS_SAMPLE = BASE / "students" / "samples" / "mis-pupils.csv"
FACULTIES = ["English", "Maths", "Science", "Humanities"]
# The import resources of the classes page, as the import form lists them.
CLASSES, CLASS_LISTS, LESSONS = "0", "1", "2"


def sample(name: str) -> Path:
    return STAFFING_SAMPLES / name


def rows_of(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def as_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def preview(client, model: str, content: bytes, resource="0", app="staffing"):
    return client.post(
        reverse(f"admin:{app}_{model}_import"),
        {
            "import_file": SimpleUploadedFile("export.csv", content),
            "format": "0",
            "resource": resource,
        },
    )


def confirm(client, model: str, response, app="staffing"):
    assert response.context["confirm_form"] is not None, text(response)[:4000]
    result = client.post(
        reverse(f"admin:{app}_{model}_process_import"), response.context["confirm_form"].initial
    )
    assert result.status_code == 302, text(result)[:3000]
    return result


def import_file(client, model: str, content: bytes, resource="0", app="staffing"):
    return confirm(client, model, preview(client, model, content, resource, app), app)


def text(response) -> str:
    return response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")


def outcomes(response) -> list[str]:
    return re.findall(r'<td class="import-type">\s*(?:<strong>)?(\w+)', text(response))


def snapshot() -> tuple:
    return (
        list(Period.objects.values_list("week", "day", "name", "kind", "starts", "ends")),
        list(TeachingGroup.objects.values_list("name", "subject", "faculty", "teacher", "room")),
        list(Lesson.objects.values_list("group", "period", "school")),
        list(TeachingGroup.pupils.through.objects.values_list("teachinggroup", "pupil")),
    )


@pytest.fixture
def dm(member_client, staff):
    return member_client(staff[Role.DATA_MANAGER])


@pytest.fixture
def school(staff):
    return staff[Role.DATA_MANAGER].school


@pytest.fixture
def faculties(school, school_b):
    Faculty.objects.create(school=school_b, name="Drama")  # another school's: never offered
    return {name: Faculty.objects.create(school=school, name=name) for name in FACULTIES}


@pytest.fixture
def people(dm, faculties):
    """The staff and pupil samples, imported as a school would, before the timetable."""
    import_file(dm, "staffmember", sample("mis-staff.csv").read_bytes())
    import_file(dm, "pupil", PUPILS_SAMPLE.read_bytes(), app="students")


@pytest.fixture
def periods(dm, people):
    import_file(dm, "period", sample("timetable-periods.csv").read_bytes())


@pytest.fixture
def classes(dm, periods):
    import_file(dm, "teachinggroup", sample("timetable-classes.csv").read_bytes(), CLASSES)


@pytest.fixture
def timetable(dm, classes):
    import_file(dm, "teachinggroup", sample("timetable-class-lists.csv").read_bytes(), CLASS_LISTS)
    import_file(dm, "teachinggroup", sample("timetable-lessons.csv").read_bytes(), LESSONS)


# --- the samples ----------------------------------------------------------------------


def test_samples_are_a_two_week_cycle_of_the_sample_staff_and_pupils():
    periods = rows_of(sample("timetable-periods.csv"))
    assert len(periods) == 2 * 5 * 10
    monday = [row["Name"] for row in periods if (row["Week"], row["Day"]) == ("1", "Monday")]
    assert monday == [
        "Before school",
        "P1",
        "P2",
        "Break",
        "P3",
        "P4",
        "Lunch",
        "P5",
        "P6",
        "After school",
    ]
    assert {row["Week"] for row in periods} == {"1", "2"}
    staff = {row["Email"] for row in rows_of(sample("mis-staff.csv"))}
    classes = rows_of(sample("timetable-classes.csv"))
    assert {row["Teacher"] for row in classes} <= staff
    assert {row["Faculty"] for row in classes} <= set(FACULTIES)
    upns = {row["UPN"] for row in rows_of(PUPILS_SAMPLE)}
    class_lists = rows_of(sample("timetable-class-lists.csv"))
    assert {row["UPN"] for row in class_lists} == upns
    names = {row["Name"] for row in classes}
    assert {row["Class"] for row in class_lists} == names
    lessons = rows_of(sample("timetable-lessons.csv"))
    assert {row["Class"] for row in lessons} == names
    assert {row["Period"] for row in lessons} <= {f"P{n}" for n in range(1, 7)}


# --- periods --------------------------------------------------------------------------


def test_periods_import_as_new_once_and_unchanged_after(dm, school, people):
    content = sample("timetable-periods.csv").read_bytes()
    response = preview(dm, "period", content)
    assert outcomes(response) == ["New"] * 100
    assert not Period.objects.exists()

    confirm(dm, "period", response)
    assert Period.objects.filter(school=school).count() == 100
    p1 = Period.objects.get(week=2, day=3, name="P1")
    assert (p1.kind, p1.starts, p1.ends) == (
        Period.Kind.LESSON,
        datetime.time(8, 45),
        datetime.time(9, 35),
    )
    assert Period.objects.get(week=1, day=5, name="Lunch").kind == Period.Kind.LUNCH
    assert Period.objects.get(week=1, day=1, name="Before school").kind == "BEFORE_SCHOOL"

    before = snapshot()
    again = preview(dm, "period", content)
    assert outcomes(again) == ["Unchanged"] * 100
    confirm(dm, "period", again)
    assert snapshot() == before


def test_an_xlsx_export_with_time_cells_imports_like_the_csv(dm, periods):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    rows = rows_of(sample("timetable-periods.csv"))
    sheet.append(list(rows[0]))
    for row in rows[:10]:
        starts, ends = (datetime.time.fromisoformat(row[c]) for c in ("Starts", "Ends"))
        sheet.append([int(row["Week"]), row["Day"], row["Name"], row["Kind"], starts, ends])
    content = io.BytesIO()
    book.save(content)
    response = dm.post(
        reverse("admin:staffing_period_import"),
        {
            "import_file": SimpleUploadedFile("periods.xlsx", content.getvalue()),
            "format": "1",
            "resource": "0",
        },
    )
    assert outcomes(response) == ["Unchanged"] * 10, text(response)[:4000]


def test_a_day_moved_five_minutes_later_is_checked_as_it_will_be(dm, periods):
    """Each period overlaps the stored one before it while the file is applied; what
    counts is the timetable once it is."""

    def later(value: str) -> str:
        moment = datetime.datetime.strptime(value, "%H:%M") + datetime.timedelta(minutes=5)
        return moment.strftime("%H:%M")

    rows = rows_of(sample("timetable-periods.csv"))
    monday = [row for row in rows if (row["Week"], row["Day"]) == ("1", "Monday")]
    for row in monday:
        row["Starts"], row["Ends"] = later(row["Starts"]), later(row["Ends"])
    response = preview(dm, "period", as_csv(monday))
    assert outcomes(response) == ["Update"] * 10, text(response)[:4000]
    confirm(dm, "period", response)
    assert Period.objects.get(week=1, day=1, name="P2").starts == datetime.time(9, 40)
    assert Period.objects.get(week=1, day=2, name="P2").starts == datetime.time(9, 35)


def test_a_period_overlapping_one_already_in_the_timetable_is_rejected(dm, periods):
    rows = [
        {
            "Week": "Week 1",
            "Day": "Tue",
            "Name": "Club",
            "Kind": "After school",
            "Starts": "14:30",
            "Ends": "15:30",
        }
    ]
    response = preview(dm, "period", as_csv(rows))
    assert (
        'Row 2: Starts "14:30": Overlaps P6 (14:00 to 14:50, in the timetable), After school '
        "(15:00 to 16:00, in the timetable) on Tuesday of week 1"
    ) in text(response)
    assert response.context.get("confirm_form") is None
    assert not Period.objects.filter(name="Club").exists()


def test_week_two_of_a_one_week_cycle_is_rejected(dm, school, people):
    Timetable.objects.create(school=school, weeks=1, week_one_starts=datetime.date(2025, 9, 1))
    response = preview(dm, "period", sample("timetable-periods.csv").read_bytes())
    assert outcomes(response).count("Rejected") == 50
    assert 'Row 52: Week "2": Your timetable is a one-week cycle' in text(response)
    assert not Period.objects.exists()


# --- classes, class lists, lessons ----------------------------------------------------


def test_classes_class_lists_and_lessons_import_in_the_school_and_again_change_nothing(
    dm, school, periods
):
    files = [
        ("timetable-classes.csv", CLASSES, 6),
        ("timetable-class-lists.csv", CLASS_LISTS, 14),
        ("timetable-lessons.csv", LESSONS, 30),
    ]
    for name, resource, count in files:
        response = preview(dm, "teachinggroup", sample(name).read_bytes(), resource)
        assert outcomes(response) == ["New"] * count, (name, text(response)[:4000])
        confirm(dm, "teachinggroup", response)

    science = TeachingGroup.objects.select_related("faculty", "teacher__user").get(name="8X/Sc1")
    assert science.school == school
    assert (science.subject, science.faculty, science.room) == (
        "Science",
        Faculty.objects.get(school=school, name="Science"),
        "S1",
    )
    assert science.teacher.user.email == "michael.green@oakfield.example.org"
    assert science.teacher.school == school
    assert sorted(p.first_name for p in science.pupils.all()) == ["Isla", "Mohammed"]
    assert list(
        science.lessons.order_by("period__week", "period__day").values_list(
            "period__week", "period__day", "period__name"
        )
    ) == [(1, 1, "P1"), (1, 3, "P3"), (1, 5, "P5"), (2, 2, "P3"), (2, 4, "P5")]
    assert set(Lesson.objects.values_list("school", flat=True)) == {school.pk}
    assert all(p.school == school for p in TeachingGroup.objects.get(name="7X/En1").pupils.all())

    # What the imports added is in each class's history.
    entry = LogEntry.objects.filter(object_id=str(science.pk)).order_by("action_time").last()
    assert "lesson Week 1 Monday P1" in entry.change_message

    before = snapshot()
    for name, resource, count in files:
        again = preview(dm, "teachinggroup", sample(name).read_bytes(), resource)
        assert outcomes(again) == ["Unchanged"] * count, name
        confirm(dm, "teachinggroup", again)
    assert snapshot() == before

    rows = rows_of(sample("timetable-classes.csv"))
    rows[2]["Room"] = "Lab 3"
    changed = preview(dm, "teachinggroup", as_csv(rows), CLASSES)
    assert outcomes(changed) == ["Unchanged"] * 2 + ["Update"] + ["Unchanged"] * 3


def bad_periods(rows):
    rows[2]["Starts"] = "09:30"  # P2 on Monday of week 1 starts before P1 ends


def ends_before_start(rows):
    rows[2]["Ends"] = "09:00"


def unknown_faculty(rows):
    rows[0]["Faculty"] = "Drama"


def no_faculty(rows):
    rows[1]["Faculty"] = ""


def unknown_teacher(rows):
    rows[1]["Teacher"] = "nobody@oakfield.example.org"


def formula(rows):
    rows[0]["Name"] = '=HYPERLINK("http://evil.example","Click")'


def lesson_at_break(rows):
    rows[0]["Period"] = "Break"


def no_such_period(rows):
    rows[0]["Period"] = "P9"


def unknown_class(rows):
    rows[3]["Class"] = "12Z/Xx9"


@pytest.mark.parametrize(
    ("model", "resource", "name", "change", "messages"),
    [
        (
            "period",
            "0",
            "timetable-periods.csv",
            bad_periods,
            # P1 (row 3) is as stored, so unchanged: the row that moved is the one refused.
            ['Row 4: Starts "09:30": Overlaps P1 (08:45 to 09:35, row 3) on Monday of week 1'],
        ),
        (
            "period",
            "0",
            "timetable-periods.csv",
            ends_before_start,
            ['Row 4: Ends "09:00": A period must end after it starts (09:35).'],
        ),
        (
            "teachinggroup",
            CLASSES,
            "timetable-classes.csv",
            unknown_faculty,
            [
                'Row 2: Faculty "Drama": Your school has no faculty of this name. Use one of: '
                "English, Humanities, Maths, Science"
            ],
        ),
        (
            "teachinggroup",
            CLASSES,
            "timetable-classes.csv",
            no_faculty,
            ["Row 3: Faculty: A class needs a faculty. Use one of: English, Humanities"],
        ),
        (
            "teachinggroup",
            CLASSES,
            "timetable-classes.csv",
            unknown_teacher,
            [
                'Row 3: Teacher "nobody@oakfield.example.org": Nobody on your school\'s staff '
                "has this e-mail address"
            ],
        ),
        (
            "teachinggroup",
            CLASSES,
            "timetable-classes.csv",
            formula,
            ['Row 2: Name "=HYPERLINK(', "which a spreadsheet runs as a formula"],
        ),
        (
            "teachinggroup",
            LESSONS,
            "timetable-lessons.csv",
            lesson_at_break,
            [
                'Row 2: Period "Break": Break on Monday of week 1 is break, not a lesson: a '
                "class is taught in lessons or tutor time."
            ],
        ),
        (
            "teachinggroup",
            LESSONS,
            "timetable-lessons.csv",
            no_such_period,
            ['Row 2: Period "P9": There is no period P9 on Monday of week 1.'],
        ),
        (
            "teachinggroup",
            CLASS_LISTS,
            "timetable-class-lists.csv",
            unknown_class,
            ['Row 5: Class "12Z/Xx9": Your school has no class of this name.'],
        ),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_a_file_with_a_bad_row_says_why_and_saves_nothing(
    dm, classes, model, resource, name, change, messages
):
    rows = rows_of(sample(name))
    change(rows)
    before = snapshot()
    response = preview(dm, model, as_csv(rows), resource)
    assert response.status_code == 200
    for message in messages:
        assert message in text(response), text(response)[:5000]
    assert "Rejected" in outcomes(response)
    assert "Confirm import" not in text(response)
    assert response.context.get("confirm_form") is None
    assert snapshot() == before


def test_another_schools_pupil_cannot_join_a_class(dm, school_b, classes):
    elsewhere = PupilFactory(school=school_b)
    rows = rows_of(sample("timetable-class-lists.csv"))
    rows[1]["UPN"] = elsewhere.upn
    before = snapshot()
    response = preview(dm, "teachinggroup", as_csv(rows), CLASS_LISTS)
    assert f'Row 3: UPN "{elsewhere.upn}": No pupil of Oakfield Academy has this UPN' in text(
        response
    )
    assert response.context.get("confirm_form") is None
    assert snapshot() == before
    assert not elsewhere.teaching_groups.exists()


def test_a_class_or_lesson_twice_in_a_file_is_rejected(dm, classes):
    rows = rows_of(sample("timetable-lessons.csv"))
    rows.append(dict(rows[0], Day="Mon"))
    response = preview(dm, "teachinggroup", as_csv(rows), LESSONS)
    assert f'Row {len(rows) + 1}: Period "{rows[0]["Period"]}": Also on row 2' in text(response)
    assert response.context.get("confirm_form") is None


# --- the admin forms ------------------------------------------------------------------


def period_form(period: Period, **changes) -> dict:
    data = {
        "week": period.week,
        "day": period.day,
        "name": period.name,
        "kind": period.kind,
        "starts": period.starts.strftime("%H:%M"),
        "ends": period.ends.strftime("%H:%M"),
    }
    return {**data, **changes}


def test_editing_a_period_to_overlap_another_is_refused_with_the_message(dm, periods):
    p2 = Period.objects.get(week=1, day=1, name="P2")
    url = reverse("admin:staffing_period_change", args=[p2.pk])
    response = dm.post(url, period_form(p2, starts="09:00"))
    assert response.status_code == 200
    assert (
        "P2 (09:00 to 10:25) overlaps P1 (08:45 to 09:35) on Monday of week 1: the periods "
        "of a day cannot overlap."
    ) in text(response)
    p2.refresh_from_db()
    assert p2.starts == datetime.time(9, 35)

    # Touching the next period is not overlapping it.
    assert dm.post(url, period_form(p2, ends="10:25", starts="09:35")).status_code == 302


def test_a_period_that_ends_before_it_starts_is_refused_on_the_form(dm, school):
    url = reverse("admin:staffing_period_add")
    data = {"week": 1, "day": 2, "name": "P1", "kind": "LESSON", "starts": "10:00"}
    response = dm.post(url, {**data, "ends": "09:00"})
    assert response.status_code == 200
    assert "A period must end after it starts (10:00)." in text(response)
    assert not Period.objects.exists()
    assert dm.post(url, {**data, "ends": "11:00"}).status_code == 302
    assert Period.objects.get().school == school

    # The same name on the same day: the model's constraint, said on the form.
    again = dm.post(url, {**data, "starts": "12:00", "ends": "13:00"})
    assert "That day already has a period of that name." in text(again)
    assert Period.objects.count() == 1


def test_one_timetable_a_school_starting_on_a_monday(dm, school):
    url = reverse("admin:staffing_timetable_add")
    tuesday = dm.post(url, {"weeks": 2, "week_one_starts": "2025-09-02"})
    assert "Choose a Monday." in text(tuesday)
    assert dm.post(url, {"weeks": 2, "week_one_starts": "2025-09-01"}).status_code == 302
    assert Timetable.objects.get().school == school
    assert dm.get(url).status_code == 403  # one a school: change it instead


def test_a_cycle_cannot_lose_week_two_while_it_has_periods(dm, school, periods):
    timetable = Timetable.objects.create(
        school=school, weeks=2, week_one_starts=datetime.date(2025, 9, 1)
    )
    url = reverse("admin:staffing_timetable_change", args=[timetable.pk])
    response = dm.post(url, {"weeks": 1, "week_one_starts": "2025-09-01"})
    assert "Week 2 still has periods." in text(response)
    timetable.refresh_from_db()
    assert timetable.weeks == 2


def class_form(group: TeachingGroup, lessons=(), **changes) -> dict:
    data = {
        "name": group.name,
        "subject": group.subject,
        "faculty": group.faculty_id,
        "teacher": group.teacher_id or "",
        "room": group.room,
        "pupils": [p.pk for p in group.pupils.all()],
        "is_active": "on",
        "lessons-TOTAL_FORMS": str(len(lessons)),
        "lessons-INITIAL_FORMS": "0",
    }
    for index, period in enumerate(lessons):
        data[f"lessons-{index}-period"] = period.pk
    return {**data, **changes}


def test_data_manager_edits_a_class_its_pupils_and_lessons(dm, school, school_b, classes):
    group = TeachingGroup.objects.get(name="9Y/En2")
    url = reverse("admin:staffing_teachinggroup_change", args=[group.pk])
    page = text(dm.get(url))
    assert "Lesson slots" in page
    newcomer = PupilFactory(school=school, last_name="Newcomer")
    p5 = Period.objects.get(week=2, day=5, name="P5")
    response = dm.post(url, class_form(group, lessons=[p5], pupils=[newcomer.pk]))
    assert response.status_code == 302, text(response)[:4000]
    assert list(group.pupils.all()) == [newcomer]
    lesson = Lesson.objects.get(group=group)
    assert (lesson.period, lesson.school) == (p5, school)

    lunch = Period.objects.get(week=2, day=5, name="Lunch")
    refused = dm.post(url, class_form(group, lessons=[lunch]))
    assert "Lunch on Friday of week 2 is lunch, not a lesson" in text(refused)
    assert Lesson.objects.filter(group=group).count() == 1

    elsewhere = PupilFactory(school=school_b)
    foreign = dm.post(url, class_form(group, pupils=[elsewhere.pk]))
    assert foreign.status_code == 200
    assert not elsewhere.teaching_groups.exists()

    no_faculty = dm.post(url, class_form(group, faculty=""))
    assert no_faculty.status_code == 200
    assert "This field is required." in text(no_faculty)


def test_pupils_offered_for_a_class_are_of_the_school_only(dm, school, school_b, faculties):
    PupilFactory(school=school, last_name="Ourpupil")
    PupilFactory(school=school_b, last_name="Otherpupil")
    found = dm.get(
        reverse("admin:autocomplete"),
        {"app_label": "staffing", "model_name": "teachinggroup", "field_name": "pupils"},
    )
    assert found.status_code == 200
    assert "Ourpupil" in found.content.decode()
    assert "Otherpupil" not in found.content.decode()


def test_class_list_filter_and_search_stay_in_the_school(dm, school_b, classes):
    page = text(dm.get(reverse("admin:staffing_teachinggroup_changelist")))
    assert "8X/Sc1" in page
    assert "?faculty__id__exact=" in page
    assert "Drama" not in page  # another school's faculty is not a filter choice
    staff_page = text(dm.get(reverse("admin:staffing_staffmember_changelist")))
    assert "Drama" not in staff_page
    found = text(dm.get(reverse("admin:staffing_teachinggroup_changelist"), {"q": "science"}))
    assert "10X/Sc2" in found
    assert "7X/En1" not in found


# --- who sees it ----------------------------------------------------------------------


def test_another_schools_data_manager_sees_none_of_it(school, school_b, timetable):
    Timetable.objects.create(school=school, weeks=2, week_one_starts=datetime.date(2025, 9, 1))
    other = Client()
    other.force_login(StaffMemberFactory(school=school_b, role=Role.DATA_MANAGER).user)
    for model in ("timetable", "period", "teachinggroup"):
        response = other.get(reverse(f"admin:staffing_{model}_changelist"))
        assert response.context["cl"].result_count == 0, model
        assert "8X/Sc1" not in text(response)
    rows = {
        "timetable": Timetable.objects.get(school=school),
        "period": Period.objects.filter(school=school).first(),
        "teachinggroup": TeachingGroup.objects.get(name="8X/Sc1"),
    }
    for model, row in rows.items():
        url = reverse(f"admin:staffing_{model}_change", args=[row.pk])
        assert other.get(url).status_code == 404, model
        assert other.post(url, {"name": "Taken"}).status_code == 404, model
    assert TeachingGroup.objects.get(pk=rows["teachinggroup"].pk).name == "8X/Sc1"


@pytest.mark.parametrize("role", [Role.TEACHER, Role.SENDCO])
def test_teachers_and_the_sendco_are_refused_the_timetable_admin(member_client, staff, role):
    client = member_client(staff[role])
    for model in ("timetable", "period", "teachinggroup"):
        assert client.get(reverse(f"admin:staffing_{model}_changelist")).status_code == 403
    assert client.get(reverse("admin:staffing_period_import")).status_code == 403
    response = preview(client, "period", sample("timetable-periods.csv").read_bytes())
    assert response.status_code == 403
    assert not Period.objects.exists()


# --- staff details for deployment ----------------------------------------------------


def test_staff_admin_keeps_deployment_details_and_the_staff_import_leaves_them(dm, staff, people):
    member = StaffMember.objects.select_related("user").get(
        user__email="james.carter@oakfield.example.org"
    )
    url = reverse("admin:staffing_staffmember_change", args=[member.pk])
    page = text(dm.get(url))
    for label in ("Grade", "Contracted periods", "Working pattern", "Area of specialism"):
        assert label in page
    data = {
        "email": member.user.email,
        "first_name": "James",
        "last_name": "Carter",
        "role": Role.FLS,
        "job_title": member.job_title,
        "grade": "B",
        "contracted_periods": "50",
        "working_pattern": "Monday to Thursday, term time only",
        "specialism_area": "CL",
        "specialism_subject": "Numeracy",
        "is_active": "on",
    }
    response = dm.post(url, data)
    assert response.status_code == 302, text(response)[:3000]
    member.refresh_from_db()
    details = (
        member.grade,
        member.contracted_periods,
        member.working_pattern,
        member.specialism_area,
        member.specialism_subject,
    )
    assert details == ("B", 50, "Monday to Thursday, term time only", "CL", "Numeracy")

    # The MIS knows none of it: importing the staff again (with a new job title) keeps it.
    rows = rows_of(sample("mis-staff.csv"))
    rows[5]["JobTitle"] = "Learning support assistant, science"
    import_file(dm, "staffmember", as_csv(rows))
    member.refresh_from_db()
    assert member.job_title == "Learning support assistant, science"
    assert (
        member.grade,
        member.contracted_periods,
        member.working_pattern,
        member.specialism_area,
        member.specialism_subject,
    ) == details

    # Blank in the form clears it: not on the timetable.
    dm.post(url, {**data, "contracted_periods": "", "grade": ""})
    member.refresh_from_db()
    assert (member.contracted_periods, member.grade) == (None, "")


# --- query budgets --------------------------------------------------------------------


def more_classes(school, count: int, start: int = 0):
    faculty = Faculty.objects.get(school=school, name="Science")
    teacher = StaffMemberFactory(school=school, role=Role.TEACHER)
    for n in range(start, start + count):
        TeachingGroup.objects.create(
            school=school, name=f"Z{n}", subject="Science", faculty=faculty, teacher=teacher
        )


def test_the_timetable_lists_take_the_same_queries_at_ten_times_the_size(
    dm, school, faculties, django_assert_max_num_queries
):
    more_classes(school, 5)
    for day in range(1, 3):
        for hour in range(8, 13):
            Period.objects.create(
                school=school,
                day=day,
                name=f"P{hour}",
                starts=datetime.time(hour),
                ends=datetime.time(hour, 50),
            )
    budget = 12
    for url in ("admin:staffing_teachinggroup_changelist", "admin:staffing_period_changelist"):
        with django_assert_max_num_queries(budget):
            assert dm.get(reverse(url)).status_code == 200

    more_classes(school, 45, start=5)
    for week in (1, 2):
        for day in range(1, 6):
            for hour in range(8, 18):
                Period.objects.get_or_create(
                    school=school,
                    week=week,
                    day=day,
                    name=f"P{hour}",
                    defaults={"starts": datetime.time(hour), "ends": datetime.time(hour, 50)},
                )
    assert TeachingGroup.objects.count() == 50
    assert Period.objects.count() == 100
    for url in ("admin:staffing_teachinggroup_changelist", "admin:staffing_period_changelist"):
        with django_assert_max_num_queries(budget):
            assert dm.get(reverse(url)).status_code == 200


def test_imported_class_lists_link_teachers_and_allocated_staff_to_the_pupils(
    dm, timetable, school
):
    from staffing.deployment.services import allocation_create
    from students.models import StaffPupilLink

    group = TeachingGroup.objects.filter(school=school, teacher__isnull=False).first()
    pupils = set(group.pupils.values_list("pk", flat=True))
    teacher_links = StaffPupilLink.objects.filter(staff=group.teacher, source="CLASS")
    assert pupils <= set(teacher_links.values_list("pupil_id", flat=True))
    # An FLS supporting the class follows a pupil who joins it in a later class list.
    fls = StaffMember.objects.filter(school=school, role=Role.FLS).first()
    allocation_create(
        actor=fls,
        staff=fls,
        period=group.lessons.first().period,
        kind="IN_CLASS",
        group=group,
        starts_on=timezone.localdate(),
    )
    newcomer = Pupil.objects.filter(school=school).exclude(pk__in=pupils).first()
    import_file(
        dm, "teachinggroup", f"Class,UPN\n{group.name},{newcomer.upn}\n".encode(), CLASS_LISTS
    )
    linked = StaffPupilLink.objects.filter(staff=fls, source="ALLOCATION")
    assert newcomer.pk in set(linked.values_list("pupil_id", flat=True))
