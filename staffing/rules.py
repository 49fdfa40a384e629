"""Who may see staff records."""

import rules

from sendhub.access import in_same_school, is_school_wide


@rules.predicate
def is_self(user, staff_member) -> bool:
    return staff_member is not None and staff_member.user_id == user.pk


rules.add_perm("staffing.view_staff_directory", is_school_wide)
rules.add_perm("staffing.view_staffmember", in_same_school & (is_school_wide | is_self))
