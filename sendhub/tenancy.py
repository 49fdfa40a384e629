"""Tenancy: which school a signed-in user is acting in for this request.

A user may hold a StaffMember row in several schools (a trust lead, or someone who works
across two sites). They act in one at a time: the choice lives in the session, defaulting to
the first. Selectors take that membership as the acting user and scope every query by its
school, so no view can show one school's data to another.
"""

from django.utils.functional import SimpleLazyObject

from staffing.models import StaffMember

ACTIVE_SCHOOL_SESSION_KEY = "sendhub_school_id"


def memberships_for(user) -> list[StaffMember]:
    """Active memberships of ``user`` in active schools, school name order."""
    if not user.is_authenticated:
        return []
    return list(
        StaffMember.objects.filter(user=user, is_active=True, school__is_active=True)
        .select_related("school", "school__trust", "user")
        .order_by("school__name")
    )


def choose_membership(memberships: list[StaffMember], school_id) -> StaffMember | None:
    for membership in memberships:
        if membership.school_id == school_id:
            return membership
    return memberships[0] if memberships else None


class TenancyMiddleware:
    """Sets ``request.memberships``, ``request.membership`` and ``request.school``; the
    membership is also set on ``request.user`` so rules predicates can read it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            memberships = memberships_for(user)
            membership = choose_membership(
                memberships, request.session.get(ACTIVE_SCHOOL_SESSION_KEY)
            )
            user.membership = membership
        else:
            memberships, membership = [], None
        request.memberships = memberships
        request.membership = membership
        request.school = SimpleLazyObject(lambda: membership.school if membership else None)
        return self.get_response(request)
