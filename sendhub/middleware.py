"""Session safety: idle timeout for shared tablets, and two-factor for privileged roles."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from staffing.models import MFA_REQUIRED_ROLES

LAST_SEEN_SESSION_KEY = "sendhub_last_seen"
# Write the last-seen time at most this often, so a page view rarely writes the session.
LAST_SEEN_RESOLUTION_SECONDS = 60

# Paths a user held at MFA set-up may still open: sign-in/out, account and two-factor
# pages (allauth), the health probe and static files.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/healthz", "/static/")


class IdleTimeoutMiddleware:
    """Signs out a session left idle longer than SENDHUB_IDLE_TIMEOUT_MINUTES."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_SESSION_KEY)
            timeout = settings.SENDHUB_IDLE_TIMEOUT_MINUTES * 60
            if last_seen is not None and now - last_seen > timeout:
                logout(request)
                messages.info(
                    request,
                    "You were signed out after "
                    f"{settings.SENDHUB_IDLE_TIMEOUT_MINUTES} minutes without activity.",
                )
                return redirect_to_login(request.get_full_path())
            if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS:
                request.session[LAST_SEEN_SESSION_KEY] = now
        return self.get_response(request)


def user_needs_mfa(user, memberships) -> bool:
    return user.is_superuser or any(m.role in MFA_REQUIRED_ROLES for m in memberships)


class EnforceMfaMiddleware:
    """When SENDHUB_ENFORCE_MFA is on, a SENDCo, PSO, data manager or superuser without an
    authenticator app set up is sent to set one up before opening anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.SENDHUB_ENFORCE_MFA
            and request.user.is_authenticated
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and user_needs_mfa(request.user, getattr(request, "memberships", []))
            and not has_totp(request.user)
        ):
            messages.warning(
                request,
                "Your role can see pupil data, so two-factor sign-in is required. "
                "Set up an authenticator app to continue.",
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
