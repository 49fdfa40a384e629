"""The behaviour and regulation log (restricted): antecedent → behaviour → consequence,
logged on a tablet in under a minute and corrected, on the day, by whoever logged it."""

import uuid
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from staffing.models import Role, StaffMember
from students.models import BehaviourIncident, BehaviourSetting, Pupil, Trigger
from students.services.health import CLOCK_SKEW
from students.services.register import check_same_school

# The fields a member of staff fills in; the school, pupil and recorder come from the request.
INCIDENT_FIELDS = (
    "occurred_at",
    "setting",
    "lesson",
    "trigger",
    "antecedent",
    "behaviour",
    "strategy",
    "strategy_helped",
    "outcome",
    "intensity",
    "physical_intervention",
    "physical_intervention_details",
)


def _check_incident(fields: dict) -> None:
    """The rules every incident keeps, checked before anything is written, with a message
    next to the field a person can fix."""
    errors: dict[str, str] = {}
    occurred_at = fields["occurred_at"]
    if occurred_at is None:
        errors["occurred_at"] = "Say when it happened."
    elif occurred_at > timezone.now() + CLOCK_SKEW:
        errors["occurred_at"] = "An incident cannot be logged in the future: check the time."
    if fields["setting"] not in BehaviourSetting.values:
        errors["setting"] = "Choose where it happened from the list."
    if fields["trigger"] not in Trigger.values:
        errors["trigger"] = "Choose the trigger from the list (or “Not known”)."
    if fields["intensity"] not in range(1, 6):
        errors["intensity"] = "Choose an intensity from 1 (low-level) to 5 (a crisis)."
    if not fields["behaviour"]:
        errors["behaviour"] = "Describe what happened."
    helped = fields["strategy_helped"]
    if helped and helped not in BehaviourIncident.Helped.values:
        errors["strategy_helped"] = "Choose helped, helped a little or did not help."
    elif helped and not fields["strategy"]:
        errors["strategy"] = "Choose the strategy used, or clear whether it helped."
    if fields["physical_intervention"] and not fields["physical_intervention_details"]:
        errors["physical_intervention_details"] = (
            "Physical intervention was used: describe the hold, who used it, for how long, "
            "any injuries and that parents or carers were told."
        )
    elif not fields["physical_intervention"] and fields["physical_intervention_details"]:
        errors["physical_intervention"] = (
            "Details of a physical intervention were given: tick “Physical intervention used”, "
            "or clear the details."
        )
    if errors:
        raise ValidationError(errors)


def _cleaned(values: dict) -> dict:
    return {
        name: value.strip() if isinstance(value, str) else value for name, value in values.items()
    }


@transaction.atomic
def behaviour_incident_record(
    *,
    pupil: Pupil,
    actor: StaffMember,
    occurred_at: datetime,
    setting: str,
    trigger: str,
    behaviour: str,
    intensity: int,
    lesson: str = "",
    antecedent: str = "",
    strategy: str = "",
    strategy_helped: str = "",
    outcome: str = "",
    physical_intervention: bool = False,
    physical_intervention_details: str = "",
    client_id: uuid.UUID | None = None,
) -> BehaviourIncident:
    """Log an incident in the pupil's behaviour and regulation log: when and where, what
    triggered it, what happened, the strategy used and whether it helped, the outcome and
    its intensity. A physical intervention must be described. A retry from the tablet with
    the same client id returns the incident already stored instead of logging it twice."""
    check_same_school(actor, pupil)
    if client_id is not None:
        earlier = BehaviourIncident.objects.filter(client_id=client_id).first()
        if earlier is not None:
            if earlier.pupil_id != pupil.pk:
                raise ValidationError("That entry id was already used for another pupil.")
            return earlier
    fields = _cleaned(
        {
            "occurred_at": occurred_at,
            "setting": setting,
            "lesson": lesson,
            "trigger": trigger,
            "antecedent": antecedent,
            "behaviour": behaviour,
            "strategy": strategy,
            "strategy_helped": strategy_helped,
            "outcome": outcome,
            "intensity": intensity,
            "physical_intervention": physical_intervention,
            "physical_intervention_details": physical_intervention_details,
        }
    )
    _check_incident(fields)
    incident = BehaviourIncident(
        school=pupil.school, pupil=pupil, recorded_by=actor, client_id=client_id, **fields
    )
    incident.full_clean()
    incident.save()
    return incident


def incident_correctable_by(*, incident: BehaviourIncident, actor: StaffMember) -> bool:
    """The SENDCo and PSO correct any incident; whoever logged one corrects it on the day
    they logged it. (students.correct_behaviour in rules.py says the same for the pages.)"""
    if actor.school_id != incident.school_id:
        return False
    if actor.role in (Role.SENDCO, Role.PSO):
        return True
    return (
        incident.recorded_by_id == actor.pk
        and timezone.localdate(incident.recorded_at) == timezone.localdate()
    )


@transaction.atomic
def behaviour_incident_correct(
    *, incident: BehaviourIncident, actor: StaffMember, reason: str = "", **fields
) -> BehaviourIncident:
    """Correct a logged incident. The earlier version stays in its history (who changed it,
    when and why). Only the SENDCo, the PSO or the person who logged it, on the same day."""
    check_same_school(actor, incident)
    if not incident_correctable_by(incident=incident, actor=actor):
        raise ValidationError(
            "Only the SENDCo, the PSO or the person who logged this incident, on the day it "
            "was logged, may correct it."
        )
    unknown = set(fields) - set(INCIDENT_FIELDS)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    incident = BehaviourIncident.objects.select_for_update().get(pk=incident.pk)
    values = {name: getattr(incident, name) for name in INCIDENT_FIELDS}
    values.update(_cleaned(fields))
    _check_incident(values)
    for name, value in values.items():
        setattr(incident, name, value)
    incident._change_reason = (reason.strip() or "Corrected")[:100]
    incident.full_clean()
    incident.save()
    return incident
