"""The contracts other tools rely on: seed_demo and bench."""

import json
import os
import re
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from staffing.models import Role, School, StaffMember, Trust, User

pytestmark = pytest.mark.django_db

LOGIN_LINE = re.compile(
    r"^login role=(?P<role>[A-Z_]+) email=(?P<email>\S+@\S+) password=(?P<password>\S+) "
    r"school=(?P<school>[a-z0-9-]+)$"
)
ROOT = Path(__file__).resolve().parents[2]


def seed(*args) -> list[str]:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_seed_demo_prints_one_login_per_role_in_the_contract_form(client):
    lines = seed("--schools", "2")
    parsed = [LOGIN_LINE.match(line) for line in lines]
    assert all(parsed), lines
    roles = {m["role"] for m in parsed}
    assert roles == {role.value for role in Role}
    for match in parsed:
        response = client.post(
            "/accounts/login/", {"login": match["email"], "password": match["password"]}
        )
        assert response.status_code == 302, match["email"]
        member = StaffMember.objects.get(user__email=match["email"], school__slug=match["school"])
        assert member.role == match["role"]
        client.post("/accounts/logout/")


def test_seed_demo_is_safe_to_run_twice():
    first = seed("--schools", "2", "--seed", "7")
    counts = (School.objects.count(), User.objects.count(), StaffMember.objects.count())
    second = seed("--schools", "2", "--seed", "7")
    assert first == second
    assert (School.objects.count(), User.objects.count(), StaffMember.objects.count()) == counts
    assert Trust.objects.count() == 1


def test_seed_demo_is_deterministic_for_a_seed():
    seed("--schools", "1", "--seed", "3")
    names = sorted(User.objects.values_list("first_name", "last_name"))
    # The medication and care logs keep who gave each dose or care, and actions keep their
    # owner (those accounts cannot be deleted).
    from students.models import CareLogEntry, LiaisonAction, MedicationDose

    for model in (MedicationDose, CareLogEntry, LiaisonAction):
        model.objects.all().delete()
    StaffMember.objects.all().delete()
    User.objects.all().delete()
    seed("--schools", "1", "--seed", "3")
    assert sorted(User.objects.values_list("first_name", "last_name")) == names


def test_seed_demo_builds_the_seed_staffing_structure():
    seed("--schools", "1")
    school = School.objects.get()
    by_role = {role: StaffMember.objects.filter(school=school, role=role).count() for role in Role}
    assert by_role[Role.SENDCO] == 1
    assert by_role[Role.PSO] == 1
    assert by_role[Role.HLTA] == 2
    assert by_role[Role.FLS] >= 7
    assert by_role[Role.ONE_TO_ONE] >= 1
    assert by_role[Role.TRUST_LEAD] == 1


def test_trust_lead_belongs_to_every_demo_school():
    lines = seed("--schools", "3")
    lead_email = next(m["email"] for m in map(LOGIN_LINE.match, lines) if m["role"] == "TRUST_LEAD")
    assert StaffMember.objects.filter(user__email=lead_email).count() == 3


@pytest.mark.parametrize("args", [["--schools", "0"], ["--pupils", "-1"], ["--weeks", "99"]])
def test_seed_demo_refuses_bad_sizes(args):
    with pytest.raises(CommandError):
        seed(*args)


def test_seed_demo_refuses_to_run_where_demo_data_is_disabled(settings):
    settings.SENDHUB_DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="disabled"):
        seed()
    assert not School.objects.exists()


def test_bench_prints_one_json_object_with_every_page():
    seed("--schools", "1", "--pupils", "150")
    out = StringIO()
    call_command("bench", "--json", "--repeat", "2", stdout=out)
    result = json.loads(out.getvalue())
    assert result["baseline"]["queries"] == 1
    assert result["baseline"]["status"] == 200
    assert {"home", "staff_list", "admin_index", "register", "pupil_profile", "plan"} <= set(
        result["pages"]
    )
    for name, page in result["pages"].items():
        assert page["status"] == 200, name
        assert page["queries"] >= 1
        assert page["median_ms"] > 0
    assert result["data"]["schools"] == 1
    assert result["data"]["pupils"] == 150


def test_bench_without_data_says_what_to_do():
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("bench", "--json", stdout=StringIO())


def production_env(**extra) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "SENDHUB_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="sendhub.settings.production",
        DJANGO_ALLOWED_HOSTS="sendhub.example.org",
        DATABASE_URL="postgres://sendhub:secret@127.0.0.1:5432/sendhub",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    env.update(extra)
    return env


def test_production_check_deploy_is_clean():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(DJANGO_SECRET_KEY=secrets.token_urlsafe(50)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_setup_periodic_tasks_is_idempotent_and_keeps_admin_edits():
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    call_command("setup_periodic_tasks", stdout=StringIO())
    call_command("setup_periodic_tasks", stdout=StringIO())
    task = PeriodicTask.objects.get(name="Clear expired sessions")
    assert PeriodicTask.objects.filter(name="Clear expired sessions").count() == 1
    assert task.task == "sendhub.tasks.clear_expired_sessions"
    edited = CrontabSchedule.objects.create(minute="0", hour="4")
    task.crontab = edited
    task.save()
    call_command("setup_periodic_tasks", stdout=StringIO())
    task.refresh_from_db()
    assert task.crontab == edited
    call_command("setup_periodic_tasks", "--reset", stdout=StringIO())
    task.refresh_from_db()
    assert (task.crontab.hour, task.crontab.minute) == ("2", "30")


def test_clear_expired_sessions_task_removes_only_expired(client, staff):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from sendhub.tasks import clear_expired_sessions

    client.force_login(staff[Role.FLS].user)
    live = Session.objects.get()
    Session.objects.create(
        session_key="old", session_data="", expire_date=timezone.now() - timedelta(days=1)
    )
    clear_expired_sessions.delay()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def test_seed_demo_builds_a_register_like_the_census():
    from collections import Counter

    from students.models import EhcPlan, Passport, Pupil, PupilNeed, SupportPlan

    seed("--schools", "1", "--pupils", "600")
    statuses = Counter(Pupil.objects.values_list("sen_status", flat=True))
    assert sum(statuses.values()) == 600
    assert 0.11 <= statuses["K"] / 600 <= 0.19  # about 15 % on SEN support
    assert 0.015 <= statuses["E"] / 600 <= 0.05  # 2-4 % with an EHC plan
    register = statuses["K"] + statuses["E"]
    assert PupilNeed.objects.filter(rank=1).count() == register
    top = [
        code
        for code, _ in Counter(
            PupilNeed.objects.filter(rank=1).values_list("code", flat=True)
        ).most_common(5)
    ]
    assert {"SLCN", "SEMH", "ASD"} & set(top[:3])
    assert Passport.objects.count() == register
    assert SupportPlan.objects.filter(status="ACTIVE").count() == register
    assert SupportPlan.objects.filter(status="CLOSED", review__isnull=False).exists()
    assert EhcPlan.objects.count() == statuses["E"]
    today = timezone.localdate()
    assert EhcPlan.objects.filter(next_review_date__lt=today).exists()  # overdue
    assert SupportPlan.objects.filter(status="ACTIVE", review_date__lt=today).exists()
    seed("--schools", "1", "--pupils", "600")  # safe to run twice
    assert Pupil.objects.count() == 600


def test_collectstatic_with_the_production_manifest_storage(tmp_path, settings):
    """The Docker build runs collectstatic with the manifest storage, which refuses a file
    that references one missing (a vendored bundle's source map, say). Django's manifest
    storage does that check; whitenoise's only adds compression, which is slow here."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())
    assert "vendor/chartjs/chart.umd.min.js" in manifest["paths"]
    assert "vendor/bootstrap/bootstrap.bundle.min.js" in manifest["paths"]
