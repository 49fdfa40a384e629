"""Access plumbing shared by every app.

Every URL must declare who may open it: a class-based view sets ``permission_required``
to a rule from an app's ``rules.py`` (via ``RulePermissionMixin``), and the few pages
anyone may open are marked with ``@public("why")``. ``tests/sendhub/test_url_access.py``
enumerates the URL patterns and fails for any that declares nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied
from rules.contrib.views import PermissionRequiredMixin

from staffing.models import Role


@rules.predicate
def has_membership(user) -> bool:
    """The user acts as a staff member of some school in this request."""
    return getattr(user, "membership", None) is not None


def has_role(*roles: Role) -> rules.Predicate:
    """A predicate true when the user's active membership holds one of ``roles``."""
    wanted = frozenset(roles)

    @rules.predicate(name=f"has_role({','.join(sorted(wanted))})")
    def _has_role(user) -> bool:
        membership = getattr(user, "membership", None)
        return membership is not None and membership.role in wanted

    return _has_role


@rules.predicate
def in_same_school(user, obj) -> bool:
    """The object belongs to the school the user is acting in."""
    membership = getattr(user, "membership", None)
    return membership is not None and obj is not None and obj.school_id == membership.school_id


# Who sees the whole school (DESIGN.md "Access"): SENDCo, PSO, SLT (read-only oversight),
# the data manager and the trust lead.
is_school_wide = has_role(Role.SENDCO, Role.PSO, Role.SLT, Role.DATA_MANAGER, Role.TRUST_LEAD)


class RulePermissionMixin(PermissionRequiredMixin):
    """Check ``permission_required`` (a rules permission); anonymous users go to sign in,
    signed-in users without the permission get 403."""

    def dispatch(self, request, *args, **kwargs):
        # Anonymous users are sent to sign in before any object is looked up.
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise PermissionDenied
        return super().handle_no_permission()


@dataclass(frozen=True)
class PublicAccess:
    reason: str


def public(reason: str) -> Callable:
    """Mark a view as open to anonymous users, saying why."""

    def decorate(view):
        view.sendhub_access = PublicAccess(reason)
        return view

    return decorate


# URLs from well-kept libraries, whose access is enforced by the library itself and
# checked by tests/sendhub/test_url_access.py (anonymous visitors are sent to sign in).
THIRD_PARTY_NAMESPACES = {
    "admin": "SendHubAdminSite.has_permission: rule sendhub.open_admin",
}
THIRD_PARTY_MODULES = {
    "allauth.": "allauth: sign-in and reset pages are public, account pages need sign-in",
}


def declared_access(callback, namespace: str = "") -> str | None:
    """What a resolved URL callback declares about who may open it, or None."""
    if namespace in THIRD_PARTY_NAMESPACES:
        return f"library:{THIRD_PARTY_NAMESPACES[namespace]}"
    module = getattr(callback, "__module__", "") or ""
    for prefix, description in THIRD_PARTY_MODULES.items():
        if module.startswith(prefix):
            return f"library:{description}"
    view_class = getattr(callback, "view_class", None)
    permission = getattr(view_class, "permission_required", None)
    if permission:
        return f"rule:{permission}"
    marker = getattr(callback, "sendhub_access", None) or getattr(
        view_class, "sendhub_access", None
    )
    if isinstance(marker, PublicAccess):
        return f"public:{marker.reason}"
    return None
