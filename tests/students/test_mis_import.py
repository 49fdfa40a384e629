"""MIS import of pupils and contacts in the admin: preview, confirm, all or nothing, the
acting school only. Driven through the real admin views as the data manager."""

import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sendhub.imports import PreviewFileStorage
from staffing.models import Role
from students.exports import RegisterResource
from students.models import EhcPlan, Pupil, PupilContact, PupilNeed, RegisterPeriod, SenStatus
from students.services.register import pupil_register_set
from students.upn import make_upn
from tests.staffing.factories import StaffMemberFactory
from tests.students.factories import NeedFactory, PupilFactory

pytestmark = pytest.mark.django_db

SAMPLES = Path(settings.BASE_DIR) / "students" / "samples"
CSV_FORMAT, XLSX_FORMAT = "0", "1"


def sample_rows(name="mis-pupils.csv") -> list[dict]:
    with (SAMPLES / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def as_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def preview(client, model, content: bytes, name="export.csv", fmt=CSV_FORMAT):
    return client.post(
        reverse(f"admin:students_{model}_import"),
        {"import_file": SimpleUploadedFile(name, content), "format": fmt, "resource": "0"},
    )


def confirm(client, model, response):
    assert response.context["confirm_form"] is not None, body(response)[:3000]
    return client.post(
        reverse(f"admin:students_{model}_process_import"),
        response.context["confirm_form"].initial,
    )


def import_file(client, model, content: bytes, **kwargs):
    response = confirm(client, model, preview(client, model, content, **kwargs))
    assert response.status_code == 302, body(response)[:3000]
    return response


def body(response) -> str:
    return response.content.decode()


def outcomes(response) -> list[str]:
    """The "What happens" cell of each row of the preview table."""
    cells = re.findall(r'<td class="import-type">\s*(?:<strong>)?(\w+)', body(response))
    return cells


def snapshot():
    return (
        Pupil.objects.count(),
        PupilNeed.objects.count(),
        RegisterPeriod.objects.count(),
        Pupil.history.count(),
        PupilNeed.history.count(),
        RegisterPeriod.history.count(),
        PupilContact.objects.count(),
        PupilContact.history.count(),
    )


@pytest.fixture
def dm(member_client, staff):
    return member_client(staff[Role.DATA_MANAGER])


@pytest.fixture
def pupils_csv():
    return (SAMPLES / "mis-pupils.csv").read_bytes()


def test_samples_have_valid_upns_and_a_mix_of_statuses():
    from stdnum.gb import upn

    rows = sample_rows()
    assert 8 <= len(rows) <= 12
    assert all(upn.is_valid(row["UPN"]) for row in rows)
    assert {row["SENprovision"] for row in rows} == {"N", "K", "E"}
    contacts = sample_rows("mis-contacts.csv")
    assert 8 <= len(contacts) <= 12
    assert {c["UPN"] for c in contacts} <= {row["UPN"] for row in rows}


def test_preview_shows_each_row_as_new_and_saves_nothing(dm, pupils_csv):
    response = preview(dm, "pupil", pupils_csv)
    assert response.status_code == 200
    assert outcomes(response) == ["New"] * len(sample_rows())
    assert "Confirm import" in body(response)
    assert not Pupil.objects.exists()
    assert not RegisterPeriod.objects.exists()


def test_confirming_creates_pupils_needs_and_register_spans_in_the_school(dm, staff, pupils_csv):
    school = staff[Role.DATA_MANAGER].school
    response = import_file(dm, "pupil", pupils_csv, name="autumn.csv")
    assert response["Location"] == reverse("admin:students_pupil_changelist")

    rows = sample_rows()
    assert Pupil.objects.filter(school=school).count() == len(rows)
    amelia = Pupil.objects.get(upn=rows[1]["UPN"])
    assert (amelia.first_name, amelia.preferred_name, amelia.last_name) == (
        "Amelia",
        "Millie",
        "Hughes",
    )
    assert amelia.date_of_birth == date(2014, 3, 2)
    assert amelia.year_group == 7
    assert amelia.pupil_premium
    assert not amelia.eal
    assert amelia.sen_status == SenStatus.SUPPORT
    mohammed = Pupil.objects.get(upn=rows[3]["UPN"])
    assert list(mohammed.needs.values_list("rank", "code")) == [(1, "SLCN"), (2, "ASD")]
    assert all(need.school == school for need in PupilNeed.objects.all())

    # Status went through the register service: one open span per pupil on the register,
    # from today, recorded by the data manager, with the file named.
    on_register = [row for row in rows if row["SENprovision"] in ("K", "E")]
    spans = RegisterPeriod.objects.all()
    assert spans.count() == len(on_register)
    harry = spans.get(pupil__upn=rows[5]["UPN"])
    assert harry.status == SenStatus.EHCP
    assert harry.started_on == timezone.localdate()
    assert harry.ended_on is None
    assert harry.recorded_by == staff[Role.DATA_MANAGER].user
    assert "autumn.csv" in harry.reason
    assert harry.school == school
    assert not RegisterPeriod.objects.filter(pupil__sen_status=SenStatus.NONE).exists()


def test_importing_the_same_file_twice_changes_nothing(dm, pupils_csv):
    import_file(dm, "pupil", pupils_csv)
    before = snapshot()

    again = preview(dm, "pupil", pupils_csv)
    assert outcomes(again) == ["Unchanged"] * len(sample_rows())
    confirm(dm, "pupil", again)
    assert snapshot() == before


def test_xlsx_sample_imports_exactly_like_the_csv(dm, pupils_csv):
    xlsx = (SAMPLES / "mis-pupils.xlsx").read_bytes()
    response = preview(dm, "pupil", xlsx, name="pupils.xlsx", fmt=XLSX_FORMAT)
    assert outcomes(response) == ["New"] * len(sample_rows()), body(response)[:3000]
    confirm(dm, "pupil", response)
    before = snapshot()

    # The same pupils from the CSV: nothing to change, so the two files say the same.
    assert outcomes(preview(dm, "pupil", pupils_csv)) == ["Unchanged"] * len(sample_rows())
    assert snapshot() == before


def test_the_census_export_of_the_register_imports_back_unchanged(dm, pupils_csv):
    import_file(dm, "pupil", pupils_csv)
    every_column = {f"registerresource_{name}": "on" for name in RegisterResource.Meta.fields}
    exported = dm.post(
        reverse("admin:students_pupil_export"), {"format": "0", "resource": "0", **every_column}
    )
    assert exported["Content-Type"].startswith("text/csv")
    assert b"SENtype1" in exported.content
    assert outcomes(preview(dm, "pupil", exported.content)) == ["Unchanged"] * len(sample_rows())


def many_rows(count: int) -> list[dict]:
    """A school's worth of rows: about one in five on the register, as in the census."""
    statuses = ["N", "N", "N", "N", "K", "N", "N", "N", "N", "E"]
    return [
        {
            "UPN": make_upn(937, 5000, 18, serial),
            "Surname": f"Pupil {serial}",
            "Forename": "Sam",
            "DOB": "17/05/2013",
            "NCyearActual": "8",
            "SENprovision": statuses[serial % 10],
            "SENtype1": "SLCN" if statuses[serial % 10] != "N" else "",
            "SENtype2": "ASD" if statuses[serial % 10] == "E" else "",
        }
        for serial in range(count)
    ]


def test_an_unchanged_file_is_checked_in_a_fixed_number_of_queries(dm):
    """The file's pupils and needs are read once, however long the file. (The library wraps
    each row in a savepoint; those two statements a row are not counted.)"""
    large = many_rows(100)
    import_file(dm, "pupil", as_csv(large))
    counts = []
    for rows in (large[:10], large):
        statements = []

        def record(execute, sql, params, many, context, statements=statements):
            if "SAVEPOINT" not in sql:
                statements.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            assert set(outcomes(preview(dm, "pupil", as_csv(rows)))) == {"Unchanged"}
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 8, counts


def test_changed_rows_update_details_status_and_needs_through_the_services(dm, staff, pupil):
    """The fixture pupil (K, SLCN primary) moves to an EHC plan, a new year and tutor group,
    with ASD primary and SLCN secondary; the other row is new."""
    rows = [
        {
            "UPN": pupil.upn,
            "Surname": pupil.last_name,
            "Forename": pupil.first_name,
            "DOB": pupil.date_of_birth.strftime("%d/%m/%Y"),
            "NCyearActual": "Year 9",
            "TutorGroup": "9Q",
            "SENprovision": "E",
            "SENtype1": "ASD",
            "SENtype2": "SLCN",
        },
        {
            "UPN": make_upn(801, 7001, 18, 5),
            "Surname": "Marsh",
            "Forename": "Ella",
            "DOB": "2013-01-02",
            "NCyearActual": "R",
            "TutorGroup": "",
            "SENprovision": "N",
            "SENtype1": "",
            "SENtype2": "",
        },
    ]
    assert pupil.needs.get().descriptor == "speech sound disorder"

    response = preview(dm, "pupil", as_csv(rows))
    assert outcomes(response) == ["Update", "New"]
    import_file(dm, "pupil", as_csv(rows))

    pupil.refresh_from_db()
    assert (pupil.year_group, pupil.tutor_group, pupil.sen_status) == (9, "9Q", "E")
    needs = {need.rank: need for need in pupil.needs.all()}
    assert (needs[1].code, needs[2].code) == ("ASD", "SLCN")
    assert needs[2].descriptor == "speech sound disorder"  # kept when the code moved rank
    assert Pupil.objects.get(upn=rows[1]["UPN"]).year_group == 0


def test_status_change_closes_the_open_span_like_the_register_page(dm, staff):
    school = staff[Role.DATA_MANAGER].school
    pupil = PupilFactory(school=school, sen_status=SenStatus.NONE)
    pupil_register_set(
        pupil=pupil, status=SenStatus.SUPPORT, on=date(2024, 9, 4), actor=staff[Role.SENDCO]
    )
    NeedFactory(pupil=pupil, code="MLD")
    row = {
        "UPN": pupil.upn,
        "Surname": pupil.last_name,
        "Forename": pupil.first_name,
        "DOB": "17/05/2013",
        "NCyearActual": "8",
        "TutorGroup": "8R",
        "SENprovision": "N",
        "SENtype1": "",
    }
    import_file(dm, "pupil", as_csv([row]))

    spans = list(RegisterPeriod.objects.filter(pupil=pupil).order_by("started_on"))
    assert [(s.status, s.started_on, s.ended_on) for s in spans] == [
        ("K", date(2024, 9, 4), timezone.localdate())
    ]
    pupil.refresh_from_db()
    assert pupil.sen_status == SenStatus.NONE
    assert not pupil.needs.exists()


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("UPN", "A801200005001", 'Row 4: UPN "A801200005001": This is not a valid UPN'),
        (
            "SENtype1",
            "XYZ",
            'Row 4: SENtype1 "XYZ": Unknown need code. Use one of the census codes: SPLD, MLD',
        ),
        ("DOB", "31/02/2013", 'Row 4: DOB "31/02/2013": This is not a date'),
        (
            "Forename",
            '=HYPERLINK("http://evil.example","Click")',
            "Row 4: Forename",
        ),
        ("SENprovision", "S", 'Row 4: SENprovision "S": Use N (no SEN), K (SEN support)'),
        ("NCyearActual", "Z", 'Row 4: NCyearActual "Z": Use R for Reception'),
    ],
)
def test_a_file_with_one_bad_row_shows_why_and_cannot_be_applied(dm, column, value, message):
    rows = sample_rows()
    rows[2][column] = value  # the third pupil: row 4 of the spreadsheet
    before = snapshot()

    response = preview(dm, "pupil", as_csv(rows))
    assert response.status_code == 200
    text = body(response)
    assert message in text.replace("&quot;", '"').replace("&#x27;", "'"), text[:4000]
    assert outcomes(response)[2] == "Rejected"
    assert outcomes(response).count("New") == len(rows) - 1  # the others are still previewed
    assert "Confirm import" not in text
    assert response.context.get("confirm_form") is None
    assert snapshot() == before


def test_a_formula_is_refused_with_the_reason(dm):
    rows = sample_rows()
    rows[0]["Surname"] = "@SUM(1+1)*cmd"
    response = preview(dm, "pupil", as_csv(rows))
    assert "Row 2: Surname" in body(response)
    assert "which a spreadsheet runs as a formula" in body(response)
    assert not Pupil.objects.exists()


def test_the_same_upn_twice_in_a_file_is_refused(dm):
    rows = sample_rows()
    rows[4]["UPN"] = rows[1]["UPN"]
    response = preview(dm, "pupil", as_csv(rows))
    assert "Row 6: UPN" in body(response)
    assert "Also on row 3" in body(response)
    assert response.context.get("confirm_form") is None


def test_a_file_without_the_needed_columns_is_refused_whole(dm):
    rows = [{k: v for k, v in row.items() if k != "DOB"} for row in sample_rows()]
    response = preview(dm, "pupil", as_csv(rows))
    assert "The file has no DOB column" in body(response)
    assert response.context.get("confirm_form") is None
    assert not Pupil.objects.exists()


def test_columns_are_matched_without_case_or_spaces_and_blank_lines_are_ignored(dm):
    rows = sample_rows()[:2]
    content = as_csv(rows).decode()
    header, *lines = content.splitlines()
    header = header.replace("PreferredForename", "Preferred forename").replace(
        "DOB", "Date of birth"
    )
    content = "\n".join([header, lines[0], ",,,,,,,,,,,,", lines[1], ""]).encode()
    response = preview(dm, "pupil", content)
    assert outcomes(response) == ["New", "New"]
    assert re.findall(r"<tr class=\"new\">\s*<td>(\d+)</td>", body(response)) == ["2", "4"]


def test_confirming_a_file_that_no_longer_validates_applies_nothing(dm, pupils_csv):
    """All or nothing: the preview passed, then the file changed on disk before the
    confirm (for instance a record changed meanwhile); no row is kept."""
    response = preview(dm, "pupil", pupils_csv)
    name = response.context["confirm_form"].initial["import_file_name"]
    rows = sample_rows()
    rows[-1]["SENtype1"] = "XYZ"
    PreviewFileStorage(name=name).save(as_csv(rows))

    result = confirm(dm, "pupil", response)
    assert result.status_code == 302
    assert result["Location"] == reverse("admin:students_pupil_import")
    assert snapshot() == (0, 0, 0, 0, 0, 0, 0, 0)
    followed = dm.get(result["Location"])
    assert "Nothing was imported" in body(followed)


def test_a_status_change_refused_by_the_register_rules_is_a_rejected_row(dm, staff):
    school = staff[Role.DATA_MANAGER].school
    pupil = PupilFactory(school=school, sen_status=SenStatus.NONE)
    pupil_register_set(
        pupil=pupil, status=SenStatus.EHCP, on=date(2024, 9, 4), actor=staff[Role.SENDCO]
    )
    NeedFactory(pupil=pupil, code="ASD")
    EhcPlan.objects.create(
        school=school,
        pupil=pupil,
        date_issued=date(2024, 9, 1),
        local_authority="Warwickshire",
        primary_need="ASD",
        next_review_date=date(2025, 9, 1),
    )
    row = {
        "UPN": pupil.upn,
        "Surname": pupil.last_name,
        "Forename": pupil.first_name,
        "DOB": "17/05/2013",
        "NCyearActual": "8",
        "SENprovision": "K",
        "SENtype1": "ASD",
    }
    response = preview(dm, "pupil", as_csv([row]))
    assert "Row 2: SENprovision" in body(response)
    assert "has an EHC plan" in body(response)
    assert response.context.get("confirm_form") is None


def test_a_upn_of_another_schools_pupil_is_never_touched(dm, staff, school_b):
    rows = sample_rows()
    other = PupilFactory(
        school=school_b,
        upn=rows[0]["UPN"],
        first_name="Elsewhere",
        last_name="Kept",
        sen_status=SenStatus.SUPPORT,
    )
    history_before = other.history.count()

    response = preview(dm, "pupil", as_csv(rows))
    assert outcomes(response)[0] == "New"
    import_file(dm, "pupil", as_csv(rows))

    other.refresh_from_db()
    assert (other.first_name, other.last_name, other.sen_status) == ("Elsewhere", "Kept", "K")
    assert other.history.count() == history_before
    assert not RegisterPeriod.objects.filter(pupil=other).exists()
    ours = Pupil.objects.get(upn=rows[0]["UPN"], school=staff[Role.DATA_MANAGER].school)
    assert ours.first_name == "Oliver"


@pytest.mark.parametrize("role", [Role.TEACHER, Role.SENDCO, Role.SLT])
def test_staff_without_the_admin_cannot_import(member_client, staff, role, pupils_csv):
    client = member_client(staff[role])
    assert client.get(reverse("admin:students_pupil_import")).status_code == 403
    assert preview(client, "pupil", pupils_csv).status_code == 403
    posted = client.post(
        reverse("admin:students_pupil_process_import"),
        {"import_file_name": "x", "original_file_name": "x.csv", "format": "0"},
    )
    assert posted.status_code == 403
    assert client.get(reverse("admin:students_pupilcontact_import")).status_code == 403
    assert not Pupil.objects.exists()


def test_only_a_file_previewed_in_this_session_can_be_confirmed(dm, school_b, pupils_csv):
    # A data manager of another school previews the file in their own session ...
    other = Client()
    other.force_login(StaffMemberFactory(school=school_b, role=Role.DATA_MANAGER).user)
    theirs = preview(other, "pupil", pupils_csv).context["confirm_form"].initial
    # ... and its name alone lets nobody else confirm it, into their school or any other.
    forged = dm.post(reverse("admin:students_pupil_process_import"), theirs)
    assert forged.status_code == 403
    assert not Pupil.objects.exists()

    response = preview(dm, "pupil", pupils_csv)
    confirm(dm, "pupil", response)
    again = confirm(dm, "pupil", response)  # a second submit of the same preview
    assert again.status_code == 403


def test_an_expired_preview_asks_for_the_file_again(dm, pupils_csv):
    response = preview(dm, "pupil", pupils_csv)
    PreviewFileStorage(name=response.context["confirm_form"].initial["import_file_name"]).remove()
    expired = confirm(dm, "pupil", response)
    assert expired["Location"] == reverse("admin:students_pupil_import")
    assert "The preview has expired" in body(dm.get(expired["Location"]))
    assert not Pupil.objects.exists()


def test_the_import_page_lists_the_columns_and_the_sample(dm):
    page = body(dm.get(reverse("admin:students_pupil_import")))
    assert "SENtype1" in page
    assert "students/samples/mis-pupils.csv" in page
    changelist = body(dm.get(reverse("admin:students_pupil_changelist")))
    assert reverse("admin:students_pupil_import") in changelist
    assert reverse("admin:students_pupil_export") in changelist


# --- contacts -------------------------------------------------------------------------


@pytest.fixture
def contacts_csv():
    return (SAMPLES / "mis-contacts.csv").read_bytes()


def test_contacts_import_for_pupils_of_the_school_and_again_changes_nothing(
    dm, staff, pupils_csv, contacts_csv
):
    import_file(dm, "pupil", pupils_csv)
    response = preview(dm, "pupilcontact", contacts_csv)
    assert outcomes(response) == ["New"] * len(sample_rows("mis-contacts.csv"))
    confirm(dm, "pupilcontact", response)

    school = staff[Role.DATA_MANAGER].school
    assert PupilContact.objects.filter(school=school).count() == 11
    marsh = PupilContact.objects.get(name="Helen Marsh")
    assert (marsh.relationship, marsh.parental_responsibility) == ("Foster carer", False)
    assert marsh.pupil.last_name == "O'Connor"
    assert PupilContact.objects.get(name="Emma Clarke").phone == "+44 7700 900111"

    before = snapshot()
    again = preview(dm, "pupilcontact", contacts_csv)
    assert outcomes(again) == ["Unchanged"] * 11
    confirm(dm, "pupilcontact", again)
    assert snapshot() == before

    rows = sample_rows("mis-contacts.csv")
    rows[0]["Phone"] = "07700 900999"
    assert outcomes(preview(dm, "pupilcontact", as_csv(rows)))[0] == "Update"


def test_a_contact_of_a_pupil_in_another_school_is_rejected(dm, pupil, school_b, contacts_csv):
    elsewhere = PupilFactory(school=school_b)
    rows = [
        {"UPN": pupil.upn, "ContactName": "Jo Okafor", "Relationship": "Mother"},
        {"UPN": elsewhere.upn, "ContactName": "Sam Other", "Relationship": "Father"},
    ]
    response = preview(dm, "pupilcontact", as_csv(rows))
    text = body(response)
    assert f'Row 3: UPN "{elsewhere.upn}": No pupil of Oakfield Academy has this UPN' in (
        text.replace("&quot;", '"')
    )
    assert outcomes(response) == ["New", "Rejected"]
    assert response.context.get("confirm_form") is None
    assert not PupilContact.objects.exists()


def test_contact_names_cannot_be_formulas(dm, pupil):
    rows = [{"UPN": pupil.upn, "ContactName": "+cmd|' /C calc'!A0", "Relationship": "Mother"}]
    response = preview(dm, "pupilcontact", as_csv(rows))
    assert "Row 2: ContactName" in body(response)
    assert "formula" in body(response)
    assert not PupilContact.objects.exists()


def test_data_manager_sees_only_own_schools_contacts(dm, pupil, school_b):
    PupilContact.objects.create(
        school=pupil.school, pupil=pupil, name="Jo Okafor", relationship="Mother"
    )
    elsewhere = PupilFactory(school=school_b)
    theirs = PupilContact.objects.create(
        school=school_b, pupil=elsewhere, name="Sam Other", relationship="Father"
    )
    page = body(dm.get(reverse("admin:students_pupilcontact_changelist")))
    assert "Jo Okafor" in page
    assert "Sam Other" not in page
    url = reverse("admin:students_pupilcontact_change", args=[theirs.pk])
    assert dm.get(url).status_code == 404
