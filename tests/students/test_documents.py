"""Documents about a pupil: checked uploads, private storage, permission-checked and logged
downloads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from staffing.models import Role
from students.models import PupilDocument, RestrictedAccess
from tests.staffing.factories import StaffMemberFactory
from tests.students.factories import LinkFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload_doc(client, pupil, name="ep-report.pdf", content=PDF):
    return client.post(
        reverse("students:documents", args=[pupil.pk]),
        {
            "kind": "AGENCY_REPORT",
            "title": "EP report",
            "upload": SimpleUploadedFile(name, content),
        },
    )


def test_sendco_uploads_and_linked_staff_download_with_a_log(member_client, staff, pupil):
    assert upload_doc(member_client(staff[Role.SENDCO]), pupil).status_code == 302
    document = PupilDocument.objects.get()
    assert document.content_type == "application/pdf"
    assert "ep-report" not in document.file.name  # no user input in the stored name
    LinkFactory(pupil=pupil, staff=staff[Role.FLS])
    response = member_client(staff[Role.FLS]).get(
        reverse("students:document_download", args=[pupil.pk, document.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert RestrictedAccess.objects.filter(section="document: EP report", role="FLS").exists()


def test_fake_or_disallowed_files_are_refused(member_client, staff, pupil):
    client = member_client(staff[Role.SENDCO])
    response = upload_doc(client, pupil, name="report.pdf", content=b"<html>not a pdf</html>")
    assert "not a .pdf file" in response.content.decode()
    response = upload_doc(client, pupil, name="run.exe", content=b"MZ\x90\x00")
    assert "cannot be uploaded" in response.content.decode()
    assert not PupilDocument.objects.exists()


def test_who_may_read_and_upload_documents(member_client, staff, pupil, school_b):
    upload_doc(member_client(staff[Role.SENDCO]), pupil)
    document = PupilDocument.objects.get()
    download = reverse("students:document_download", args=[pupil.pk, document.pk])
    LinkFactory(pupil=pupil, staff=staff[Role.TEACHER])
    for role in (Role.TEACHER, Role.SLT, Role.DATA_MANAGER):
        assert member_client(staff[role]).get(download).status_code == 403, role
    assert member_client(staff[Role.HLTA]).get(download).status_code == 404  # not linked
    outsider = StaffMemberFactory(school=school_b, role=Role.SENDCO)
    assert member_client(outsider).get(download).status_code == 404
    LinkFactory(pupil=pupil, staff=staff[Role.FLS])
    assert upload_doc(member_client(staff[Role.FLS]), pupil).status_code == 403
    assert PupilDocument.objects.count() == 1
