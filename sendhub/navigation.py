"""The main navigation: each item names the rule that decides who sees it, so a link is
shown exactly to the people whose request to it would succeed."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str


NAV_ITEMS = [
    NavItem("Home", "home", "sendhub.view_home"),
    NavItem("My day", "staffing:my_day", "staffing.view_my_day"),
    NavItem("Absence and cover", "staffing:absences", "staffing.manage_allocations"),
    NavItem("SEND register", "students:register", "students.view_register"),
    NavItem("Coverage", "staffing:coverage", "staffing.view_coverage"),
    NavItem("Exams", "students:exam_arrangements", "students.view_exam_arrangements"),
    NavItem("My actions", "students:actions", "students.view_own_actions"),
    NavItem("Agencies", "students:agencies", "students.view_agencies"),
    NavItem("Resources", "cpd:resources", "cpd.view_bank"),
    NavItem("CPD", "cpd:calendar", "cpd.view_calendar"),
    NavItem("Training", "cpd:matrix", "cpd.view_matrix"),
    NavItem("Staff", "staffing:staff_list", "staffing.view_staff_directory"),
]


def navigation_for(request) -> list[dict]:
    user = request.user
    items = [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "active": request.path == reverse(item.url_name),
        }
        for item in NAV_ITEMS
        if user.has_perm(item.permission)
    ]
    if user.has_perm("sendhub.open_admin"):
        items.append({"label": "Admin", "url": reverse("admin:index"), "active": False})
    return items
