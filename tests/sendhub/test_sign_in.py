"""Sign-in: e-mail and password, no public sign-up, password reset, rate limits,
idle timeout on shared tablets, and two-factor for the roles that see pupil data."""

import re
import time

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.urls import reverse

from staffing.models import Role, User
from staffing.services import set_password_email_send
from tests.staffing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def sign_in(client, user, password=TEST_PASSWORD):
    return client.post(LOGIN, {"login": user.email, "password": password})


def test_staff_sign_in_with_email_and_password(client, staff):
    user = staff[Role.FLS].user
    response = sign_in(client, user)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert user.first_name in client.get(reverse("home")).content.decode()


def test_sign_in_email_is_case_insensitive(client, staff):
    user = staff[Role.FLS].user
    response = client.post(LOGIN, {"login": user.email.upper(), "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_wrong_password_is_refused_with_a_message(client, staff):
    response = sign_in(client, staff[Role.FLS].user, password="not-the-password")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_there_is_no_public_sign_up(client):
    response = client.get("/accounts/signup/")
    assert "Sign Up Closed" in response.content.decode()
    client.post(
        "/accounts/signup/",
        {
            "email": "stranger@example.org",
            "password1": "a-long-pass-123",
            "password2": "a-long-pass-123",
        },
    )
    assert not User.objects.filter(email="stranger@example.org").exists()


def test_sign_in_page_offers_no_sign_up_link(client):
    assert "/accounts/signup/" not in client.get(LOGIN).content.decode()


def test_password_reset_sends_a_working_link(client, staff):
    user = staff[Role.HLTA].user
    client.post("/accounts/password/reset/", {"email": user.email})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    assert link
    response = client.get(link.group(1), follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link.group(1)
    client.post(form_url, {"password1": "brand-new-pass-42", "password2": "brand-new-pass-42"})
    user.refresh_from_db()
    assert user.check_password("brand-new-pass-42")


def test_set_password_email_lets_a_new_person_choose_a_password(client, school_a):
    from staffing.services import staff_member_create

    member = staff_member_create(
        actor=None,
        school=school_a,
        email="new@example.org",
        first_name="Nia",
        last_name="New",
        role=Role.FLS,
    )
    assert not member.user.has_usable_password()
    set_password_email_send(user=member.user, school=school_a)
    message = mail.outbox[0]
    assert message.to == ["new@example.org"]
    assert school_a.name in message.subject
    path = re.search(r"http://testserver(\S+)", message.body).group(1)
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    client.post(form_url, {"password1": "nia-chooses-this-1", "password2": "nia-chooses-this-1"})
    assert sign_in(client, member.user, password="nia-chooses-this-1").status_code == 302


def test_repeated_failed_sign_ins_are_rate_limited(client, staff):
    user = staff[Role.SENDCO].user
    for _ in range(5):
        assert sign_in(client, user, password="guess").status_code == 200
    # Even the right password is now refused for a while.
    response = sign_in(client, user)
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_rate_limit_counts_per_account(client, staff):
    for _ in range(5):
        sign_in(client, staff[Role.SENDCO].user, password="guess")
    assert sign_in(client, staff[Role.PSO].user).status_code == 302


def test_idle_session_expires_after_the_timeout(client, staff, settings):
    settings.SENDHUB_IDLE_TIMEOUT_MINUTES = 30
    with time_machine.travel("2026-11-23 09:00", tick=False) as traveller:
        client.force_login(staff[Role.ONE_TO_ONE].user)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(29 * 60)
        assert client.get(reverse("home")).status_code == 200  # activity resets the clock
        traveller.shift(29 * 60)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(31 * 60)
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    assert "_auth_user_id" not in client.session
    page = client.get(response.url).content.decode()
    assert "signed out after 30 minutes" in page


def test_idle_timeout_is_configurable(client, staff, settings):
    settings.SENDHUB_IDLE_TIMEOUT_MINUTES = 5
    with time_machine.travel("2026-11-23 09:00", tick=False) as traveller:
        client.force_login(staff[Role.ONE_TO_ONE].user)
        client.get(reverse("home"))
        traveller.shift(6 * 60)
        assert client.get(reverse("home")).status_code == 302


@pytest.fixture
def enforce_mfa(settings):
    settings.SENDHUB_ENFORCE_MFA = True


@pytest.mark.parametrize("role", [Role.SENDCO, Role.PSO, Role.DATA_MANAGER])
def test_privileged_role_without_2fa_is_sent_to_set_it_up(member_client, staff, enforce_mfa, role):
    client = member_client(staff[role])
    for url in [reverse("home"), reverse("staffing:staff_list"), reverse("admin:index")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == reverse("mfa_activate_totp")


@pytest.mark.parametrize(
    "role", [Role.FLS, Role.ONE_TO_ONE, Role.TEACHER, Role.HLTA, Role.SLT, Role.TRUST_LEAD]
)
def test_other_roles_are_not_held_at_2fa(member_client, staff, enforce_mfa, role):
    assert member_client(staff[role]).get(reverse("home")).status_code == 200


def test_privileged_role_with_2fa_goes_through(member_client, staff, enforce_mfa):
    member = staff[Role.SENDCO]
    Authenticator.objects.create(
        user=member.user, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    assert member_client(member).get(reverse("staffing:staff_list")).status_code == 200


def test_enforcement_off_lets_privileged_roles_in(member_client, staff, settings):
    settings.SENDHUB_ENFORCE_MFA = False
    assert member_client(staff[Role.SENDCO]).get(reverse("home")).status_code == 200


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_sendco_sets_up_totp_then_needs_a_code_to_sign_in(client, staff, enforce_mfa):
    user = staff[Role.SENDCO].user
    assert sign_in(client, user).status_code == 302
    assert client.get(reverse("home")).url == reverse("mfa_activate_totp")
    # Adding an authenticator is account-sensitive: allauth asks for the password again.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    client.post(response.url, {"password": TEST_PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    secret = response.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    # Recovery codes are issued alongside the authenticator app.
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert client.get(reverse("home")).status_code == 200

    client.post(reverse("account_logout"))
    # A code works once: sign in again in the next 30-second window.
    with time_machine.travel(time.time() + 31):
        response = sign_in(client, user)
        assert response.url == reverse("mfa_authenticate")
        assert client.get(reverse("home")).status_code == 302  # not signed in yet
        wrong_code = f"{(int(current_code(secret)) + 1) % 1_000_000:06d}"
        wrong = client.post(reverse("mfa_authenticate"), {"code": wrong_code})
        assert wrong.status_code == 200
        response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
        assert response.status_code == 302
        assert client.get(reverse("home")).status_code == 200


def test_superuser_without_2fa_is_held_at_set_up(client, enforce_mfa):
    from tests.staffing.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
