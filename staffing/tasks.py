from celery import shared_task

from staffing.models import School, User
from staffing.services import email_changed_notice_send, set_password_email_send


@shared_task(
    autoretry_for=(ConnectionError, TimeoutError, OSError),
    retry_backoff=True,
    max_retries=5,
)
def send_set_password_email(user_id: int, school_id: int) -> None:
    """Send the set-your-password e-mail; a user or school deleted since is skipped."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    school = School.objects.filter(pk=school_id).first()
    if user is None or school is None:
        return
    set_password_email_send(user=user, school=school)


@shared_task(
    autoretry_for=(ConnectionError, TimeoutError, OSError),
    retry_backoff=True,
    max_retries=5,
)
def send_email_changed_notice(old_email: str, new_email: str, school_id: int) -> None:
    school = School.objects.filter(pk=school_id).first()
    if school is not None:
        email_changed_notice_send(old_email=old_email, new_email=new_email, school=school)
