from django.views.generic import DetailView, ListView

from sendhub.access import RulePermissionMixin
from staffing.filters import StaffFilter
from staffing.selectors import staff_get, staff_list


class StaffListView(RulePermissionMixin, ListView):
    """The school's staff directory: search by name, filter by role."""

    permission_required = "staffing.view_staff_directory"
    template_name = "staffing/staff_list.html"
    paginate_by = 25

    def get_queryset(self):
        self.filterset = StaffFilter(
            self.request.GET, queryset=staff_list(actor=self.request.membership)
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        return context


class StaffDetailView(RulePermissionMixin, DetailView):
    permission_required = "staffing.view_staffmember"
    template_name = "staffing/staff_detail.html"
    context_object_name = "staff_member"

    def get_object(self, queryset=None):
        # Scoped first (another school's id is 404), then the object rule (403).
        return staff_get(actor=self.request.membership, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_view_timetable"] = self.request.user.has_perm(
            "staffing.view_timetable", self.object
        )
        return context
