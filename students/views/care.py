"""Personal care and moving & handling (restricted: reads are logged)."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from sendhub.forms import add_service_errors
from students import forms as student_forms
from students.selectors import care_record, staff_for_linking
from students.services import care as care_services
from students.views.record import PupilMixin, RestrictedMixin, ServiceFormView


def care_log_form(*, plan, actor, data=None):
    needs = [(code, label) for code, label, _how in plan.needs()] if plan else []
    return student_forms.CareLogForm(
        data,
        needs=needs,
        staff=staff_for_linking(actor=actor),
        initial={
            "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "client_id": uuid.uuid4(),
            "need": needs[0][0] if len(needs) == 1 else None,
        },
    )


class CareView(RestrictedMixin, TemplateView):
    section = "care"
    restricted_section = "personal care"
    template_name = "students/care.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan, log = care_record(pupil=self.pupil)
        user = self.request.user
        for entry in log:
            entry.pupil = self.pupil  # the rule reads the pupil (and its link cache)
            entry.can_withdraw = user.has_perm("students.withdraw_care", entry)
        context.update(
            plan=plan,
            log=log,
            can_manage=self.request.user.has_perm("students.manage_care", self.pupil),
            can_record=self.request.user.has_perm("students.record_care", self.pupil),
        )
        context.setdefault("log_form", care_log_form(plan=plan, actor=self.request.membership))
        return context


class CarePlanEditView(PupilMixin, ServiceFormView):
    permission_required = "students.manage_care"
    section = "care"
    form_class = student_forms.CarePlanForm
    title = "Personal care and moving & handling plan"
    success_message = "Care plan saved."

    def get_form_kwargs(self):
        from cpd.selectors import training_types

        kwargs = super().get_form_kwargs()
        kwargs["instance"] = getattr(self.pupil, "care_plan", None)
        kwargs["training_types"] = training_types(actor=self.request.membership).filter(
            is_active=True
        )
        return kwargs

    def run_service(self, form):
        data = dict(form.cleaned_data)
        return care_services.care_plan_save(
            pupil=self.pupil,
            actor=self.request.membership,
            required_trainings=list(data.pop("required_trainings")),
            **data,
        )

    def get_success_url(self):
        return self.pupil_url("students:care")


class CareRecordView(CareView):
    """Log care from the care page (a few taps on a tablet). Errors show the page again
    with the entry as typed, so nothing is lost and nothing is saved."""

    permission_required = "students.record_care"
    http_method_names = ["post"]

    def post(self, request, pk):
        plan, _log = care_record(pupil=self.pupil, log_size=0)
        form = care_log_form(plan=plan, actor=request.membership, data=request.POST)
        if form.is_valid():
            try:
                entry = care_services.care_log_record(
                    pupil=self.pupil, actor=request.membership, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"{entry.get_need_display()} logged at {timezone.localtime(entry.at):%H:%M}.",
                )
                return HttpResponseRedirect(self.pupil_url("students:care"))
        return self.render_rejected(log_form=form)


class CareWithdrawView(PupilMixin, View):
    """Withdraw a care entry logged in error, with a reason (kept in the history)."""

    permission_required = "students.withdraw_care"
    http_method_names = ["post"]

    def get_permission_object(self):
        pupil = super().get_permission_object()
        if not hasattr(self, "entry"):
            self.entry = get_object_or_404(pupil.care_log.all(), pk=self.kwargs["entry_pk"])
            self.entry.pupil = pupil
        return self.entry

    def post(self, request, pk, entry_pk):
        try:
            care_services.care_log_withdraw(
                entry=self.entry,
                actor=request.membership,
                reason=request.POST.get("reason", "")[:200],
            )
        except ValidationError as error:
            messages.error(request, "Not withdrawn: " + " ".join(error.messages))
        else:
            messages.success(request, "Care entry withdrawn; it stays in the history.")
        return HttpResponseRedirect(self.pupil_url("students:care"))
