"""Who may see staff records."""

import rules

from sendhub.access import has_membership, has_role, in_same_school, is_school_wide
from staffing.models import Role


@rules.predicate
def is_self(user, staff_member) -> bool:
    return staff_member is not None and staff_member.user_id == user.pk


rules.add_perm("staffing.view_staff_directory", is_school_wide)
rules.add_perm("staffing.view_staffmember", in_same_school & (is_school_wide | is_self))

# Deployment: the SENDCo and PSO place staff on the timetable; everyone else reads their own
# timetable and day (SLT read any, for oversight).
is_sen_lead = has_role(Role.SENDCO, Role.PSO)
rules.add_perm("staffing.manage_allocations", is_sen_lead)
rules.add_perm("staffing.view_my_day", has_membership & ~has_role(Role.TRUST_LEAD))
rules.add_perm(
    "staffing.view_timetable",
    in_same_school & (is_sen_lead | has_role(Role.SLT) | is_self),
)
# Coverage of the register by support: the SENDCo and PSO, and SLT for oversight.
rules.add_perm("staffing.view_coverage", has_role(Role.SENDCO, Role.PSO, Role.SLT))
