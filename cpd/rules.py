"""Who may change the resource bank and CPD, and who sees training records.

Everyone in a school reads the resource bank and the CPD calendar. The owner, specialists
(HLTAs and holders of a specialism) and the SENDCo and PSO change them. Training records are
seen by the staff member, their line manager, the SENDCo and the data manager."""

import rules

from sendhub.access import has_membership, has_role, in_same_school
from staffing.models import Role

is_sen_lead = has_role(Role.SENDCO, Role.PSO)
manages_training = has_role(Role.SENDCO, Role.DATA_MANAGER)


@rules.predicate
def holds_specialism(user) -> bool:
    from cpd.models import Specialism

    membership = getattr(user, "membership", None)
    if membership is None:
        return False
    cache = membership.__dict__
    if "_holds_specialism" not in cache:
        cache["_holds_specialism"] = Specialism.objects.filter(holder=membership).exists()
    return cache["_holds_specialism"]


is_specialist = has_role(Role.HLTA) | holds_specialism
may_publish = is_sen_lead | is_specialist


@rules.predicate
def owns(user, obj) -> bool:
    membership = getattr(user, "membership", None)
    owner_id = getattr(obj, "owner_id", None) or getattr(obj, "created_by_id", None)
    return membership is not None and owner_id is not None and owner_id == membership.pk


@rules.predicate
def presents(user, event) -> bool:
    membership = getattr(user, "membership", None)
    return membership is not None and getattr(event, "presenter_id", None) == membership.pk


@rules.predicate
def is_the_staff_member(user, staff) -> bool:
    membership = getattr(user, "membership", None)
    return membership is not None and staff is not None and staff.pk == membership.pk


@rules.predicate
def line_manages(user, staff) -> bool:
    membership = getattr(user, "membership", None)
    return membership is not None and getattr(staff, "line_manager_id", None) == membership.pk


@rules.predicate
def holds_it(user, specialism) -> bool:
    membership = getattr(user, "membership", None)
    return membership is not None and getattr(specialism, "holder_id", None) == membership.pk


rules.add_perm("cpd.view_bank", has_membership)
rules.add_perm("cpd.add_resource", may_publish)
rules.add_perm("cpd.change_resource", in_same_school & (owns | is_sen_lead | is_specialist))
rules.add_perm("cpd.view_calendar", has_membership)
rules.add_perm("cpd.add_event", may_publish)
rules.add_perm("cpd.change_event", in_same_school & (is_sen_lead | is_specialist | owns | presents))
rules.add_perm("cpd.view_own_cpd", has_membership)
rules.add_perm("cpd.view_matrix", manages_training)
rules.add_perm("cpd.manage_training_types", manages_training)
rules.add_perm("cpd.add_training_record", in_same_school & manages_training)
rules.add_perm(
    "cpd.view_training",
    in_same_school & (is_the_staff_member | line_manages | manages_training),
)
rules.add_perm("cpd.view_specialisms", has_membership)
rules.add_perm("cpd.answer_request", in_same_school & (holds_it | is_sen_lead))
