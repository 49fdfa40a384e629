"""MIS import of staff in the admin: through the staff services, in the acting school only."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from staffing.models import Role, StaffMember, User
from tests.staffing.factories import StaffMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(settings.BASE_DIR) / "staffing" / "samples" / "mis-staff.csv"


def sample_rows() -> list[dict]:
    with SAMPLE.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def as_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def preview(client, content: bytes):
    return client.post(
        reverse("admin:staffing_staffmember_import"),
        {"import_file": SimpleUploadedFile("staff.csv", content), "format": "0", "resource": "0"},
    )


def confirm(client, response):
    return client.post(
        reverse("admin:staffing_staffmember_process_import"),
        response.context["confirm_form"].initial,
    )


def text(response) -> str:
    return response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")


def outcomes(response) -> list[str]:
    return re.findall(r'<td class="import-type">\s*(?:<strong>)?(\w+)', text(response))


@pytest.fixture
def dm(member_client, staff):
    return member_client(staff[Role.DATA_MANAGER])


def test_sample_staff_are_created_in_the_school_without_e_mails(dm, staff):
    school = staff[Role.DATA_MANAGER].school
    content = SAMPLE.read_bytes()
    response = preview(dm, content)
    assert outcomes(response) == ["New"] * len(sample_rows())
    assert not User.objects.filter(email__endswith="@oakfield.example.org").exists()

    assert confirm(dm, response).status_code == 302
    rachel = StaffMember.objects.select_related("user").get(
        user__email="rachel.morgan@oakfield.example.org"
    )
    assert (rachel.school, rachel.role, rachel.job_title) == (school, Role.SENDCO, "SENDCo")
    assert rachel.user.first_name == "Rachel"
    assert not rachel.user.has_usable_password()
    imported = StaffMember.objects.filter(
        school=school, user__email__endswith="oakfield.example.org"
    )
    assert imported.count() == len(sample_rows())
    assert mail.outbox == []

    counts = (User.objects.count(), StaffMember.objects.count())
    again = preview(dm, content)
    assert outcomes(again) == ["Unchanged"] * len(sample_rows())
    confirm(dm, again)
    assert (User.objects.count(), StaffMember.objects.count()) == counts

    rows = sample_rows()
    rows[7]["JobTitle"] = "Head of science"
    rows[7]["Role"] = "Teacher"  # the label, as an MIS may write it
    changed = preview(dm, as_csv(rows))
    assert outcomes(changed)[7] == "Update"
    assert outcomes(changed).count("Unchanged") == len(rows) - 1
    confirm(dm, changed)
    assert StaffMember.objects.get(user__email=rows[7]["Email"]).job_title == "Head of science"


def test_an_account_of_another_school_is_not_taken_in(dm, school_b):
    theirs = StaffMemberFactory(
        school=school_b, role=Role.TEACHER, user=UserFactory(email="shared@example.org")
    )
    first_name = theirs.user.first_name
    rows = [{"Email": "Shared@Example.org", "Forename": "New", "Surname": "Name", "Role": "SLT"}]
    response = preview(dm, as_csv(rows))
    assert "Row 2: Email" in text(response)
    assert "already signs in to another school" in text(response)
    assert response.context.get("confirm_form") is None
    theirs.refresh_from_db()
    theirs.user.refresh_from_db()
    assert (theirs.role, theirs.user.first_name) == (Role.TEACHER, first_name)
    assert StaffMember.objects.filter(user=theirs.user).count() == 1


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("Role", "TRUST_LEAD", "Only an administrator can grant or remove trust lead."),
        ("Role", "Cleaner", 'Row 3: Role "Cleaner": This is not a SendHub role. Use one of:'),
        ("Surname", "=1+2", 'Row 3: Surname "=1+2": Starts with'),
        ("Email", "not-an-address", 'Row 3: Email "not-an-address": This is not an e-mail'),
    ],
)
def test_bad_staff_rows_are_rejected_with_the_reason(dm, column, value, message):
    rows = sample_rows()
    rows[1][column] = value
    before = StaffMember.objects.count()
    response = preview(dm, as_csv(rows))
    assert message in text(response), text(response)[:3000]
    assert outcomes(response)[1] == "Rejected"
    assert response.context.get("confirm_form") is None
    assert StaffMember.objects.count() == before


def test_the_data_manager_cannot_change_their_own_role_by_import(dm, staff):
    me = staff[Role.DATA_MANAGER]
    rows = [
        {
            "Email": me.user.email,
            "Forename": me.user.first_name,
            "Surname": me.user.last_name,
            "Role": "TEACHER",
        }
    ]
    response = preview(dm, as_csv(rows))
    assert "You cannot change your own role by import." in text(response)
    me.refresh_from_db()
    assert me.role == Role.DATA_MANAGER


def test_a_teacher_cannot_open_the_staff_import(member_client, staff):
    client = member_client(staff[Role.TEACHER])
    assert client.get(reverse("admin:staffing_staffmember_import")).status_code == 403
    assert preview(client, SAMPLE.read_bytes()).status_code == 403
    assert not User.objects.filter(email__endswith="@oakfield.example.org").exists()
