"""Pages of deployment: my day, a member of staff's timetable and the allocation form."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from sendhub.access import RulePermissionMixin
from sendhub.forms import add_service_errors
from staffing.deployment import cover, services
from staffing.deployment.forms import (
    AbsenceForm,
    AllocationForm,
    LessonSupportForm,
    PupilSupportForm,
)
from staffing.deployment.selectors import (
    absence_get,
    allocation_get,
    cover_get,
    deployable_staff,
    deployable_staff_get,
    faculty_grid,
    my_day,
    staff_grid,
    teaching_day,
    workloads,
)
from staffing.models import Allocation, Faculty, Lesson, Period, TeachingGroup
from staffing.selectors import staff_get
from students.models import Pupil, SenStatus
from students.selectors import pupil_get


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
            taught=teaching_day(actor=self.request.membership, on=on),
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


# --- absence and cover -------------------------------------------------------------------


class AbsencesView(RulePermissionMixin, FormView):
    """Absences today and to come, and the form to record one."""

    permission_required = "staffing.manage_allocations"
    template_name = "staffing/absences.html"
    form_class = AbsenceForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["staff"] = deployable_staff(actor=self.request.membership)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["absences"] = cover.absences_upcoming(
            actor=self.request.membership, today=timezone.localdate()
        )
        return context

    def form_valid(self, form):
        try:
            absence = cover.absence_record(actor=self.request.membership, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Absence recorded: now cover its slots.")
        return HttpResponseRedirect(reverse("staffing:absence", args=[absence.pk]))


class AbsenceView(RulePermissionMixin, TemplateView):
    """The slots an absence leaves without their adult, the pupils affected, and who could
    cover each (ranked), assigned in one click."""

    permission_required = "staffing.manage_allocations"
    template_name = "staffing/absence.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        absence = absence_get(actor=self.request.membership, pk=self.kwargs["pk"])
        plan = cover.CoverPlan.build(absence=absence)
        pupils = {
            p.pk: p
            for p in Pupil.objects.filter(
                pk__in={pk for s in plan.slots for pk in s.pupil_ids}
            ).exclude(sen_status=SenStatus.NONE)
        }
        for slot in plan.slots:
            slot.register_pupils = [pupils[pk] for pk in slot.pupil_ids if pk in pupils]
        context.update(
            absence=absence,
            plan=plan,
            uncovered=sum(1 for s in plan.slots if s.cover is None),
        )
        return context


class CoverAssignView(RulePermissionMixin, View):
    permission_required = "staffing.manage_allocations"
    http_method_names = ["post"]

    def post(self, request, pk):
        actor = request.membership
        absence = absence_get(actor=actor, pk=pk)
        back = HttpResponseRedirect(reverse("staffing:absence", args=[absence.pk]))
        try:
            allocation = allocation_get(actor=actor, pk=int(request.POST.get("allocation", "")))
            covered_by = deployable_staff_get(actor=actor, pk=int(request.POST.get("staff", "")))
            on = date.fromisoformat(request.POST.get("on", ""))
        except ValueError:
            messages.error(request, "Choose a slot and a person.")
            return back
        try:
            assigned = cover.cover_assign(
                actor=actor, absence=absence, allocation=allocation, on=on, covered_by=covered_by
            )
        except ValidationError as error:
            messages.error(request, "Not assigned: " + " ".join(error.messages))
        else:
            messages.success(
                request,
                f"{assigned.covered_by.user.full_name} covers {allocation.period.name} on "
                f"{on:%A %d %B}.",
            )
        return back


class CoverRemoveView(RulePermissionMixin, View):
    permission_required = "staffing.manage_allocations"
    http_method_names = ["post"]

    def post(self, request, pk):
        assigned = cover_get(actor=request.membership, pk=pk)
        cover.cover_remove(actor=request.membership, cover=assigned)
        messages.success(request, "Cover removed.")
        return HttpResponseRedirect(reverse("staffing:absence", args=[assigned.absence_id]))


class WorkloadView(RulePermissionMixin, TemplateView):
    """Every deployed member of staff: periods allocated by kind against their contract and
    the target split for their role."""

    permission_required = "staffing.manage_allocations"
    template_name = "staffing/workload.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        on = _day_from(self.request)
        context.update(on=on, rows=workloads(actor=self.request.membership, on=on))
        return context


class FacultyGridView(RulePermissionMixin, TemplateView):
    """A faculty's lessons across the cycle with who supports each: where the faculty's
    support goes, and which lessons have none."""

    permission_required = "staffing.view_coverage"
    template_name = "staffing/faculty_grid.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actor = self.request.membership
        faculties = list(Faculty.objects.filter(school_id=actor.school_id).order_by("name"))
        chosen = None
        if "pk" in self.kwargs:
            chosen = next((f for f in faculties if f.pk == self.kwargs["pk"]), None)
            if chosen is None:
                raise Http404
        on = _day_from(self.request)
        context.update(
            faculties=faculties,
            faculty=chosen,
            on=on,
            grid=faculty_grid(actor=actor, faculty=chosen, on=on) if chosen else [],
            can_manage=self.request.user.has_perm("staffing.manage_allocations"),
        )
        return context


class LessonSupportView(RulePermissionMixin, FormView):
    """Put someone in a lesson from the faculty grid: in-class support of that class in
    that period (the same rules as allocating from a person's timetable)."""

    permission_required = "staffing.manage_allocations"
    template_name = "staffing/allocation_form.html"
    form_class = LessonSupportForm

    @cached_property
    def lesson(self):
        lessons = Lesson.objects.filter(school_id=self.request.membership.school_id)
        return get_object_or_404(
            lessons.select_related("group__faculty", "period"), pk=self.kwargs["pk"]
        )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            staff=deployable_staff(actor=self.request.membership),
            pupils=self.lesson.group.pupils.exclude(sen_status=SenStatus.NONE),
        )
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lesson = self.lesson
        back = reverse("staffing:faculty_grid", args=[lesson.group.faculty_id])
        context.update(
            member=None,
            period=lesson.period,
            title=f"Support {lesson.group.name}: {lesson.period}",
            submit_label="Allocate",
            cancel_url=back,
        )
        return context

    def form_valid(self, form):
        lesson = self.lesson
        try:
            placed = services.allocation_create(
                actor=self.request.membership,
                period=lesson.period,
                kind=Allocation.Kind.IN_CLASS,
                group=lesson.group,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Allocated: {placed.allocation}.")
        for warning in placed.warnings:
            messages.warning(self.request, warning)
        return HttpResponseRedirect(
            reverse("staffing:faculty_grid", args=[lesson.group.faculty_id])
        )


class PupilSupportView(RulePermissionMixin, FormView):
    """Give a pupil a 1:1 in one period from their week (the same rules as allocating
    from a person's timetable: clashes, a second 1:1, the care training)."""

    permission_required = "staffing.manage_allocations"
    template_name = "staffing/allocation_form.html"
    form_class = PupilSupportForm

    @cached_property
    def pupil(self):
        return pupil_get(actor=self.request.membership, pk=self.kwargs["pk"])

    @cached_property
    def period(self):
        periods = Period.objects.filter(school_id=self.request.membership.school_id)
        return get_object_or_404(periods, pk=self.kwargs["period_pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["staff"] = deployable_staff(actor=self.request.membership)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            member=None,
            period=self.period,
            title=f"1:1 for {self.pupil.full_name}: {self.period}",
            submit_label="Allocate",
            cancel_url=reverse("staffing:pupil_week", args=[self.pupil.pk]),
        )
        return context

    def form_valid(self, form):
        try:
            placed = services.allocation_create(
                actor=self.request.membership,
                period=self.period,
                kind=Allocation.Kind.ONE_TO_ONE,
                pupil=self.pupil,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Allocated: {placed.allocation}.")
        for warning in placed.warnings:
            messages.warning(self.request, warning)
        return HttpResponseRedirect(reverse("staffing:pupil_week", args=[self.pupil.pk]))
