"""Who may see and change the pupil record (DESIGN.md "Access").

SENDCo and PSO: everything in their school. SLT and the data manager: read the record.
HLTA, FLS and 1:1 assistants: the pupils linked to them. Teachers: the passports of pupils
linked to them (their classes). Trust leads compare schools without opening pupil records.
"""

import rules
from django.utils import timezone

from sendhub.access import has_membership, has_role, in_same_school
from staffing.models import Role

is_sendco = has_role(Role.SENDCO)
is_sen_lead = has_role(Role.SENDCO, Role.PSO)
reads_whole_school = has_role(Role.SENDCO, Role.PSO, Role.SLT, Role.DATA_MANAGER)
is_support_staff = has_role(Role.HLTA, Role.FLS, Role.ONE_TO_ONE)
is_teacher = has_role(Role.TEACHER)
is_hlta = has_role(Role.HLTA)


@rules.predicate
def is_safeguarding_lead(user) -> bool:
    """A designated safeguarding lead or deputy, named on their staff record."""
    membership = getattr(user, "membership", None)
    return membership is not None and membership.is_safeguarding_lead


def _pupil_of(obj):
    """The pupil a record is about: a Pupil, or anything with a ``pupil``."""
    return getattr(obj, "pupil", obj)


@rules.predicate
def works_with_pupil(user, obj) -> bool:
    """The acting staff member has a current link to the pupil (cached per pupil object)."""
    from students.models import StaffPupilLink

    membership = getattr(user, "membership", None)
    pupil = _pupil_of(obj)
    if membership is None or pupil is None:
        return False
    cache = pupil.__dict__.setdefault("_linked_staff_cache", {})
    if membership.pk not in cache:
        today = timezone.localdate()
        cache[membership.pk] = (
            StaffPupilLink.objects.filter(staff=membership, pupil=pupil)
            .exclude(valid_until__lt=today)
            .exists()
        )
    return cache[membership.pk]


@rules.predicate
def pupil_in_school(user, obj) -> bool:
    return in_same_school(user, _pupil_of(obj))


can_view_pupil = pupil_in_school & (
    reads_whole_school | is_safeguarding_lead | (is_support_staff & works_with_pupil)
)

rules.add_perm(
    "students.view_register",
    reads_whole_school | is_support_staff | is_teacher,
)
rules.add_perm("students.export_register", reads_whole_school)
rules.add_perm("students.view_pupil", can_view_pupil)
rules.add_perm(
    "students.view_passport", can_view_pupil | (pupil_in_school & is_teacher & works_with_pupil)
)
rules.add_perm(
    "students.change_passport",
    pupil_in_school & (is_sen_lead | (has_role(Role.HLTA, Role.ONE_TO_ONE) & works_with_pupil)),
)
rules.add_perm("students.manage_register", pupil_in_school & is_sen_lead)
rules.add_perm(
    "students.draft_plan", pupil_in_school & (is_sen_lead | (is_hlta & works_with_pupil))
)


@rules.predicate
def drafted_it(user, plan) -> bool:
    membership = getattr(user, "membership", None)
    return membership is not None and getattr(plan, "drafted_by_id", None) == membership.pk


# A draft is deleted by the SENDCo or PSO, or by the person who wrote it.
rules.add_perm(
    "students.delete_plan",
    pupil_in_school & (is_sen_lead | (is_hlta & works_with_pupil & drafted_it)),
)
rules.add_perm("students.approve_plan", pupil_in_school & is_sendco)
rules.add_perm("students.review_plan", pupil_in_school & is_sen_lead)
rules.add_perm("students.manage_ehcp", pupil_in_school & is_sen_lead)
rules.add_perm("students.view_history", pupil_in_school & is_sen_lead)
rules.add_perm("students.manage_arrangements", pupil_in_school & is_sen_lead)
rules.add_perm("students.approve_arrangement", pupil_in_school & is_sendco)
rules.add_perm("students.view_exam_arrangements", reads_whole_school)
# Health, care, behaviour, liaison and documents: the SENDCo and PSO, named safeguarding
# leads, and support staff working with the pupil. Teachers, SLT and the data manager do not
# read them (unless named as a safeguarding lead).
can_view_restricted = pupil_in_school & (
    is_sen_lead | is_safeguarding_lead | (is_support_staff & works_with_pupil)
)
rules.add_perm("students.view_restricted", can_view_restricted)
rules.add_perm("students.manage_health", pupil_in_school & is_sen_lead)
rules.add_perm("students.record_dose", can_view_restricted)
rules.add_perm("students.view_access_log", pupil_in_school & is_sen_lead)
rules.add_perm("students.manage_documents", pupil_in_school & is_sen_lead)
rules.add_perm("students.manage_care", pupil_in_school & is_sen_lead)
rules.add_perm("students.record_care", can_view_restricted)
rules.add_perm("students.record_behaviour", can_view_restricted)
rules.add_perm("students.record_liaison", can_view_restricted)
rules.add_perm("students.manage_agencies", is_sen_lead)
rules.add_perm("students.view_agencies", is_sen_lead | is_safeguarding_lead | is_support_staff)
rules.add_perm("students.view_own_actions", has_membership & ~has_role(Role.TRUST_LEAD))
# Case studies: read with the pupil record; written by the staff who support the pupil with
# the SENDCo, who agrees the final version.
rules.add_perm(
    "students.write_case_study",
    pupil_in_school & (is_sen_lead | (is_support_staff & works_with_pupil)),
)
rules.add_perm("students.agree_case_study", pupil_in_school & is_sendco)


def logged_by_actor(by_field: str, *, same_day: bool = False) -> rules.Predicate:
    """The acting staff member logged the entry (``by_field`` names who did), and, with
    ``same_day``, it is still the day it was recorded."""

    @rules.predicate(name=f"logged_by_actor({by_field}, same_day={same_day})")
    def _logged(user, entry) -> bool:
        membership = getattr(user, "membership", None)
        if membership is None or getattr(entry, f"{by_field}_id", None) != membership.pk:
            return False
        return not same_day or timezone.localdate(entry.recorded_at) == timezone.localdate()

    return _logged


rules.add_perm("students.delete_case_study", pupil_in_school & is_sen_lead)
# Entries in the restricted logs are corrected by the SENDCo or PSO, or by whoever logged
# them: behaviour incidents and care entries on the day (the services check the same), a
# liaison entry at any time.
rules.add_perm(
    "students.correct_behaviour",
    pupil_in_school
    & (is_sen_lead | (can_view_restricted & logged_by_actor("recorded_by", same_day=True))),
)
rules.add_perm(
    "students.withdraw_care",
    pupil_in_school
    & (is_sen_lead | (can_view_restricted & logged_by_actor("given_by", same_day=True))),
)
rules.add_perm(
    "students.correct_liaison",
    pupil_in_school & (is_sen_lead | (can_view_restricted & logged_by_actor("recorded_by"))),
)
