"""Signing in on a classroom tablet: the real allauth page, touch taps, axe checks."""

import re

import pytest
from playwright.sync_api import expect

from staffing.models import Role
from tests.browser.axe import assert_accessible
from tests.staffing.factories import TEST_PASSWORD, StaffMemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOGIN_PATH = "/accounts/login/"


@pytest.fixture
def sendco(school_a):
    return StaffMemberFactory(
        school=school_a, role=Role.SENDCO, user__first_name="Priya", user__last_name="Shah"
    )


def open_sign_in(page, live_server):
    response = page.goto(f"{live_server.url}{LOGIN_PATH}")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to SendHub")


def sign_in(page, email, password):
    """Tap into each field and type, as on a tablet; return the response to the POST."""
    email_field = page.locator("input[name=login]")
    email_field.tap()
    email_field.fill(email)
    password_field = page.locator("input[name=password]")
    password_field.tap()
    password_field.fill(password)
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith(LOGIN_PATH)
    ) as posted:
        page.get_by_role("button", name="Sign in").tap()
    page.wait_for_load_state()
    return posted.value


def test_sign_in_page_is_accessible(tablet, live_server):
    open_sign_in(tablet, live_server)
    assert_accessible(tablet)


def test_sendco_signs_in_and_lands_on_home(tablet, live_server, sendco, school_a):
    open_sign_in(tablet, live_server)

    posted = sign_in(tablet, sendco.user.email, TEST_PASSWORD)

    assert posted.status == 302
    expect(tablet).to_have_url(f"{live_server.url}/")
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Hello, Priya")
    whoami = tablet.get_by_test_id("whoami")
    expect(whoami).to_contain_text(f"You are working in {school_a.name}")
    expect(whoami).to_contain_text(f"as {Role.SENDCO.label}")
    assert_accessible(tablet)


def test_wrong_password_shows_error_and_stays_on_sign_in(tablet, live_server, sendco):
    open_sign_in(tablet, live_server)

    posted = sign_in(tablet, sendco.user.email, "not-the-password")

    assert posted.status == 200
    expect(tablet).to_have_url(re.compile(re.escape(LOGIN_PATH) + "$"))
    # crispy-forms renders the form's non-field errors in a Bootstrap danger alert.
    expect(tablet.locator(".alert-danger")).to_contain_text(
        "The email address and/or password you specified are not correct."
    )
    expect(tablet.locator("input[name=login]")).to_have_value(sendco.user.email)
    expect(tablet.locator("input[name=password]")).to_have_value("")
    assert_accessible(tablet)
