"""The liaison log with parents/carers and agencies, its follow-up actions, and the
school's directory of agencies."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from staffing.models import Role, StaffMember
from students.models import Agency, LiaisonAction, LiaisonEntry, Pupil, PupilContact
from students.services.register import check_same_school


@dataclass(frozen=True)
class ActionInput:
    description: str
    owner: StaffMember
    due_on: date


@transaction.atomic
def liaison_entry_record(
    *,
    pupil: Pupil,
    actor: StaffMember,
    on: date,
    method: str,
    summary: str,
    contact: PupilContact | None = None,
    agency: Agency | None = None,
    with_whom: str = "",
    actions: list[ActionInput] = (),
) -> LiaisonEntry:
    """Record a conversation about the pupil with parents/carers or an agency, and the
    follow-up actions agreed, each of which goes on its owner's list until done."""
    check_same_school(actor, pupil, agency, *(a.owner for a in actions))
    if contact is not None and contact.pupil_id != pupil.pk:
        raise ValidationError({"contact": "That contact is not one of this pupil's."})
    if on > timezone.localdate():
        raise ValidationError({"on": "A conversation cannot be logged before it happens."})
    entry = LiaisonEntry(
        school=pupil.school,
        pupil=pupil,
        on=on,
        contact=contact,
        agency=agency,
        with_whom=with_whom.strip(),
        method=method,
        summary=summary.strip(),
        recorded_by=actor,
    )
    entry.full_clean()
    entry.save()
    for action in actions:
        if not action.owner.is_active or action.owner.role == Role.TRUST_LEAD:
            raise ValidationError(f"{action.owner.user.full_name} cannot own an action here.")
        if action.due_on < on:
            raise ValidationError(
                f"The action “{action.description}” is due before the conversation took place."
            )
        row = LiaisonAction(
            school=pupil.school,
            entry=entry,
            description=action.description.strip(),
            owner=action.owner,
            due_on=action.due_on,
        )
        row.full_clean()
        row.save()
    return entry


@transaction.atomic
def liaison_action_complete(*, action: LiaisonAction, actor: StaffMember) -> LiaisonAction:
    """Tick an action off its owner's list (done today). Doing it twice changes nothing."""
    check_same_school(actor, action)
    action = LiaisonAction.objects.select_for_update().get(pk=action.pk)
    if action.done_on is None:
        action.done_on = timezone.localdate()
        action.done_by = actor
        action.save(update_fields=["done_on", "done_by"])
    return action


@transaction.atomic
def agency_save(*, actor: StaffMember, agency: Agency | None = None, **fields) -> Agency:
    """Add an agency to the school's directory, or change one."""
    if agency is not None:
        check_same_school(actor, agency)
    agency = agency or Agency(school_id=actor.school_id)
    for name, value in fields.items():
        setattr(agency, name, value.strip() if isinstance(value, str) else value)
    agency.full_clean()
    agency.save()
    return agency


@transaction.atomic
def liaison_entry_update(
    *,
    entry: LiaisonEntry,
    actor: StaffMember,
    on: date,
    method: str,
    summary: str,
    contact: PupilContact | None = None,
    agency: Agency | None = None,
    with_whom: str = "",
) -> LiaisonEntry:
    """Correct a liaison entry; its earlier wording stays in the history."""
    check_same_school(actor, entry, agency)
    if contact is not None and contact.pupil_id != entry.pupil_id:
        raise ValidationError({"contact": "That contact is not one of this pupil's."})
    if on > timezone.localdate():
        raise ValidationError({"on": "A conversation cannot be logged before it happens."})
    entry.on = on
    entry.method = method
    entry.summary = summary.strip()
    entry.contact = contact
    entry.agency = agency
    entry.with_whom = with_whom.strip()
    entry.full_clean()
    entry.save()
    return entry
