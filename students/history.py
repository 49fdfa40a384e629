"""The history of a pupil's record, from django-simple-history's tables: who changed what,
when. All rows for the pupil are read once per model and compared in memory, so the page
costs a fixed number of queries however long the history is."""

from dataclasses import dataclass, field
from datetime import datetime

from students.models import (
    EhcPlan,
    EhcpOutcome,
    EhcpReview,
    OutcomeProgress,
    Passport,
    PlanReview,
    PlanTarget,
    Pupil,
    PupilNeed,
    RegisterPeriod,
    StaffPupilLink,
    SupportPlan,
    TargetOutcome,
)

IGNORED = {
    "id",
    "school",
    "pupil",
    "updated_at",
    "created_at",
    "order",
    "plan",
    "ehcp",
    "review",
    "target",
    "outcome",
    "previous",
    "carried_from",
}
ACTIONS = {"+": "added", "~": "changed", "-": "deleted"}


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    what: str
    action: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _history_rows(pupil: Pupil):
    """(label, historical queryset) for every part of the record."""
    plan_ids = list(SupportPlan.history.filter(pupil_id=pupil.pk).values_list("id", flat=True))
    ehcp_ids = list(EhcPlan.history.filter(pupil_id=pupil.pk).values_list("id", flat=True))
    review_ids = list(PlanReview.history.filter(plan_id__in=plan_ids).values_list("id", flat=True))
    outcome_ids = list(
        EhcpOutcome.history.filter(ehcp_id__in=ehcp_ids).values_list("id", flat=True)
    )
    return [
        ("Pupil details", Pupil.history.filter(id=pupil.pk)),
        ("Register", RegisterPeriod.history.filter(pupil_id=pupil.pk)),
        ("Need", PupilNeed.history.filter(pupil_id=pupil.pk)),
        ("Staff link", StaffPupilLink.history.filter(pupil_id=pupil.pk)),
        ("Passport", Passport.history.filter(pupil_id=pupil.pk)),
        ("Plan", SupportPlan.history.filter(pupil_id=pupil.pk)),
        ("Plan target", PlanTarget.history.filter(plan_id__in=plan_ids)),
        ("Plan review", PlanReview.history.filter(plan_id__in=plan_ids)),
        ("Target outcome", TargetOutcome.history.filter(review_id__in=review_ids)),
        ("EHC plan", EhcPlan.history.filter(pupil_id=pupil.pk)),
        ("EHCP outcome", EhcpOutcome.history.filter(ehcp_id__in=ehcp_ids)),
        ("EHCP progress", OutcomeProgress.history.filter(outcome_id__in=outcome_ids)),
        ("EHCP annual review", EhcpReview.history.filter(ehcp_id__in=ehcp_ids)),
    ]


def _display(record, name: str) -> str:
    value = getattr(record, name)
    getter = getattr(record, f"get_{name}_display", None)
    if getter is not None and value not in (None, ""):
        return str(getter())
    if value in (None, ""):
        return "—"
    return str(value)


def pupil_history(pupil: Pupil, limit: int = 300) -> list[HistoryEntry]:
    """The newest ``limit`` changes to the pupil's record, with the fields each changed."""
    entries = []
    for label, queryset in _history_rows(pupil):
        # Foreign keys are left out: who acted is shown on every entry, and following each
        # would cost a query per row.
        model_fields = [
            f
            for f in queryset.model.instance_type._meta.concrete_fields
            if f.name not in IGNORED and not f.is_relation
        ]
        previous = {}
        for record in queryset.select_related("history_user").order_by(
            "history_date", "history_id"
        ):
            before = previous.get(record.id)
            changes = []
            for f in model_fields:
                now = _display(record, f.name)
                was = _display(before, f.name) if before is not None else "—"
                created = record.history_type == "+" and now != "—"
                if created or (before is not None and now != was):
                    changes.append((str(f.verbose_name), was, now))
            previous[record.id] = record
            if record.history_type == "~" and not changes:
                continue
            user = record.history_user
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=(user.full_name or user.email) if user else "System",
                    what=label,
                    action=ACTIONS.get(record.history_type, record.history_type),
                    changes=changes,
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]
