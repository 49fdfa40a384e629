"""Reads of the resource bank, CPD and training, scoped to the acting staff member's school.

``training_valid_on`` and ``trainings_missing`` are the competence selector other apps ask:
"is this person trained for that, on that date?"."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cpd.models import (
    CpdAttendance,
    CpdEvent,
    CpdRecord,
    Resource,
    ResourceFile,
    Specialism,
    SupportRequest,
    TrainingRecord,
    TrainingType,
)
from staffing.models import Role, StaffMember

EXPIRING_WITHIN = timedelta(days=30)
BANK_EDITORS = {Role.SENDCO, Role.PSO}


# --- competence ------------------------------------------------------------------------


def _valid_on(on: date) -> Q:
    return Q(completed_on__lte=on) & (Q(expires_on__isnull=True) | Q(expires_on__gte=on))


def training_valid_on(*, staff: StaffMember, training_type: TrainingType, on: date) -> bool:
    """Whether the staff member holds this training on that date: completed on or before
    it, and not expired (a training expiring that day is still valid that day)."""
    return TrainingRecord.objects.filter(
        _valid_on(on), staff=staff, training_type=training_type
    ).exists()


def trainings_missing(
    *, staff: StaffMember, required: Iterable[TrainingType], on: date
) -> list[TrainingType]:
    """Of the required trainings, those the staff member does not hold on that date, in
    one query."""
    required = list(dict.fromkeys(required))
    held = set(
        TrainingRecord.objects.filter(
            _valid_on(on), staff=staff, training_type__in=required
        ).values_list("training_type_id", flat=True)
    )
    return [t for t in required if t.pk not in held]


# --- training matrix -------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    status: str  # VALID, EXPIRING, EXPIRED, MISSING
    record: TrainingRecord | None

    LABELS = {
        "VALID": "Valid",
        "EXPIRING": "Expiring soon",
        "EXPIRED": "Expired",
        "MISSING": "Not trained",
    }

    @property
    def label(self) -> str:
        return self.LABELS[self.status]


def cell_for(record: TrainingRecord | None, today: date) -> Cell:
    if record is None or record.completed_on > today:
        return Cell("MISSING", None)
    if record.expires_on is None or record.expires_on > today + EXPIRING_WITHIN:
        return Cell("VALID", record)
    if record.expires_on >= today:
        return Cell("EXPIRING", record)
    return Cell("EXPIRED", record)


def _best(current: TrainingRecord | None, other: TrainingRecord) -> TrainingRecord:
    """The record that keeps someone trained longest (never expiring beats any date)."""
    if current is None:
        return other
    if current.expires_on is None:
        return current
    if other.expires_on is None or other.expires_on > current.expires_on:
        return other
    return current


@dataclass
class Matrix:
    types: list[TrainingType]
    rows: list[tuple[StaffMember, list[Cell]]]

    def counts(self) -> dict[str, int]:
        totals = {"VALID": 0, "EXPIRING": 0, "EXPIRED": 0, "MISSING": 0}
        for _member, cells in self.rows:
            for cell in cells:
                totals[cell.status] += 1
        return totals


def training_matrix(
    *, actor: StaffMember, today: date, role: str = "", faculty_id: int | None = None
) -> Matrix:
    """Staff by training type, with each cell's status, in three queries whatever the size."""
    staff = (
        StaffMember.objects.filter(school_id=actor.school_id, is_active=True)
        .exclude(role=Role.TRUST_LEAD)
        .select_related("user", "faculty")
        .order_by("user__last_name", "user__first_name")
    )
    if role:
        staff = staff.filter(role=role)
    if faculty_id:
        staff = staff.filter(faculty_id=faculty_id)
    staff = list(staff)
    types = list(TrainingType.objects.filter(school_id=actor.school_id, is_active=True))
    best: dict[tuple[int, int], TrainingRecord] = {}
    for record in TrainingRecord.objects.filter(
        school_id=actor.school_id,
        staff__in=staff,
        training_type__in=types,
        completed_on__lte=today,
    ):
        key = (record.staff_id, record.training_type_id)
        best[key] = _best(best.get(key), record)
    rows = [
        (member, [cell_for(best.get((member.pk, t.pk)), today) for t in types]) for member in staff
    ]
    return Matrix(types=types, rows=rows)


def training_records_for(*, staff: StaffMember) -> QuerySet[TrainingRecord]:
    return TrainingRecord.objects.filter(staff=staff).select_related("training_type")


def training_types(*, actor: StaffMember) -> QuerySet[TrainingType]:
    return TrainingType.objects.filter(school_id=actor.school_id).annotate(
        holders=Count("records__staff", distinct=True)
    )


def staff_of_school(*, actor: StaffMember) -> QuerySet[StaffMember]:
    return (
        StaffMember.objects.filter(school_id=actor.school_id, is_active=True)
        .exclude(role=Role.TRUST_LEAD)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )


def staff_member_get(*, actor: StaffMember, pk: int) -> StaffMember:
    return get_object_or_404(
        StaffMember.objects.filter(school_id=actor.school_id).select_related("user"), pk=pk
    )


# --- resource bank ---------------------------------------------------------------------


def resources_visible_to(actor: StaffMember | None) -> QuerySet[Resource]:
    """Resources shared with all staff or with the actor's faculty, plus their own; retired
    ones only for those who may restore them."""
    if actor is None:
        return Resource.objects.none()
    resources = Resource.objects.filter(school_id=actor.school_id)
    if actor.role in BANK_EDITORS:
        return resources
    return resources.filter(
        Q(shared_with_faculty__isnull=True)
        | Q(shared_with_faculty_id=actor.faculty_id)
        | Q(owner=actor)
    ).filter(Q(is_retired=False) | Q(owner=actor))


def resource_list(*, actor: StaffMember | None) -> QuerySet[Resource]:
    return resources_visible_to(actor).select_related("owner__user", "shared_with_faculty")


def resource_get(*, actor: StaffMember | None, pk: int) -> Resource:
    return get_object_or_404(
        resource_list(actor=actor).prefetch_related(
            Prefetch("files", queryset=ResourceFile.objects.select_related("uploaded_by__user"))
        ),
        pk=pk,
    )


def resource_file_get(*, actor: StaffMember | None, pk: int) -> ResourceFile:
    return get_object_or_404(
        ResourceFile.objects.filter(resource__in=resources_visible_to(actor)).select_related(
            "resource"
        ),
        pk=pk,
    )


# --- CPD -------------------------------------------------------------------------------


def cpd_events(*, actor: StaffMember | None) -> QuerySet[CpdEvent]:
    if actor is None:
        return CpdEvent.objects.none()
    return (
        CpdEvent.objects.filter(school_id=actor.school_id)
        .select_related("presenter__user", "audience_faculty")
        .annotate(attendees=Count("attendance", filter=Q(attendance__attended=True), distinct=True))
    )


def cpd_event_get(*, actor: StaffMember | None, pk: int) -> CpdEvent:
    """A session with the materials the actor may open (another faculty's or retired ones
    are not listed to them) and its register."""
    return get_object_or_404(
        cpd_events(actor=actor).prefetch_related(
            Prefetch(
                "materials",
                queryset=resources_visible_to(actor).filter(is_retired=False),
                to_attr="visible_materials",
            ),
            Prefetch(
                "attendance",
                queryset=CpdAttendance.objects.select_related("staff__user").order_by(
                    "staff__user__last_name"
                ),
            ),
        ),
        pk=pk,
    )


def cpd_audience(*, event: CpdEvent) -> QuerySet[StaffMember]:
    """The staff a CPD event is for: its roles and faculty, or everyone."""
    staff = StaffMember.objects.filter(school_id=event.school_id, is_active=True).exclude(
        role=Role.TRUST_LEAD
    )
    if event.role_list:
        staff = staff.filter(role__in=event.role_list)
    if event.audience_faculty_id:
        staff = staff.filter(faculty_id=event.audience_faculty_id)
    return staff.select_related("user").order_by("user__last_name", "user__first_name")


def cpd_history(*, staff: StaffMember) -> list[dict]:
    """A staff member's CPD: sessions attended and their own records, newest first."""
    attended = (
        CpdAttendance.objects.filter(staff=staff, attended=True)
        .select_related("event")
        .order_by("-event__starts_at")
    )
    rows = [
        {
            "date": timezone.localdate(a.event.starts_at),
            "title": a.event.title,
            "hours": round(a.event.duration_minutes / 60, 1),
            "provider": a.event.presenter_name if a.event.presenter_id is None else "In school",
            "reflection": a.comment,
            "kind": "Session attended",
            "record": None,
        }
        for a in attended.select_related("event__presenter__user")
    ]
    rows += [
        {
            "date": r.completed_on,
            "title": r.title,
            "hours": r.hours,
            "provider": r.provider,
            "reflection": r.reflection,
            "kind": "Own record",
            "record": r,
        }
        for r in CpdRecord.objects.filter(staff=staff)
    ]
    return sorted(rows, key=lambda row: row["date"], reverse=True)


# --- specialisms -----------------------------------------------------------------------


def specialisms(*, actor: StaffMember | None) -> QuerySet[Specialism]:
    if actor is None:
        return Specialism.objects.none()
    return Specialism.objects.filter(school_id=actor.school_id).select_related("holder__user")


def specialism_get(*, actor: StaffMember | None, pk: int) -> Specialism:
    return get_object_or_404(specialisms(actor=actor), pk=pk)


def specialism_requests(*, specialism: Specialism, actor: StaffMember) -> QuerySet:
    """All requests for the holder and SEN leads; one's own requests for anyone else."""
    requests = SupportRequest.objects.filter(specialism=specialism).select_related(
        "requested_by__user"
    )
    if actor.role in BANK_EDITORS or specialism.holder_id == actor.pk:
        return requests
    return requests.filter(requested_by=actor)


def faculties(*, actor: StaffMember | None):
    from staffing.models import Faculty

    if actor is None:
        return Faculty.objects.none()
    return Faculty.objects.filter(school_id=actor.school_id)
