"""A real Celery worker, over the real Redis broker, completes a task end to end:
the data manager's "send set-your-password e-mail" is queued after the transaction
commits and delivered by the worker."""

import time

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.db import transaction

from sendhub.celery import app
from staffing.models import Role
from staffing.services import staff_invitation_send
from tests.conftest import service_missing
from tests.staffing.factories import StaffMemberFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]


@pytest.fixture
def redis_worker():
    url = settings.SENDHUB_TEST_REDIS_URL
    if not url:
        service_missing("SENDHUB_TEST_REDIS_URL is not set")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        service_missing(f"Redis is not reachable at {url}")
    redis.Redis.from_url(url).flushdb()  # a database of its own (15): no stale messages

    saved = {
        key: app.conf[key]
        for key in ("broker_url", "task_always_eager", "broker_transport_options")
    }
    app.conf.update(broker_url=url, task_always_eager=False, broker_transport_options={})
    reset_connections()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.update(saved)
        reset_connections()


def reset_connections():
    """Drop the app's cached connection and producer pools so the broker URL is re-read."""
    app._pool = None
    app.amqp._producer_pool = None


def wait_for(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_worker_sends_the_set_password_email_after_commit(redis_worker, school_a):
    member = StaffMemberFactory(school=school_a, role=Role.ONE_TO_ONE)
    with transaction.atomic():
        staff_invitation_send(staff_member=member)
        time.sleep(0.5)
        assert mail.outbox == []  # nothing is queued before the transaction commits
    assert wait_for(lambda: len(mail.outbox) == 1), "the worker did not deliver the e-mail"
    message = mail.outbox[0]
    assert message.to == [member.user.email]
    assert "/accounts/password/reset/key/" in message.body


def test_nothing_is_sent_when_the_transaction_rolls_back(redis_worker, school_a):
    member = StaffMemberFactory(school=school_a, role=Role.ONE_TO_ONE)

    def save_then_fail():
        with transaction.atomic():
            staff_invitation_send(staff_member=member)
            raise RuntimeError("the admin form failed after queuing")

    with pytest.raises(RuntimeError):
        save_then_fail()
    time.sleep(1.5)
    assert mail.outbox == []
