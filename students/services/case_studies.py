"""Case studies of high-needs pupils: written by the staff who support them with the
SENDCo, who agrees the final version. The body is rich text, sanitised on the way in."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from sendhub.html import sanitise
from staffing.models import StaffMember
from students.models import CaseStudy, Pupil, SenStatus
from students.services.register import check_same_school

MAX_BODY = 50_000


@transaction.atomic
def case_study_save(
    *, pupil: Pupil, actor: StaffMember, title: str, body: str, study: CaseStudy | None = None
) -> CaseStudy:
    """Write or change a case study. A change after the SENDCo agreed it needs agreeing
    again."""
    check_same_school(actor, pupil)
    if study is not None and study.pupil_id != pupil.pk:
        raise ValidationError("That case study is about another pupil.")
    if study is None and pupil.sen_status == SenStatus.NONE:
        raise ValidationError("Case studies are written for pupils on the SEND register.")
    if len(body) > MAX_BODY:
        raise ValidationError({"body": f"Keep the case study under {MAX_BODY:,} characters."})
    clean = sanitise(body)
    if not strip_tags(clean).strip():
        raise ValidationError({"body": "Write the case study."})
    study = study or CaseStudy(school=pupil.school, pupil=pupil, written_by=actor)
    changed = study.pk is None or study.body != clean or study.title != title.strip()
    study.title = title.strip()
    study.body = clean
    if changed:
        study.agreed_by = None
        study.agreed_on = None
    study.full_clean()
    study.save()
    return study


@transaction.atomic
def case_study_agree(*, study: CaseStudy, actor: StaffMember) -> CaseStudy:
    """The SENDCo agrees the case study as it stands."""
    check_same_school(actor, study)
    study.agreed_by = actor
    study.agreed_on = timezone.localdate()
    study.save(update_fields=["agreed_by", "agreed_on", "updated_at"])
    return study


@transaction.atomic
def case_study_delete(*, study: CaseStudy, actor: StaffMember) -> None:
    check_same_school(actor, study)
    study.delete()
