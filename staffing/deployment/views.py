"""Pages of deployment: my day, a member of staff's timetable and the allocation form."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from sendhub.access import RulePermissionMixin
from sendhub.forms import add_service_errors
from staffing.deployment import services
from staffing.deployment.forms import AllocationForm
from staffing.deployment.selectors import (
    allocation_get,
    deployable_staff_get,
    my_day,
    staff_grid,
)
from staffing.models import Period, TeachingGroup
from staffing.selectors import staff_get
from students.models import Pupil, SenStatus


def _day_from(request) -> date:
    try:
        return date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return timezone.localdate()


class MyDayView(RulePermissionMixin, TemplateView):
    """Today's slots in period order, with the class, room and the pupils supported."""

    permission_required = "staffing.view_my_day"
    template_name = "staffing/my_day.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        on = _day_from(self.request)
        context.update(
            day=my_day(actor=self.request.membership, on=on),
            today=timezone.localdate(),
            previous=on - timedelta(days=3 if on.isoweekday() == 1 else 1),
            next=on + timedelta(days=3 if on.isoweekday() == 5 else 1),
        )
        return context


class StaffTimetableView(RulePermissionMixin, TemplateView):
    """A member of staff's whole cycle as a grid, with their workload against contract.
    The SENDCo and PSO allocate from it, one click on an empty slot."""

    permission_required = "staffing.view_timetable"
    template_name = "staffing/timetable.html"

    def get_permission_object(self):
        if not hasattr(self, "member"):
            self.member = staff_get(actor=self.request.membership, pk=self.kwargs["pk"])
        return self.member

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        on = _day_from(self.request)
        grid = staff_grid(staff=self.member, on=on)
        counts: dict[str, int] = {}
        for _week, days in grid:
            for _label, slots in days:
                for slot in slots:
                    for allocation in slot.allocations:
                        label = allocation.get_kind_display()
                        counts[label] = counts.get(label, 0) + 1
        total = sum(counts.values())
        contract = self.member.contracted_periods
        context.update(
            member=self.member,
            on=on,
            grid=grid,
            workload=sorted(counts.items(), key=lambda item: -item[1]),
            total=total,
            contract=contract,
            over_by=total - contract if contract is not None and total > contract else 0,
            under=contract is not None and total < contract,
            can_manage=self.request.user.has_perm("staffing.manage_allocations"),
        )
        return context


class AllocationCreateView(RulePermissionMixin, FormView):
    permission_required = "staffing.manage_allocations"
    template_name = "staffing/allocation_form.html"
    form_class = AllocationForm

    @cached_property
    def member(self):
        return deployable_staff_get(actor=self.request.membership, pk=self.kwargs["pk"])

    @cached_property
    def period(self):
        periods = Period.objects.filter(school_id=self.request.membership.school_id)
        return get_object_or_404(periods, pk=self.kwargs["period_pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        groups = TeachingGroup.objects.filter(
            school_id=self.period.school_id, lessons__period=self.period, is_active=True
        )
        register = Pupil.objects.filter(school_id=self.period.school_id, is_active=True).exclude(
            sen_status=SenStatus.NONE
        )
        kwargs.update(
            groups=groups,
            pupils=register,
            focus_pupils=register.filter(teaching_groups__in=groups).distinct(),
        )
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            member=self.member,
            period=self.period,
            title=f"Allocate {self.member.user.full_name}: {self.period}",
            submit_label="Allocate",
            cancel_url=reverse("staffing:timetable", args=[self.member.pk]),
        )
        return context

    def form_valid(self, form):
        try:
            placed = services.allocation_create(
                actor=self.request.membership,
                staff=self.member,
                period=self.period,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Allocated: {placed.allocation}.")
        for warning in placed.warnings:
            messages.warning(self.request, warning)
        return HttpResponseRedirect(reverse("staffing:timetable", args=[self.member.pk]))


class AllocationEndView(RulePermissionMixin, View):
    """End an allocation from today (one not yet begun is removed)."""

    permission_required = "staffing.manage_allocations"
    http_method_names = ["post"]

    def post(self, request, pk):
        allocation = allocation_get(actor=request.membership, pk=pk)
        services.allocation_end(
            actor=request.membership,
            allocation=allocation,
            last_day=timezone.localdate() - timedelta(days=1),
        )
        messages.success(request, "Allocation ended.")
        return HttpResponseRedirect(reverse("staffing:timetable", args=[allocation.staff_id]))
