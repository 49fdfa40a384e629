"""The behaviour and regulation log: logged in a few taps by staff who work with the pupil,
bad entries refused with the reason and nothing saved, retries stored once, every read
logged, and a pattern view whose figures are computed in SQL."""

import datetime
import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from staffing.models import Role
from students.models import BehaviourIncident, RestrictedAccess
from students.selectors import behaviour_pattern
from students.services.behaviour import behaviour_incident_correct, behaviour_incident_record
from tests.staffing.factories import StaffMemberFactory
from tests.students.factories import LinkFactory, PupilFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def assistant(staff, pupil):
    """The 1:1 assistant linked to Maya, whose passport lists her own strategies."""
    pupil.passport.regulation_strategies = "- Squeeze ball\n\n• Walk to the library\n"
    pupil.passport.save()
    member = staff[Role.ONE_TO_ONE]
    LinkFactory(pupil=pupil, staff=member)
    return member


def local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def form_time(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def payload(**changes):
    data = {
        "occurred_at": form_time(timezone.now() - datetime.timedelta(minutes=10)),
        "setting": "LESSON",
        "lesson": "Year 8 science",
        "trigger": "DEMAND",
        "antecedent": "Asked to write the method up.",
        "behaviour": "Pushed the book away and left the seat.",
        "intensity": "3",
        "strategy": "Squeeze ball",
        "strategy_helped": "YES",
        "outcome": "Returned to the task after five minutes.",
        "client_id": str(uuid.uuid4()),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def post_incident(client, pupil, **changes):
    return client.post(reverse("students:behaviour_record", args=[pupil.pk]), payload(**changes))


def record(pupil, actor, **changes):
    fields = {
        "occurred_at": timezone.now() - datetime.timedelta(minutes=10),
        "setting": "LESSON",
        "trigger": "DEMAND",
        "behaviour": "Left the room.",
        "intensity": 2,
    }
    fields.update(changes)
    return behaviour_incident_record(pupil=pupil, actor=actor, **fields)


def test_linked_assistant_logs_an_incident_and_sees_it_listed(member_client, pupil, assistant):
    client = member_client(assistant)
    response = post_incident(client, pupil)
    assert response.status_code == 302
    incident = BehaviourIncident.objects.get()
    assert (incident.school_id, incident.pupil_id, incident.recorded_by_id) == (
        pupil.school_id,
        pupil.pk,
        assistant.pk,
    )
    assert (incident.setting, incident.trigger, incident.intensity) == ("LESSON", "DEMAND", 3)
    assert (incident.strategy, incident.strategy_helped) == ("Squeeze ball", "YES")
    page = client.get(response.url).content.decode()
    assert "Incident logged for" in page
    assert "Pushed the book away and left the seat." in page
    assert "Squeeze ball — helped" in page
    assert f"Logged by {assistant.user.full_name}" in page


def test_strategies_are_the_standard_list_and_the_passport_lines(member_client, pupil, assistant):
    page = member_client(assistant).get(reverse("students:behaviour", args=[pupil.pk]))
    html = page.content.decode()
    assert '<option value="Movement break">Movement break</option>' in html
    assert '<option value="Now/next board">Now/next board</option>' in html
    assert '<option value="Squeeze ball">From the passport: Squeeze ball</option>' in html
    assert "From the passport: Walk to the library" in html
    # A strategy on neither list is refused next to the field.
    response = post_incident(member_client(assistant), pupil, strategy="Shouting back")
    assert response.status_code == 400
    assert "Choose the strategy from the list" in response.content.decode()
    assert not BehaviourIncident.objects.exists()


def test_every_read_is_logged_and_refused_reads_are_not(member_client, staff, pupil, assistant):
    client = member_client(assistant)
    assert client.get(reverse("students:behaviour", args=[pupil.pk])).status_code == 200
    assert client.get(reverse("students:behaviour_patterns", args=[pupil.pk])).status_code == 200
    assert list(RestrictedAccess.objects.values_list("section", "role", "user")) == [
        ("behaviour patterns", Role.ONE_TO_ONE, assistant.user_id),
        ("behaviour", Role.ONE_TO_ONE, assistant.user_id),
    ]
    LinkFactory(pupil=pupil, staff=staff[Role.TEACHER])
    member_client(staff[Role.TEACHER]).get(reverse("students:behaviour", args=[pupil.pk]))
    assert RestrictedAccess.objects.count() == 2


def test_teachers_slt_and_unlinked_staff_never_see_it(member_client, staff, pupil, assistant):
    incident = record(pupil, assistant)
    LinkFactory(pupil=pupil, staff=staff[Role.TEACHER])
    pages = [
        reverse("students:behaviour", args=[pupil.pk]),
        reverse("students:behaviour_patterns", args=[pupil.pk]),
        reverse("students:behaviour_correct", args=[pupil.pk, incident.pk]),
    ]
    for url in pages:
        for role in (Role.TEACHER, Role.SLT, Role.DATA_MANAGER):
            assert member_client(staff[role]).get(url).status_code == 403, (url, role)
        assert member_client(staff[Role.FLS]).get(url).status_code == 404, url  # not linked
        assert member_client(staff[Role.SENDCO]).get(url).status_code == 200, url
    for role, status in ((Role.TEACHER, 403), (Role.SLT, 403), (Role.FLS, 404)):
        assert post_incident(member_client(staff[role]), pupil).status_code == status, role
    assert BehaviourIncident.objects.count() == 1
    # The tab is there only for those who may open it.
    tab = 'href="{}"'.format(reverse("students:behaviour", args=[pupil.pk]))
    profile = reverse("students:pupil", args=[pupil.pk])
    assert tab in member_client(assistant).get(profile).content.decode()
    assert tab not in member_client(staff[Role.SLT]).get(profile).content.decode()


def test_named_safeguarding_lead_reads_the_log(member_client, school_a, pupil, assistant):
    dsl = StaffMemberFactory(school=school_a, role=Role.TEACHER, is_safeguarding_lead=True)
    record(pupil, assistant)
    assert member_client(dsl).get(reverse("students:behaviour", args=[pupil.pk])).status_code == 200


def test_another_schools_pupil_is_not_found(member_client, school_b, staff):
    other = PupilFactory(school=school_b)
    client = member_client(staff[Role.SENDCO])
    assert client.get(reverse("students:behaviour", args=[other.pk])).status_code == 404
    assert client.get(reverse("students:behaviour_patterns", args=[other.pk])).status_code == 404
    assert post_incident(client, other).status_code == 404
    assert not BehaviourIncident.objects.exists()


def test_physical_intervention_without_details_is_refused_next_to_the_field(
    member_client, pupil, assistant
):
    response = post_incident(member_client(assistant), pupil, physical_intervention="on")
    assert response.status_code == 400
    html = response.content.decode()
    assert "The incident was not logged" in html
    field = re.search(
        r'<textarea[^>]*name="physical_intervention_details"[^>]*>', html, re.S
    ).group(0)
    assert "is-invalid" in field
    assert "Physical intervention was used: describe the hold" in html
    # What was typed is kept for the person to finish.
    assert "Pushed the book away and left the seat." in html
    assert not BehaviourIncident.objects.exists()
    # With the details it is logged.
    response = post_incident(
        member_client(assistant),
        pupil,
        physical_intervention="on",
        physical_intervention_details="Single-person guide to the quiet room, 1 minute, "
        "no injury; mum phoned.",
    )
    assert response.status_code == 302
    assert BehaviourIncident.objects.get().physical_intervention


def test_a_future_time_is_refused_but_a_fast_tablet_clock_is_not(member_client, pupil, assistant):
    client = member_client(assistant)
    later = form_time(timezone.now() + datetime.timedelta(hours=1))
    response = post_incident(client, pupil, occurred_at=later)
    assert response.status_code == 400
    assert "cannot be logged in the future" in response.content.decode()
    assert not BehaviourIncident.objects.exists()
    with pytest.raises(ValidationError, match="future"):
        record(pupil, assistant, occurred_at=timezone.now() + datetime.timedelta(minutes=6))
    record(pupil, assistant, occurred_at=timezone.now() + datetime.timedelta(minutes=4))
    assert BehaviourIncident.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"intensity": "0"}, "intensity", "from 1 (low-level) to 5"),
        ({"intensity": "6"}, "intensity", "from 1 (low-level) to 5"),
        ({"intensity": None}, "intensity", "from 1 (low-level) to 5"),
        ({"trigger": "MOON"}, "trigger", "Choose the trigger from the list"),
        ({"setting": "ROOF"}, "setting", "Choose where it happened from the list"),
        ({"behaviour": "  "}, "behaviour", "Describe what happened"),
        ({"occurred_at": "yesterday"}, "occurred_at", "Enter a date and time"),
    ],
)
def test_bad_entries_are_shown_next_to_the_field_and_nothing_is_saved(
    member_client, pupil, assistant, changes, field, message
):
    response = post_incident(member_client(assistant), pupil, **changes)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["form"].errors[field]
    assert not BehaviourIncident.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"intensity": 0}, "from 1 \\(low-level\\) to 5"),
        ({"intensity": 6}, "from 1 \\(low-level\\) to 5"),
        ({"trigger": "MOON"}, "trigger from the list"),
        ({"physical_intervention": True}, "describe the hold"),
        ({"physical_intervention_details": "A hold"}, "tick"),
        ({"strategy_helped": "YES"}, "Choose the strategy used"),
    ],
)
def test_the_service_refuses_bad_entries_whatever_the_form_did(pupil, assistant, changes, message):
    with pytest.raises(ValidationError, match=message):
        record(pupil, assistant, **changes)
    assert not BehaviourIncident.objects.exists()


def test_a_retry_with_the_same_client_id_is_stored_once(member_client, school_a, pupil, assistant):
    data = payload()
    client = member_client(assistant)
    url = reverse("students:behaviour_record", args=[pupil.pk])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the tablet retried
    assert BehaviourIncident.objects.count() == 1
    client_id = uuid.UUID(data["client_id"])
    assert record(pupil, assistant, client_id=client_id).pk == BehaviourIncident.objects.get().pk
    other = PupilFactory(school=school_a)
    with pytest.raises(ValidationError, match="another pupil"):
        record(other, assistant, client_id=client_id)
    assert BehaviourIncident.objects.count() == 1


def test_the_recorder_corrects_on_the_day_and_history_keeps_the_first_version(
    member_client, staff, pupil, assistant
):
    incident = record(pupil, assistant, trigger="UNKNOWN")
    url = reverse("students:behaviour_correct", args=[pupil.pk, incident.pk])
    data = payload(trigger="PEER", reason="Trigger clarified with the teacher")
    data.pop("client_id")
    data["occurred_at"] = form_time(incident.occurred_at)
    response = member_client(assistant).post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    incident.refresh_from_db()
    assert incident.trigger == "PEER"
    first, latest = incident.history.order_by("history_date")
    assert (first.trigger, latest.trigger) == ("UNKNOWN", "PEER")
    assert latest.history_change_reason == "Trigger clarified with the teacher"
    # Without a reason, nothing changes.
    data.update(trigger="SENSORY", reason="")
    response = member_client(assistant).post(url, data)
    assert response.status_code == 200
    assert "Say why the incident is being corrected." in response.content.decode()
    incident.refresh_from_db()
    assert incident.trigger == "PEER"
    # Another linked assistant may not; nor the recorder on a later day; the SENDCo may.
    LinkFactory(pupil=pupil, staff=staff[Role.FLS])
    assert member_client(staff[Role.FLS]).get(url).status_code == 403
    BehaviourIncident.objects.filter(pk=incident.pk).update(
        recorded_at=timezone.now() - datetime.timedelta(days=2)
    )
    assert member_client(assistant).get(url).status_code == 403
    incident.refresh_from_db()
    with pytest.raises(ValidationError, match="on the day it was logged"):
        behaviour_incident_correct(incident=incident, actor=assistant, intensity=4)
    assert member_client(staff[Role.SENDCO]).post(url, data | {"reason": "Typo"}).status_code == 302
    incident.refresh_from_db()
    assert incident.trigger == "SENSORY"


@pytest.fixture
def known_incidents(pupil, assistant):
    """Six incidents last week and one long ago."""
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday() + 7)
    wednesday, friday, saturday = (monday + datetime.timedelta(days=n) for n in (2, 4, 5))
    rows = [
        (local(monday, 9, 15), "LESSON", "DEMAND", "Movement break", "YES", 2, False),
        (local(monday, 9, 40), "LESSON", "DEMAND", "Movement break", "PARTLY", 4, False),
        (local(monday, 7, 30), "BEFORE_SCHOOL", "TRANSITION", "Quiet space", "NO", 3, False),
        (local(wednesday, 12, 10), "LUNCH", "PEER", "Quiet space", "YES", 5, True),
        (local(friday, 17, 20), "AFTER_SCHOOL", "SENSORY", "", "", 1, False),
        (local(saturday, 10, 0), "TRIP", "UNKNOWN", "", "", 3, False),
        (local(today - datetime.timedelta(days=200), 11, 0), "LESSON", "ADULT", "", "", 5, False),
    ]
    for when, setting, trigger, strategy, helped, intensity, held in rows:
        record(
            pupil,
            assistant,
            occurred_at=when,
            setting=setting,
            trigger=trigger,
            strategy=strategy,
            strategy_helped=helped,
            intensity=intensity,
            physical_intervention=held,
            physical_intervention_details="Guided by the arm to the quiet room." if held else "",
        )


def test_pattern_selector_counts_in_sql(pupil, known_incidents):
    pattern = behaviour_pattern(pupil=pupil, since=timezone.now() - datetime.timedelta(days=30))
    assert (pattern.total, pattern.mean_intensity, pattern.physical_interventions) == (6, 3.0, 1)
    assert [heading for _slot, heading in pattern.slots] == [
        "Before 8:00",
        *[f"{h}:00" for h in range(8, 17)],
        "From 17:00",
    ]
    grid = {row.label: [cell.count for cell in row.cells] for row in pattern.heatmap}
    assert list(grid) == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    assert grid["Monday"] == [1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0]
    assert grid["Wednesday"] == [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]
    assert grid["Friday"] == [0] * 10 + [1]
    assert grid["Saturday"] == [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
    assert grid["Tuesday"] == [0] * 11
    monday = pattern.heatmap[0]
    assert [c.level for c in monday.cells][:3] == [2, 0, 4]  # the busiest cell is darkest
    assert pattern.by_trigger[0] == ("DEMAND", "Task or demand placed", 2)
    assert sorted(n for _c, _l, n in pattern.by_trigger) == [1, 1, 1, 1, 2]
    assert ("LESSON", "In a lesson", 2) in pattern.by_setting
    assert [
        (s.strategy, s.used, s.helped, s.partly, s.not_helped, s.not_recorded)
        for s in pattern.strategies
    ] == [("Movement break", 2, 1, 1, 0, 0), ("Quiet space", 2, 1, 0, 1, 0)]
    everything = behaviour_pattern(pupil=pupil, since=None)
    assert (everything.total, everything.mean_intensity) == (7, 3.3)
    assert ("ADULT", "Instruction or correction from an adult", 1) in everything.by_trigger


def cells(html: str, day: str) -> list[tuple[str, str]]:
    row = re.search(rf'<th scope="row" class="text-start">{day}</th>(.*?)</tr>', html, re.S)
    return re.findall(r'<td class="heat-(\d)">(\d+)</td>', row.group(1))


def test_pattern_page_shows_the_figures_in_tables(member_client, pupil, assistant, known_incidents):
    url = reverse("students:behaviour_patterns", args=[pupil.pk])
    html = member_client(assistant).get(url, {"period": "30"}).content.decode()
    assert '<dd class="col-sm-8" id="total-incidents">6</dd>' in html
    assert '<dd class="col-sm-8" id="mean-intensity">3.0</dd>' in html
    assert '<dd class="col-sm-8" id="physical-interventions">1</dd>' in html
    assert cells(html, "Monday")[:3] == [("2", "1"), ("0", "0"), ("4", "2")]
    assert ("2", "1") in cells(html, "Saturday")
    assert "Sunday" not in html
    assert (
        '<th scope="row" class="fw-normal">Task or demand placed</th><td class="text-end">2</td>'
        in html
    )
    assert re.search(
        r"Movement break</th>"
        + r'<td class="text-end">2</td><td class="text-end">1</td>'
        + r'<td class="text-end">1</td><td class="text-end">0</td><td class="text-end">0</td>',
        html,
    )
    # The charts read the same figures from a JSON script; Chart.js is served from here.
    assert '<script id="behaviour-chart-data" type="application/json">' in html
    assert "vendor/chartjs/chart.umd.min.js" in html
    assert '"counts": [2, 1, 1, 1, 1]' in html
    # "All" includes the incident from 200 days ago.
    html = member_client(assistant).get(url, {"period": "all"}).content.decode()
    assert '<dd class="col-sm-8" id="total-incidents">7</dd>' in html
    assert "Instruction or correction from an adult" in html


def test_pattern_page_without_incidents_says_so(member_client, pupil, assistant):
    url = reverse("students:behaviour_patterns", args=[pupil.pk])
    html = member_client(assistant).get(url, {"period": "nonsense"}).content.decode()
    assert "No incidents logged in this period." in html
    assert "chart.umd.min.js" not in html
    assert f'aria-current="page" href="{url}?period=term"' in html


def add_incidents(pupil, recorder, n):
    now = timezone.now()
    BehaviourIncident.objects.bulk_create(
        BehaviourIncident(
            school=pupil.school,
            pupil=pupil,
            occurred_at=now - datetime.timedelta(hours=7 * i + 1),
            setting=["LESSON", "CORRIDOR", "BREAK", "LUNCH"][i % 4],
            trigger=["DEMAND", "PEER", "SENSORY", "TRANSITION", "UNKNOWN"][i % 5],
            behaviour="Shouted and left the room.",
            strategy=["Movement break", "Quiet space", "Now/next board", ""][i % 4],
            strategy_helped=["YES", "PARTLY", "NO", ""][i % 4],
            intensity=i % 5 + 1,
            physical_intervention=i % 10 == 0,
            physical_intervention_details="Guided to the quiet room." if i % 10 == 0 else "",
            recorded_by=recorder,
        )
        for i in range(n)
    )


# Measured on SQLite: the log 9 queries (session, user, membership, pupil, link, access log,
# count, page, passport strategies), the patterns 11 (the first six, then five aggregates).
# One to spare for the session's last-seen write.
@pytest.mark.parametrize(
    ("name", "budget"), [("students:behaviour", 10), ("students:behaviour_patterns", 12)]
)
def test_query_budget_holds_at_ten_times_the_incidents(
    member_client, pupil, assistant, name, budget, django_assert_max_num_queries
):
    client = member_client(assistant)
    url = reverse(name, args=[pupil.pk])
    client.get(reverse("home"))
    add_incidents(pupil, assistant, 20)
    with django_assert_max_num_queries(budget):
        assert client.get(url, {"period": "all"}).status_code == 200
    add_incidents(pupil, assistant, 180)
    with django_assert_max_num_queries(budget):
        response = client.get(url, {"period": "all"})
    assert response.status_code == 200
    assert "200" in response.content.decode()
