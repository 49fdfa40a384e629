"""Writes of the resource bank, CPD and training records."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
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
from sendhub.uploads import validate_upload
from staffing.models import StaffMember, User

RESOURCE_FIELDS = [
    "title",
    "description",
    "kind",
    "url",
    "area",
    "need_code",
    "strategy",
    "subject",
    "key_stage",
    "tags",
    "shared_with_faculty",
]


def check_same_school(actor: StaffMember, *objects) -> None:
    for obj in objects:
        if obj is not None and obj.school_id != actor.school_id:
            raise ValidationError("That record belongs to another school.")


def _add_file(resource: Resource, upload, actor: StaffMember, note: str = "") -> ResourceFile:
    content_type = validate_upload(upload)
    latest = resource.files.aggregate(latest=Max("version"))["latest"] or 0
    stored = ResourceFile(
        school=resource.school,
        resource=resource,
        version=latest + 1,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
        note=note.strip(),
    )
    stored.file.save(upload.name, upload, save=False)
    stored.full_clean()
    stored.save()
    return stored


def _check_kind(kind: str, url: str, has_file: bool) -> None:
    if kind == Resource.Kind.LINK and not url:
        raise ValidationError({"url": "Give the link's address."})
    if kind == Resource.Kind.FILE and not has_file:
        raise ValidationError({"upload": "Choose a file to upload."})


@transaction.atomic
def resource_create(*, actor: StaffMember, upload=None, **fields) -> Resource:
    """Publish a resource (a file, or a link) in the school's bank, owned by the actor."""
    check_same_school(actor, fields.get("shared_with_faculty"))
    _check_kind(fields.get("kind", Resource.Kind.FILE), fields.get("url", ""), upload is not None)
    resource = Resource(school=actor.school, owner=actor, **fields)
    if resource.kind == Resource.Kind.FILE:
        resource.url = ""
    resource.full_clean()
    resource.save()
    if upload is not None and resource.kind == Resource.Kind.FILE:
        _add_file(resource, upload, actor, note="First version")
    return resource


@transaction.atomic
def resource_update(
    *, actor: StaffMember, resource: Resource, upload=None, note: str = "", **fields
) -> Resource:
    """Edit a resource; a new file becomes its next version, earlier ones are kept."""
    check_same_school(actor, resource, fields.get("shared_with_faculty"))
    for name, value in fields.items():
        setattr(resource, name, value)
    has_file = upload is not None or resource.files.exists()
    _check_kind(resource.kind, resource.url, has_file)
    resource.full_clean()
    resource.save()
    if upload is not None:
        _add_file(resource, upload, actor, note=note)
    return resource


@transaction.atomic
def resource_retire(*, actor: StaffMember, resource: Resource, retired: bool = True) -> Resource:
    """Take a resource out of the bank (or put it back); its files are kept."""
    check_same_school(actor, resource)
    resource.is_retired = retired
    resource.save(update_fields=["is_retired", "updated_at"])
    return resource


@transaction.atomic
def cpd_event_save(
    *, actor: StaffMember, event: CpdEvent | None = None, materials=(), **fields
) -> CpdEvent:
    """Plan or change a CPD session."""
    check_same_school(
        actor, event, fields.get("presenter"), fields.get("audience_faculty"), *materials
    )
    event = event or CpdEvent(school=actor.school, created_by=actor)
    for name, value in fields.items():
        setattr(event, name, value)
    event.full_clean()
    event.save()
    event.materials.set(materials)
    return event


@transaction.atomic
def cpd_attendance_take(
    *, actor: StaffMember, event: CpdEvent, present: set[int]
) -> list[CpdAttendance]:
    """Take the register: ``present`` holds the ids of the staff who came. Staff outside
    the event's school are refused; feedback already given is kept."""
    check_same_school(actor, event)
    if event.starts_at > timezone.now():
        raise ValidationError("The register can be taken once the session has started.")
    if any(not 0 < staff_id < 2**31 for staff_id in present):
        raise ValidationError("Some of those people are not staff of this school.")
    known = set(
        StaffMember.objects.filter(school_id=event.school_id, pk__in=present).values_list(
            "pk", flat=True
        )
    )
    if known != set(present):
        raise ValidationError("Some of those people are not staff of this school.")
    existing = {a.staff_id: a for a in event.attendance.all()}
    for row in existing.values():
        row.attended = row.staff_id in known
    CpdAttendance.objects.bulk_update(existing.values(), ["attended"])
    CpdAttendance.objects.bulk_create(
        CpdAttendance(school=event.school, event=event, staff_id=staff_id, attended=True)
        for staff_id in known - set(existing)
    )
    return list(event.attendance.all())


@transaction.atomic
def cpd_feedback_give(
    *, actor: StaffMember, event: CpdEvent, rating: int, comment: str = ""
) -> CpdAttendance:
    """An attendee rates a session they went to, once it has happened."""
    check_same_school(actor, event)
    if event.starts_at > timezone.now():
        raise ValidationError("Feedback opens once the session has taken place.")
    attendance = CpdAttendance.objects.filter(event=event, staff=actor, attended=True).first()
    if attendance is None:
        raise ValidationError("Only people on the register can give feedback.")
    attendance.rating, attendance.comment = rating, comment.strip()
    attendance.feedback_at = timezone.now()
    attendance.full_clean()
    attendance.save()
    return attendance


@transaction.atomic
def cpd_record_save(
    *,
    actor: StaffMember,
    record: CpdRecord | None = None,
    title: str,
    completed_on: date,
    hours: Decimal,
    provider: str = "",
    reflection: str = "",
) -> CpdRecord:
    """A staff member adds or corrects a record of their own CPD."""
    if record is not None and record.staff_id != actor.pk:
        raise ValidationError("You can only change your own CPD records.")
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "Record CPD once it has happened."})
    record = record or CpdRecord(school=actor.school, staff=actor)
    record.title, record.completed_on, record.hours = title.strip(), completed_on, hours
    record.provider, record.reflection = provider.strip(), reflection.strip()
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def training_type_save(
    *, actor: StaffMember, training_type: TrainingType | None = None, **fields
) -> TrainingType:
    check_same_school(actor, training_type)
    training_type = training_type or TrainingType(school=actor.school)
    for name, value in fields.items():
        setattr(training_type, name, value)
    training_type.full_clean()
    training_type.save()
    return training_type


@transaction.atomic
def training_record_add(
    *,
    actor: StaffMember,
    staff: StaffMember,
    training_type: TrainingType,
    completed_on: date,
    expires_on: date | None = None,
    provider: str = "",
    certificate=None,
    recorded_by: User | None = None,
) -> TrainingRecord:
    """Record that a member of staff completed a training. The expiry follows from the
    training type's validity unless the certificate gives another date."""
    check_same_school(actor, staff, training_type)
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "The completion date cannot be in the future."})
    expires_on = expires_on or training_type.expiry_for(completed_on)
    if expires_on is not None and expires_on <= completed_on:
        raise ValidationError({"expires_on": "The expiry must be after the completion date."})
    if TrainingRecord.objects.filter(
        staff=staff, training_type=training_type, completed_on=completed_on
    ).exists():
        raise ValidationError(
            {
                "completed_on": f"{training_type} on {completed_on:%d/%m/%Y} is already recorded "
                f"for {staff.user.full_name}."
            }
        )
    record = TrainingRecord(
        school=staff.school,
        staff=staff,
        training_type=training_type,
        completed_on=completed_on,
        expires_on=expires_on,
        provider=provider.strip(),
        recorded_by=recorded_by or actor.user,
    )
    if certificate:
        validate_upload(certificate)
        record.certificate.save(certificate.name, certificate, save=False)
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def support_request_create(
    *, actor: StaffMember, specialism: Specialism, kind: str, message: str
) -> SupportRequest:
    """Ask a specialist for support, training or a resource."""
    check_same_school(actor, specialism)
    request = SupportRequest(
        school=specialism.school,
        specialism=specialism,
        requested_by=actor,
        kind=kind,
        message=message.strip(),
    )
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def support_request_answer(
    *, actor: StaffMember, request: SupportRequest, status: str, response: str = ""
) -> SupportRequest:
    check_same_school(actor, request)
    request.status, request.response = status, response.strip()
    request.full_clean()
    request.save()
    return request
