"""Access rules for the pages that span apps."""

import rules

from sendhub.access import has_role
from staffing.models import Role

rules.add_perm("sendhub.view_home", rules.is_authenticated)
rules.add_perm("sendhub.switch_school", rules.is_authenticated)
# The admin site is where the data manager sets the school up (superusers too).
rules.add_perm("sendhub.open_admin", rules.is_superuser | has_role(Role.DATA_MANAGER))
