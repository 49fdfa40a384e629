"""The resource bank (private, checked files), CPD sessions, my CPD and specialists."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cpd.models import CpdAttendance, CpdRecord, Resource, ResourceFile, SupportRequest
from staffing.models import Faculty, Role
from tests.cpd.factories import EventFactory, ResourceFactory, SpecialismFactory
from tests.staffing.factories import StaffMemberFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(name="guide.pdf", content=PDF):
    return SimpleUploadedFile(name, content)


def publish(client, **extra):
    data = {
        "title": "Visual timetable",
        "description": "Printable",
        "kind": "FILE",
        "strategy": "VISUAL_TIMETABLE",
        "area": "CI",
        "key_stage": "KS3",
        "upload": upload(),
        **extra,
    }
    return client.post(reverse("cpd:resource_create"), data)


def test_specialist_publishes_a_file_and_colleagues_download_it(member_client, staff):
    response = publish(member_client(staff[Role.HLTA]))
    assert response.status_code == 302, response.content.decode()[:2000]
    resource = Resource.objects.get()
    assert resource.owner == staff[Role.HLTA]
    stored = resource.files.get()
    assert (stored.version, stored.content_type) == (1, "application/pdf")
    download = member_client(staff[Role.TEACHER]).get(
        reverse("cpd:file_download", args=[stored.pk])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]


def test_files_of_another_school_are_not_served(member_client, staff, school_b):
    publish(member_client(staff[Role.HLTA]))
    stored = ResourceFile.objects.get()
    outsider = StaffMemberFactory(school=school_b, role=Role.SENDCO)
    assert (
        member_client(outsider).get(reverse("cpd:file_download", args=[stored.pk])).status_code
        == 404
    )
    assert (
        member_client(outsider).get(reverse("cpd:resource", args=[stored.resource_id])).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00" + b"0" * 100, "cannot be uploaded"),
        ("fake.pdf", b"just some text pretending", "not a .pdf file"),
        ("photo.png", PDF, "not a .png file"),
        ("notes.txt", b"\x00\x01\x02binary", "does not look like a text file"),
    ],
)
def test_bad_files_are_refused_and_nothing_saved(member_client, staff, name, content, message):
    response = publish(member_client(staff[Role.HLTA]), upload=upload(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Resource.objects.exists()


def test_oversize_files_are_refused(member_client, staff, settings):
    settings.SENDHUB_MAX_UPLOAD_MB = 1
    big = upload("big.pdf", PDF + b"0" * (1024 * 1024 + 1))
    response = publish(member_client(staff[Role.HLTA]), upload=big)
    assert "larger than 1 MB" in response.content.decode()
    assert not Resource.objects.exists()


def test_a_new_file_becomes_the_next_version(member_client, staff):
    client = member_client(staff[Role.HLTA])
    publish(client)
    resource = Resource.objects.get()
    response = client.post(
        reverse("cpd:resource_edit", args=[resource.pk]),
        {
            "title": "Visual timetable v2",
            "kind": "FILE",
            "upload": upload("v2.pdf"),
            "note": "Added symbols",
        },
    )
    assert response.status_code == 302
    assert list(resource.files.values_list("version", "note")) == [
        (2, "Added symbols"),
        (1, "First version"),
    ]
    page = client.get(reverse("cpd:resource", args=[resource.pk])).content.decode()
    assert "Download v2.pdf" in page
    assert "v1" in page


def test_link_resources_need_an_address(member_client, staff):
    response = member_client(staff[Role.SENDCO]).post(
        reverse("cpd:resource_create"), {"title": "Website", "kind": "LINK"}
    )
    assert "Give the link" in response.content.decode()
    assert not Resource.objects.exists()


@pytest.mark.parametrize("role", [Role.FLS, Role.TEACHER, Role.ONE_TO_ONE, Role.SLT])
def test_only_specialists_and_sen_leads_publish(member_client, staff, role):
    assert publish(member_client(staff[role])).status_code == 403
    assert not Resource.objects.exists()


def test_holder_of_a_specialism_may_publish(member_client, staff, school_a):
    SpecialismFactory(school=school_a, holder=staff[Role.FLS], name="SEMH")
    assert publish(member_client(staff[Role.FLS])).status_code == 302


def test_others_cannot_edit_or_retire_a_resource(member_client, staff, school_a):
    resource = ResourceFactory(school=school_a, owner=staff[Role.HLTA])
    client = member_client(staff[Role.FLS])
    assert client.post(reverse("cpd:resource_retire", args=[resource.pk])).status_code == 403
    assert client.get(reverse("cpd:resource_edit", args=[resource.pk])).status_code == 403
    resource.refresh_from_db()
    assert not resource.is_retired


def test_retired_resources_leave_the_bank(member_client, staff, school_a):
    resource = ResourceFactory(school=school_a, owner=staff[Role.HLTA], title="Old sheet")
    member_client(staff[Role.HLTA]).post(reverse("cpd:resource_retire", args=[resource.pk]))
    body = member_client(staff[Role.TEACHER]).get(reverse("cpd:resources")).content.decode()
    assert "Old sheet" not in body
    assert (
        member_client(staff[Role.TEACHER])
        .get(reverse("cpd:resource", args=[resource.pk]))
        .status_code
        == 404
    )


def test_faculty_resources_are_shared_with_that_faculty_only(member_client, staff, school_a):
    science = Faculty.objects.create(school=school_a, name="Science")
    ResourceFactory(
        school=school_a,
        owner=staff[Role.HLTA],
        title="Practical steps",
        shared_with_faculty=science,
    )
    insider = StaffMemberFactory(school=school_a, role=Role.FLS, faculty=science)
    assert (
        "Practical steps" in member_client(insider).get(reverse("cpd:resources")).content.decode()
    )
    assert (
        "Practical steps"
        not in member_client(staff[Role.TEACHER]).get(reverse("cpd:resources")).content.decode()
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "timetable"}, ["Visual timetable"]),
        ({"strategy": "SOCIAL_STORY"}, ["Social story"]),
        ({"area": "SEMH"}, ["Social story"]),
        ({"need_code": "SPLD"}, ["Writing frame"]),
        ({"key_stage": "KS4"}, ["Writing frame"]),
        ({"subject": "hist"}, ["Writing frame"]),
    ],
)
def test_bank_search_and_filters(member_client, staff, school_a, params, expected):
    ResourceFactory(
        school=school_a,
        title="Visual timetable",
        strategy="VISUAL_TIMETABLE",
        area="CI",
        key_stage="KS3",
    )
    ResourceFactory(school=school_a, title="Social story", strategy="SOCIAL_STORY", area="SEMH")
    ResourceFactory(
        school=school_a, title="Writing frame", need_code="SPLD", key_stage="KS4", subject="History"
    )
    body = member_client(staff[Role.TEACHER]).get(reverse("cpd:resources"), params).content.decode()
    results = body.split('class="list-group', 1)[-1]
    titles = ["Visual timetable", "Social story", "Writing frame"]
    shown = [t for t in titles if f'fw-semibold">{t}' in results]
    assert shown == expected


@pytest.mark.parametrize("size", [10, 100])
def test_bank_query_count_does_not_grow(
    member_client, staff, school_a, size, django_assert_max_num_queries
):
    ResourceFactory.create_batch(size, school=school_a, owner=staff[Role.HLTA])
    client = member_client(staff[Role.TEACHER])
    client.get(reverse("home"))
    # session, user, memberships, count, page, "holds a specialism?" (may they publish),
    # the faculties of the filter
    with django_assert_max_num_queries(7):
        assert client.get(reverse("cpd:resources"), {"q": "Resource"}).status_code == 200


# --- CPD sessions ---------------------------------------------------------------------


def signed_in(member):
    """A client of its own (member_client shares one client between sign-ins)."""
    client = Client()
    client.force_login(member.user)
    return client


def test_specialist_runs_a_session_with_register_and_feedback(staff, school_a):
    hlta = signed_in(staff[Role.HLTA])
    material = ResourceFactory(school=school_a, owner=staff[Role.HLTA])
    when = timezone.localtime() - datetime.timedelta(hours=2)
    response = hlta.post(
        reverse("cpd:event_create"),
        {
            "title": "Precision teaching",
            "presenter": staff[Role.HLTA].pk,
            "starts_at": when.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "60",
            "audience": ["FLS", "ONE_TO_ONE"],
            "materials": [material.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = staff[Role.HLTA].cpd_presented.get()
    assert event.role_list == ["FLS", "ONE_TO_ONE"]
    register = hlta.get(reverse("cpd:attendance", args=[event.pk])).content.decode()
    assert staff[Role.FLS].user.full_name in register
    assert staff[Role.TEACHER].user.full_name not in register  # not in the audience
    hlta.post(reverse("cpd:attendance", args=[event.pk]), {"present": [staff[Role.FLS].pk]})
    assert CpdAttendance.objects.get().staff == staff[Role.FLS]

    fls = signed_in(staff[Role.FLS])
    response = fls.post(
        reverse("cpd:feedback", args=[event.pk]), {"rating": "5", "comment": "Useful"}
    )
    assert response.status_code == 302
    assert CpdAttendance.objects.get().rating == 5
    page = hlta.get(reverse("cpd:event", args=[event.pk])).content.decode()
    assert "5.0 out of 5" in page
    assert "Useful" in page
    # Someone not on the register cannot give feedback.
    response = signed_in(staff[Role.ONE_TO_ONE]).post(
        reverse("cpd:feedback", args=[event.pk]), {"rating": "1"}
    )
    assert "Only people on the register" in response.content.decode()
    # My CPD shows the session to the attendee.
    assert "Precision teaching" in fls.get(reverse("cpd:mine")).content.decode()


def test_a_session_needs_a_presenter(member_client, staff):
    response = member_client(staff[Role.SENDCO]).post(
        reverse("cpd:event_create"),
        {"title": "Mystery", "starts_at": "2026-12-01T15:30", "duration_minutes": "60"},
    )
    assert response.status_code == 200
    assert "Name a presenter" in response.content.decode()


def test_register_refuses_staff_of_another_school(member_client, staff, school_a, school_b):
    event = EventFactory(school=school_a, presenter=staff[Role.HLTA])
    outsider = StaffMemberFactory(school=school_b)
    member_client(staff[Role.HLTA]).post(
        reverse("cpd:attendance", args=[event.pk]), {"present": [outsider.pk]}
    )
    assert not CpdAttendance.objects.exists()


def test_only_presenter_and_sen_leads_take_the_register(member_client, staff, school_a):
    event = EventFactory(school=school_a, presenter=staff[Role.HLTA])
    assert (
        member_client(staff[Role.FLS]).get(reverse("cpd:attendance", args=[event.pk])).status_code
        == 403
    )


@pytest.mark.parametrize("size", [5, 50])
def test_calendar_query_count_does_not_grow(
    member_client, staff, school_a, size, django_assert_max_num_queries
):
    EventFactory.create_batch(size, school=school_a, presenter=staff[Role.HLTA])
    client = member_client(staff[Role.FLS])
    client.get(reverse("home"))
    with django_assert_max_num_queries(6):
        assert client.get(reverse("cpd:calendar")).status_code == 200


def test_my_cpd_records_and_export(member_client, staff):
    client = member_client(staff[Role.ONE_TO_ONE])
    response = client.post(
        reverse("cpd:record_add"),
        {
            "title": '=HYPERLINK("x")',
            "completed_on": "2026-10-01",
            "hours": "2",
            "reflection": "Using now/next boards",
        },
    )
    assert response.status_code == 302
    future = client.post(
        reverse("cpd:record_add"), {"title": "Later", "completed_on": "2099-01-01", "hours": "1"}
    )
    assert "once it has happened" in future.content.decode()
    assert CpdRecord.objects.count() == 1
    export = client.get(reverse("cpd:mine_export"))
    assert export.status_code == 200
    assert "'=HYPERLINK" in export.content.decode()
    other = StaffMemberFactory(school=staff[Role.FLS].school)
    record = CpdRecord.objects.get()
    assert member_client(other).get(reverse("cpd:record_edit", args=[record.pk])).status_code == 404


# --- specialists ----------------------------------------------------------------------


def test_staff_ask_a_specialist_who_answers(staff, school_a):
    literacy = SpecialismFactory(school=school_a, name="Literacy", holder=staff[Role.HLTA])
    url = reverse("cpd:specialism", args=[literacy.pk])
    teacher = signed_in(staff[Role.TEACHER])
    response = teacher.post(url, {"kind": "TRAINING", "message": "Phonics for KS3 please"})
    assert response.status_code == 302
    request = SupportRequest.objects.get()
    # Another colleague does not see someone else's request, nor answer it.
    fls = signed_in(staff[Role.FLS])
    assert "Phonics for KS3" not in fls.get(url).content.decode()
    answer = reverse("cpd:answer_request", args=[request.pk])
    assert fls.post(answer, {"status": "DONE"}).status_code == 403
    hlta = signed_in(staff[Role.HLTA])
    assert "Phonics for KS3" in hlta.get(url).content.decode()
    hlta.post(answer, {"status": "IN_PROGRESS", "response": "Session on 3 Dec"})
    request.refresh_from_db()
    assert (request.status, request.response) == ("IN_PROGRESS", "Session on 3 Dec")
    assert "Session on 3 Dec" in teacher.get(url).content.decode()


def test_admin_cannot_attach_another_schools_resources(member_client, staff, school_b):
    foreign = ResourceFactory(school=school_b, title="Elsewhere sheet")
    response = member_client(staff[Role.DATA_MANAGER]).post(
        reverse("admin:cpd_cpdevent_add"),
        {
            "title": "Session",
            "external_presenter": "LA",
            "starts_at_0": "2026-10-01",
            "starts_at_1": "15:30",
            "duration_minutes": "60",
            "materials": [foreign.pk],
            "attendance-TOTAL_FORMS": "0",
            "attendance-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_a_clear_tickbox_on_the_upload_is_harmless(member_client, staff):
    response = publish(member_client(staff[Role.HLTA]), **{"upload-clear": "on"})
    assert response.status_code in (200, 302)


def test_register_waits_for_the_session(member_client, staff, school_a):
    event = EventFactory(
        school=school_a,
        presenter=staff[Role.HLTA],
        starts_at=timezone.now() + datetime.timedelta(days=5),
    )
    member_client(staff[Role.HLTA]).post(
        reverse("cpd:attendance", args=[event.pk]), {"present": [staff[Role.FLS].pk]}
    )
    assert not CpdAttendance.objects.exists()


def test_session_page_lists_only_materials_the_viewer_may_open(member_client, staff, school_a):
    science = Faculty.objects.create(school=school_a, name="Science")
    hidden = ResourceFactory(school=school_a, title="Science only", shared_with_faculty=science)
    shown = ResourceFactory(school=school_a, title="For everyone")
    event = EventFactory(school=school_a, presenter=staff[Role.HLTA])
    event.materials.set([hidden, shown])
    body = (
        member_client(staff[Role.TEACHER])
        .get(reverse("cpd:event", args=[event.pk]))
        .content.decode()
    )
    assert "For everyone" in body
    assert "Science only" not in body
    # The presenter editing the session keeps the material they could not see.
    member_client(staff[Role.HLTA]).post(
        reverse("cpd:event_edit", args=[event.pk]),
        {
            "title": event.title,
            "presenter": staff[Role.HLTA].pk,
            "starts_at": "2026-10-01T15:30",
            "duration_minutes": "60",
            "materials": [shown.pk],
        },
    )
    assert set(event.materials.values_list("title", flat=True)) == {"Science only", "For everyone"}


def test_csv_blank_cells_stay_blank(member_client, staff):
    client = member_client(staff[Role.ONE_TO_ONE])
    client.post(
        reverse("cpd:record_add"), {"title": "Reading", "completed_on": "2026-10-01", "hours": "1"}
    )
    lines = client.get(reverse("cpd:mine_export")).content.decode().splitlines()
    assert lines[1].endswith("Reading,Own record,1.0,,")


def test_any_zip_is_not_a_word_document(member_client, staff):
    import zipfile as zf

    buffer = io.BytesIO()
    with zf.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", "<script>alert(1)</script>")
    response = publish(
        member_client(staff[Role.HLTA]), upload=upload("fake.docx", buffer.getvalue())
    )
    assert "not the kind of Office document" in response.content.decode()
    assert not Resource.objects.exists()


def test_bank_filters_by_faculty(member_client, staff, school_a):
    science = Faculty.objects.create(school=school_a, name="Science")
    ResourceFactory(school=school_a, title="Practical steps", shared_with_faculty=science)
    ResourceFactory(school=school_a, title="Everyone's sheet")
    body = (
        member_client(staff[Role.SENDCO])
        .get(reverse("cpd:resources"), {"faculty": science.pk})
        .content.decode()
    )
    results = body.split('class="list-group', 1)[-1]
    assert "Practical steps" in results
    assert "Everyone's sheet" not in results
