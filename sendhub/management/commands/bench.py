"""Measure the key pages on the current database: SQL queries and median milliseconds.

Requests go through Django's test client (the whole middleware stack, no network), signed
in as the role each page is for. A trivial one-query page is measured in the same run so
that timings can be read as ratios, whatever the machine.
"""

import json as jsonlib
import statistics
import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cpd.models import CpdEvent, Resource, TrainingRecord, TrainingType
from staffing.models import (
    Allocation,
    Lesson,
    Role,
    School,
    StaffAbsence,
    StaffMember,
    User,
)
from students.models import (
    BehaviourIncident,
    CarePlan,
    CaseStudy,
    LiaisonEntry,
    Medication,
    Pupil,
    PupilDocument,
    SupportPlan,
)


@dataclass(frozen=True)
class Page:
    name: str
    url_name: str
    role: Role | None  # None: anonymous
    subject: str = ""  # "pupil" or "plan": the URL takes that object's id


BASELINE = Page("baseline", "healthz_db", None)
PAGES = [
    Page("home", "home", Role.SENDCO),
    Page("home_fls", "home", Role.FLS),
    Page("staff_list", "staffing:staff_list", Role.SENDCO),
    Page("admin_index", "admin:index", Role.DATA_MANAGER),
    Page("admin_staff_list", "admin:staffing_staffmember_changelist", Role.DATA_MANAGER),
    Page("register", "students:register", Role.SENDCO),
    Page("register_overdue_by_review", "students:register", Role.SENDCO),
    Page("pupil_profile", "students:pupil", Role.SENDCO, subject="pupil"),
    Page("passport", "students:passport", Role.TEACHER, subject="pupil"),
    Page("plan", "students:plan", Role.SENDCO, subject="plan"),
    Page("pupil_history", "students:history", Role.SENDCO, subject="pupil"),
    Page("exam_arrangements", "students:exam_arrangements", Role.SENDCO),
    Page("pupil_health", "students:health", Role.SENDCO, subject="health"),
    Page("medication_log", "students:medication_log", Role.SENDCO, subject="medication"),
    Page("pupil_care", "students:care", Role.SENDCO, subject="care"),
    Page("pupil_behaviour", "students:behaviour", Role.SENDCO, subject="behaviour"),
    Page("behaviour_patterns", "students:behaviour_patterns", Role.SENDCO, subject="behaviour"),
    Page("pupil_liaison", "students:liaison", Role.SENDCO, subject="liaison"),
    Page("pupil_documents", "students:documents", Role.SENDCO, subject="documents"),
    Page("case_studies", "students:case_studies", Role.SENDCO, subject="case_studies"),
    Page("access_log", "students:access_log", Role.SENDCO, subject="health"),
    Page("my_actions", "students:actions", Role.SENDCO),
    Page("my_day", "staffing:my_day", Role.FLS),
    Page("staff_timetable", "staffing:timetable", Role.SENDCO, subject="fls"),
    Page("cover_suggestions", "staffing:absence", Role.SENDCO, subject="absence"),
    Page("workload", "staffing:workload", Role.SENDCO),
    Page("coverage", "staffing:coverage", Role.SENDCO),
    Page("coverage_ehcp", "staffing:coverage", Role.SENDCO),
    Page("coverage_lessons", "staffing:coverage", Role.SENDCO),
    Page("pupil_week", "staffing:pupil_week", Role.SENDCO, subject="pupil"),
    Page("agencies", "students:agencies", Role.FLS),
    Page("resource_bank_search", "cpd:resources", Role.TEACHER),
    Page("training_matrix", "cpd:matrix", Role.SENDCO),
    Page("cpd_calendar", "cpd:calendar", Role.FLS),
    Page("my_cpd", "cpd:mine", Role.FLS),
]
# Pupil pages about one kind of record open the first pupil who has such a record.
SUBJECT_MODELS = {
    "health": Medication,
    "medication": Medication,
    "care": CarePlan,
    "behaviour": BehaviourIncident,
    "liaison": LiaisonEntry,
    "documents": PupilDocument,
    "case_studies": CaseStudy,
}
QUERY = {
    "register_overdue_by_review": "?overdue=true&sort=review",
    "resource_bank_search": "?q=timetable&key_stage=KS3",
    "coverage_ehcp": "?tab=ehcp",
    "coverage_lessons": "?tab=lessons",
}


def next_school_day() -> date:
    day = timezone.localdate()
    while day.isoweekday() > 5:
        day += timedelta(days=1)
    return day


class Command(BaseCommand):
    help = "Measure the key pages (queries, median ms) and print the result."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--repeat", type=int, default=20, help="requests per page")

    def handle(self, *args, json: bool, repeat: int, **options):
        if repeat < 1:
            raise CommandError("--repeat must be at least 1.")
        school = School.objects.order_by("name").first()
        if school is None:
            raise CommandError("No school in this database: run `manage.py seed_demo` first.")
        result = {
            "baseline": self.measure(BASELINE, school, repeat),
            "pages": {page.name: self.measure(page, school, repeat) for page in PAGES},
            "data": {
                "schools": School.objects.count(),
                "staff": StaffMember.objects.count(),
                "users": User.objects.count(),
                "pupils": Pupil.objects.count(),
                "on_register": Pupil.objects.exclude(sen_status="N").count(),
                "plans": SupportPlan.objects.count(),
                "training_types": TrainingType.objects.count(),
                "training_records": TrainingRecord.objects.count(),
                "resources": Resource.objects.count(),
                "cpd_events": CpdEvent.objects.count(),
                "behaviour_incidents": BehaviourIncident.objects.count(),
                "liaison_entries": LiaisonEntry.objects.count(),
                "allocations": Allocation.objects.count(),
                "lessons": Lesson.objects.count(),
            },
        }
        baseline_ms = result["baseline"]["median_ms"] or 1
        for page in result["pages"].values():
            page["ratio_to_baseline"] = round(page["median_ms"] / baseline_ms, 1)
        if json:
            self.stdout.write(jsonlib.dumps(result))
        else:
            for name, page in {"baseline": result["baseline"], **result["pages"]}.items():
                self.stdout.write(
                    f"{name:20} status={page['status']} queries={page['queries']:3} "
                    f"median_ms={page['median_ms']:8.2f}"
                )

    def measure(self, page: Page, school: School, repeat: int) -> dict:
        host = next((h for h in settings.ALLOWED_HOSTS if h not in ("*", "")), "localhost")
        client = Client(SERVER_NAME=host.lstrip("."))
        if page.role is not None:
            member = (
                StaffMember.objects.filter(school=school, role=page.role, is_active=True)
                .select_related("user")
                .order_by("pk")
                .first()
            )
            if member is None:
                raise CommandError(f"No {page.role.label} in {school}: run seed_demo.")
            client.force_login(member.user)
        else:
            member = None
        url = self.url_for(page, school, member if page.role else None)
        client.get(url, secure=True)  # warm caches and the session
        timings, queries, status = [], 0, None
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url, secure=True)
                timings.append((time.perf_counter() - started) * 1000)
            queries, status = len(captured), response.status_code
        return {
            "role": page.role.value if page.role else "anonymous",
            "url": url,
            "status": status,
            "queries": queries,
            "median_ms": round(statistics.median(timings), 2),
        }

    def url_for(self, page: Page, school: School, member: StaffMember | None) -> str:
        """The page's URL; pupil pages use a register pupil with an active plan (linked to the
        member when their role needs a link)."""
        if page.url_name == "staffing:my_day":
            return reverse(page.url_name) + f"?date={next_school_day()}"
        if page.subject == "absence":
            absence = StaffAbsence.objects.filter(school=school).order_by("pk").first()
            if absence is None:
                raise CommandError("No staff absence: run seed_demo.")
            return reverse(page.url_name, args=[absence.pk])
        if page.subject == "fls":
            fls = StaffMember.objects.filter(school=school, role=Role.FLS).order_by("pk").first()
            return reverse(page.url_name, args=[fls.pk])
        if not page.subject:
            return reverse(page.url_name) + QUERY.get(page.name, "")
        if page.subject in SUBJECT_MODELS:
            row = SUBJECT_MODELS[page.subject].objects.filter(school=school).order_by("pk").first()
            if row is None:
                raise CommandError(f"No pupil with {page.subject} records: run seed_demo.")
            if page.subject == "medication":
                return reverse(page.url_name, args=[row.pupil_id, row.pk])
            return reverse(page.url_name, args=[row.pupil_id])
        plans = SupportPlan.objects.filter(school=school, status=SupportPlan.Status.ACTIVE)
        if member is not None and member.role not in (Role.SENDCO, Role.PSO, Role.SLT):
            plans = plans.filter(pupil__staff_links__staff=member)
        plan = plans.order_by("pk").first()
        if plan is None:
            raise CommandError(f"No pupil with an active plan for {page.name}: run seed_demo.")
        return reverse(page.url_name, args=[plan.pk if page.subject == "plan" else plan.pupil_id])
