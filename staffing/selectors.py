"""Reads of staff data, always scoped to the school the acting member works in."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from staffing.models import StaffMember


def staff_list(*, actor: StaffMember | None) -> QuerySet[StaffMember]:
    """Everyone with a membership in the actor's school, with their user in the same query."""
    if actor is None:
        return StaffMember.objects.none()
    return (
        StaffMember.objects.filter(school_id=actor.school_id)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def staff_get(*, actor: StaffMember | None, pk: int) -> StaffMember:
    """One staff member of the actor's school; another school's answers 404."""
    return get_object_or_404(
        staff_list(actor=actor).select_related("school", "faculty", "line_manager__user"), pk=pk
    )
