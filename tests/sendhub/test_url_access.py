"""Every URL declares who may open it, and anonymous visitors never get past sign-in.

A new page without a rule (``permission_required`` on a RulePermissionMixin view, or
``@public("why")``) fails here. The declarations are listed by
``pytest tests/sendhub/test_url_access.py -s``.
"""

import itertools
import re
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from sendhub.access import declared_access

pytestmark = pytest.mark.django_db

# allauth pages a visitor must reach before signing in.
ALLAUTH_PUBLIC = {
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_logout",
    "account_confirm_email",
    "account_email_verification_sent",
    "account_inactive",
    "mfa_authenticate",
    "account_login_code_confirm",
    "account_request_login_code",
    "account_verify_email",
    "mfa_trust",
    "account_confirm_login_code",
    "account_verify_phone",
    "account_reauthenticate",
}
CANDIDATE_VALUES = ["1", "staffing", "x1-key"]


@dataclass
class Route:
    name: str | None
    namespace: str
    callback: object
    route: str

    @property
    def qualified_name(self) -> str | None:
        if not self.name:
            return None
        return f"{self.namespace}:{self.name}" if self.namespace else self.name


def walk(patterns, namespace="", prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = ":".join(filter(None, [namespace, ns]))
            yield from walk(entry.url_patterns, full_ns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield Route(entry.name, namespace, entry.callback, prefix + str(entry.pattern))


ROUTES = list(walk(get_resolver().url_patterns))


def sample_url(route: Route) -> str:
    """A URL for the route with made-up arguments."""
    if route.qualified_name:
        for size in range(4):
            for values in itertools.product(CANDIDATE_VALUES, repeat=size):
                try:
                    return reverse(route.qualified_name, args=values)
                except NoReverseMatch:
                    continue
    # Unnamed or unreversible: fill each converter or regex group with "1".
    url = re.sub(r"<(?:\w+:)?\w+>", "1", route.route)
    url = re.sub(r"\(\?P<\w+>[^)]*\)", "1", url)
    return "/" + url.replace("^", "").replace("$", "")


def test_every_url_declares_who_may_open_it():
    undeclared = [
        route.route for route in ROUTES if declared_access(route.callback, route.namespace) is None
    ]
    assert not undeclared, f"URLs without an access rule: {undeclared}"
    print(f"\n{len(ROUTES)} URL patterns, all with a declared access rule")


def test_own_views_use_rules_or_say_why_they_are_public():
    own = [
        r
        for r in ROUTES
        if (r.callback.__module__ or "").startswith(
            ("sendhub", "staffing", "students", "interventions", "cpd")
        )
        and r.namespace != "admin"
    ]
    assert own, "expected SendHub's own URLs"
    for route in own:
        access = declared_access(route.callback, route.namespace)
        assert access.startswith(("rule:", "public:")), (route.route, access)


def guarded_routes():
    for route in ROUTES:
        access = declared_access(route.callback, route.namespace) or ""
        if access.startswith("public:"):
            continue
        if route.name in ALLAUTH_PUBLIC:
            continue
        yield route


@pytest.mark.parametrize("route", list(guarded_routes()), ids=lambda r: r.route)
def test_anonymous_visitor_is_sent_to_sign_in(client, route):
    url = sample_url(route)
    response = client.get(url)
    if response.status_code == 405:  # POST-only: the POST must be refused too
        response = client.post(url)
    assert response.status_code == 302, (url, response.status_code)
    if response.status_code == 302:
        target = response.url
        if route.qualified_name == "admin:logout":
            assert target == reverse("admin:index")  # which in turn asks to sign in
            return
        assert target.startswith(("/accounts/login/", "/admin/login/")), (url, target)


def test_a_view_without_a_rule_is_reported_as_undeclared():
    from django.views.generic import TemplateView

    from sendhub.access import RulePermissionMixin, public

    class Undeclared(TemplateView):
        pass

    class Declared(RulePermissionMixin, TemplateView):
        permission_required = "sendhub.view_home"

    assert declared_access(Undeclared.as_view()) is None
    assert declared_access(Declared.as_view()) == "rule:sendhub.view_home"
    assert declared_access(public("probe")(lambda request: None)) == "public:probe"
