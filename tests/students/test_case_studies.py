"""Case studies: written by the staff who support a pupil with the SENDCo, agreed by the
SENDCo; rich text is sanitised so a pasted script never runs."""

import pytest
from django.urls import reverse

from staffing.models import Role
from students.models import CaseStudy, SenStatus
from tests.students.factories import LinkFactory, PupilFactory

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<h3>Summer term</h3><p onclick="steal()">Maya now <strong>reads aloud</strong> in class.'
    '<script>alert(1)</script></p><img src=x onerror="alert(2)">'
    '<a href="javascript:alert(3)">bad</a> <a href="https://example.org/report">report</a>'
    "<style>body{display:none}</style><iframe src='https://evil.example'></iframe>"
)


def write(client, pupil, **data):
    payload = {"title": "Maya's year in Year 8", "body": HOSTILE, **data}
    return client.post(reverse("students:case_study_add", args=[pupil.pk]), payload)


def test_linked_hlta_writes_and_the_body_is_sanitised(member_client, pupil, staff):
    hlta = staff[Role.HLTA]
    LinkFactory(pupil=pupil, staff=hlta)
    response = write(member_client(hlta), pupil)
    assert response.status_code == 302
    study = CaseStudy.objects.get()
    assert study.written_by == hlta
    assert study.school_id == pupil.school_id
    for bad in ("script", "onclick", "onerror", "javascript:", "<img", "<style", "<iframe"):
        assert bad not in study.body
    assert "<strong>reads aloud</strong>" in study.body
    assert '<a href="https://example.org/report" rel="noopener noreferrer nofollow">' in study.body
    page = member_client(hlta).get(response["Location"]).content.decode()
    assert "<h3>Summer term</h3>" in page
    assert "alert(" not in page
    assert "Awaiting the SENDCo" in page


def test_a_row_written_around_the_service_still_renders_safely(member_client, pupil, staff):
    study = CaseStudy.objects.create(
        school=pupil.school, pupil=pupil, title="Imported", body=HOSTILE
    )
    page = member_client(staff[Role.SENDCO]).get(
        reverse("students:case_study", args=[pupil.pk, study.pk])
    )
    assert "<script>" not in page.content.decode()
    assert "onerror" not in page.content.decode()


def test_sendco_agrees_and_a_later_edit_needs_agreeing_again(member_client, pupil, staff):
    hlta = staff[Role.HLTA]
    LinkFactory(pupil=pupil, staff=hlta)
    write(member_client(hlta), pupil, body="<p>First version</p>")
    study = CaseStudy.objects.get()
    # The HLTA may not agree it; the SENDCo may.
    agree = reverse("students:case_study_agree", args=[pupil.pk, study.pk])
    assert member_client(hlta).post(agree).status_code == 403
    member_client(staff[Role.SENDCO]).post(agree)
    study.refresh_from_db()
    assert study.agreed_by == staff[Role.SENDCO]
    edit = reverse("students:case_study_edit", args=[pupil.pk, study.pk])
    member_client(hlta).post(edit, {"title": study.title, "body": "<p>Second version</p>"})
    study.refresh_from_db()
    assert study.body == "<p>Second version</p>"
    assert study.agreed_on is None


def test_empty_or_script_only_bodies_are_refused(member_client, pupil, staff):
    client = member_client(staff[Role.SENDCO])
    response = write(client, pupil, body="<script>alert(1)</script>")
    assert response.status_code == 200
    assert "Write the case study." in response.content.decode()
    assert not CaseStudy.objects.exists()
    too_long = write(client, pupil, body="x" * 50_001)
    assert "at most 50000 characters" in too_long.content.decode()
    assert not CaseStudy.objects.exists()


def test_pupils_not_on_the_register_have_no_case_study(member_client, school_a, staff):
    other = PupilFactory(school=school_a, sen_status=SenStatus.NONE)
    response = write(member_client(staff[Role.SENDCO]), other)
    assert "pupils on the SEND register" in response.content.decode()
    assert not CaseStudy.objects.exists()


def test_who_may_read_write_and_delete(member_client, pupil, staff, school_b):
    study = CaseStudy.objects.create(
        school=pupil.school, pupil=pupil, title="Year 8", body="<p>Progress</p>"
    )
    read = reverse("students:case_study", args=[pupil.pk, study.pk])
    assert member_client(staff[Role.SLT]).get(read).status_code == 200
    assert member_client(staff[Role.FLS]).get(read).status_code == 404
    LinkFactory(pupil=pupil, staff=staff[Role.TEACHER])
    assert member_client(staff[Role.TEACHER]).get(read).status_code == 403
    assert write(member_client(staff[Role.SLT]), pupil).status_code == 403
    unlinked = write(member_client(staff[Role.ONE_TO_ONE]), pupil)
    assert unlinked.status_code == 404
    other = PupilFactory(school=school_b)
    response = member_client(staff[Role.SENDCO]).get(
        reverse("students:case_study", args=[other.pk, study.pk])
    )
    assert response.status_code == 404
    delete = reverse("students:case_study_delete", args=[pupil.pk, study.pk])
    hlta = staff[Role.HLTA]
    LinkFactory(pupil=pupil, staff=hlta)
    assert member_client(hlta).post(delete).status_code == 403
    assert member_client(staff[Role.PSO]).post(delete).status_code == 302
    assert not CaseStudy.objects.exists()


def test_case_study_list_query_budget(member_client, pupil, staff, django_assert_max_num_queries):
    client = member_client(staff[Role.SENDCO])
    url = reverse("students:case_studies", args=[pupil.pk])

    def add(n):
        for i in range(n):
            CaseStudy.objects.create(
                school=pupil.school,
                pupil=pupil,
                title=f"Study {i}",
                body="<p>x</p>",
                written_by=staff[Role.HLTA],
                agreed_by=staff[Role.SENDCO],
            )

    add(2)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    add(20)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
