"""Pages of the pupil record. Each loads its object through a selector scoped to the acting
staff member (another school's or an unlinked pupil answers 404) and checks a rule from
students/rules.py on it (403)."""

import uuid

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from sendhub.access import RulePermissionMixin
from sendhub.forms import add_service_errors
from sendhub.formviews import ServiceFormView as BaseServiceFormView
from sendhub.pdf import pdf_response
from staffing.models import Role
from students import forms as student_forms
from students.exports import RegisterResource
from students.filters import RegisterFilter
from students.history import pupil_history
from students.models import (
    YEAR_GROUPS,
    AccessArrangement,
    Arrangement,
    EhcpOutcome,
    PupilNeed,
    StaffPupilLink,
    SupportPlan,
    exam_year_end,
)
from students.selectors import (
    arrangements_for,
    ehcp_get,
    exam_candidates,
    health_record,
    medication_log,
    plan_get,
    plans_for_pupil,
    pupil_get,
    pupil_profile,
    register_list,
    restricted_reads,
    staff_for_linking,
    staff_links_for,
)
from students.services import arrangements as arrangement_services
from students.services import ehcp as ehcp_services
from students.services import health as health_services
from students.services import plans as plan_services
from students.services import register as register_services

# --- the register ---------------------------------------------------------------------


class RegisterView(RulePermissionMixin, ListView):
    """The SEND register: search, filter, sort, paginate, export."""

    permission_required = "students.view_register"
    template_name = "students/register.html"
    paginate_by = 50

    def get_queryset(self):
        self.filterset = RegisterFilter(
            self.request.GET,
            queryset=register_list(actor=self.request.membership, include_not_on_register=True),
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        sort_query = query.copy()
        sort_query.pop("sort", None)
        context.update(
            filter=self.filterset,
            querystring=query.urlencode(),
            sort_querystring=sort_query.urlencode(),
            current_sort=self.request.GET.get("sort", "name"),
            today=timezone.localdate(),
            can_export=self.request.user.has_perm("students.export_register"),
            # Teachers read passports only, so their rows open the passport.
            row_url_name=(
                "students:passport"
                if self.request.membership and self.request.membership.role == Role.TEACHER
                else "students:pupil"
            ),
        )
        return context


class RegisterExportView(RulePermissionMixin, View):
    """The filtered register as CSV or XLSX, with census codes."""

    permission_required = "students.export_register"
    FORMATS = {
        "csv": ("text/csv; charset=utf-8", "csv"),
        "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    }

    def get(self, request, file_format):
        if file_format not in self.FORMATS:
            raise PermissionDenied
        filterset = RegisterFilter(
            request.GET,
            queryset=register_list(actor=request.membership, include_not_on_register=True),
        )
        dataset = RegisterResource().export(queryset=filterset.qs)
        content_type, extension = self.FORMATS[file_format]
        body = dataset.export(extension)
        response = HttpResponse(body, content_type=content_type)
        name = f"send-register-{request.membership.school.slug}-{timezone.localdate():%Y-%m-%d}"
        response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
        return response


# --- the pupil profile ----------------------------------------------------------------


class PupilMixin(RulePermissionMixin):
    """Loads ``self.pupil`` (scoped: 404 if not visible) and checks the rule on it (403)."""

    permission_required = "students.view_pupil"
    section = "overview"

    def load_pupil(self):
        return pupil_get(actor=self.request.membership, pk=self.kwargs["pk"])

    def get_permission_object(self):
        if not hasattr(self, "pupil"):
            self.pupil = self.load_pupil()
        return self.pupil

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(pupil=self.pupil, section=self.section, tabs=self.tabs())
        return context

    def tabs(self):
        user, pupil = self.request.user, self.pupil
        entries = [
            ("overview", "Overview", "students:pupil", "students.view_pupil"),
            ("passport", "Passport", "students:passport", "students.view_passport"),
            ("plans", "Plans", "students:plans", "students.view_pupil"),
            ("ehcp", "EHC plan", "students:ehcp", "students.view_pupil"),
            ("arrangements", "Exam arrangements", "students:arrangements", "students.view_pupil"),
            ("health", "Health", "students:health", "students.view_restricted"),
            ("behaviour", "Behaviour", "students:behaviour", "students.view_restricted"),
            ("care", "Personal care", "students:care", "students.view_restricted"),
            ("liaison", "Liaison", "students:liaison", "students.view_restricted"),
            ("documents", "Documents", "students:documents", "students.view_restricted"),
            ("case_studies", "Case studies", "students:case_studies", "students.view_pupil"),
            ("history", "History", "students:history", "students.view_history"),
            ("access", "Access log", "students:access_log", "students.view_access_log"),
        ]
        return [
            {"key": key, "label": label, "url": reverse(name, args=[pupil.pk])}
            for key, label, name, perm in entries
            if user.has_perm(perm, pupil)
        ]

    def pupil_url(self, name="students:pupil"):
        return reverse(name, args=[self.pupil.pk])


class PupilView(PupilMixin, TemplateView):
    template_name = "students/pupil_overview.html"

    def load_pupil(self):
        return pupil_profile(actor=self.request.membership, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plans = list(self.pupil.plans.all())
        context["current_plan"] = next(
            (p for p in plans if p.status != SupportPlan.Status.CLOSED), None
        )
        return context


class PassportView(PupilMixin, TemplateView):
    permission_required = "students.view_passport"
    section = "passport"
    template_name = "students/passport.html"

    def load_pupil(self):
        return pupil_profile(actor=self.request.membership, pk=self.kwargs["pk"])


class PassportPdfView(PupilMixin, View):
    permission_required = "students.view_passport"

    def load_pupil(self):
        return pupil_profile(actor=self.request.membership, pk=self.kwargs["pk"])

    def get(self, request, pk):
        return pdf_response(
            "students/pdf/passport.html",
            {"pupil": self.pupil, "passport": getattr(self.pupil, "passport", None)},
            filename=f"passport-{slugify(self.pupil.full_name)}.pdf",
        )


class ServiceFormView(BaseServiceFormView):
    template_name = "students/form_page.html"


class PassportEditView(PupilMixin, ServiceFormView):
    permission_required = "students.change_passport"
    section = "passport"
    form_class = student_forms.PassportForm
    title = "Edit passport"
    success_message = "Passport saved."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = getattr(self.pupil, "passport", None)
        return kwargs

    def run_service(self, form):
        return register_services.passport_update(
            pupil=self.pupil, actor=self.request.membership, **form.cleaned_data
        )

    def get_success_url(self):
        return self.pupil_url("students:passport")


class RegisterStatusView(PupilMixin, ServiceFormView):
    permission_required = "students.manage_register"
    form_class = student_forms.RegisterStatusForm
    title = "SEN status"

    def get_initial(self):
        return {"status": self.pupil.sen_status}

    def run_service(self, form):
        return register_services.pupil_register_set(
            pupil=self.pupil, actor=self.request.membership, **form.cleaned_data
        )

    def get_success_url(self):
        messages.success(
            self.request, f"{self.pupil.full_name} is now {self.pupil.get_sen_status_display()}."
        )
        return self.pupil_url()


class NeedFormView(PupilMixin, ServiceFormView):
    permission_required = "students.manage_register"
    form_class = student_forms.NeedForm
    success_message = "Need saved."

    def dispatch(self, request, *args, **kwargs):
        self.title = "Change need" if "need_pk" in kwargs else "Add a need"
        return super().dispatch(request, *args, **kwargs)

    def get_need(self):
        if "need_pk" not in self.kwargs:
            return None
        return get_object_or_404(PupilNeed, pk=self.kwargs["need_pk"], pupil=self.pupil)

    def get_initial(self):
        need = self.get_need()
        if need is None:
            has_primary = self.pupil.needs.filter(rank=PupilNeed.PRIMARY).exists()
            return {"rank": PupilNeed.SECONDARY if has_primary else PupilNeed.PRIMARY}
        return {f: getattr(need, f) for f in ("code", "rank", "descriptor", "notes")}

    def run_service(self, form):
        return register_services.pupil_need_save(
            pupil=self.pupil,
            need=self.get_need(),
            actor=self.request.membership,
            **form.cleaned_data,
        )

    def get_success_url(self):
        return self.pupil_url()


class NeedDeleteView(PupilMixin, View):
    permission_required = "students.manage_register"
    http_method_names = ["post"]

    def post(self, request, pk, need_pk):
        need = get_object_or_404(PupilNeed, pk=need_pk, pupil=self.pupil)
        register_services.pupil_need_delete(need=need, actor=request.membership)
        messages.success(request, f"{need.code} removed.")
        return HttpResponseRedirect(self.pupil_url())


class StaffLinkView(PupilMixin, ServiceFormView):
    permission_required = "students.manage_register"
    form_class = student_forms.StaffLinkForm
    template_name = "students/staff_links.html"
    title = "Staff who work with this pupil"
    submit_label = "Link"
    success_message = "Linked."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["staff_queryset"] = staff_for_linking(actor=self.request.membership)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["links"] = staff_links_for(pupil=self.pupil)
        return context

    def run_service(self, form):
        return register_services.staff_pupil_link_add(
            pupil=self.pupil, actor=self.request.membership, **form.cleaned_data
        )

    def get_success_url(self):
        return self.pupil_url("students:staff_links")


class StaffLinkDeleteView(PupilMixin, View):
    permission_required = "students.manage_register"
    http_method_names = ["post"]

    def post(self, request, pk, link_pk):
        link = get_object_or_404(StaffPupilLink, pk=link_pk, pupil=self.pupil)
        register_services.staff_pupil_link_remove(link=link, actor=request.membership)
        messages.success(request, "Link removed.")
        return HttpResponseRedirect(self.pupil_url("students:staff_links"))


class HistoryView(PupilMixin, TemplateView):
    permission_required = "students.view_history"
    section = "history"
    template_name = "students/history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entries"] = pupil_history(self.pupil)
        return context


# --- SEN support plans ------------------------------------------------------------------


class PlansView(PupilMixin, TemplateView):
    section = "plans"
    template_name = "students/plans.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["plans"] = plans_for_pupil(pupil=self.pupil)
        return context


def targets_from(formset) -> list[plan_services.TargetInput]:
    """The targets kept on the form: blank extra rows and rows marked to delete are left out."""
    targets = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        targets.append(
            plan_services.TargetInput(**{k: v for k, v in data.items() if k != "DELETE"})
        )
    return targets


class PlanFormMixin:
    """The plan form with its targets formset."""

    template_name = "students/plan_form.html"

    def get_formset(self):
        initial = self.initial_targets()
        if self.request.method == "POST":
            return student_forms.TargetFormSet(self.request.POST, prefix="targets")
        return student_forms.TargetFormSet(initial=initial, prefix="targets")

    def initial_targets(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("formset", self.get_formset())
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        formset = self.get_formset()
        if not (form.is_valid() and formset.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        targets = targets_from(formset)
        if not targets:
            form.add_error(None, "A plan needs at least one target.")
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        try:
            plan = self.save_plan(form.cleaned_data, targets)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        messages.success(request, "Plan saved as a draft.")
        return HttpResponseRedirect(reverse("students:plan", args=[plan.pk]))


class PlanCreateView(PupilMixin, PlanFormMixin, FormView):
    permission_required = "students.draft_plan"
    section = "plans"
    form_class = student_forms.PlanForm

    def get_initial(self):
        today = timezone.localdate()
        return {"start_date": today, "review_date": today + timezone.timedelta(weeks=12)}

    def save_plan(self, data, targets):
        return plan_services.plan_create(
            pupil=self.pupil, actor=self.request.membership, targets=targets, **data
        )


class PlanMixin(PupilMixin):
    """Loads ``self.plan`` (scoped) and checks the rule on it."""

    def get_permission_object(self):
        if not hasattr(self, "plan"):
            self.plan = plan_get(actor=self.request.membership, pk=self.kwargs["pk"])
            self.pupil = self.plan.pupil
        return self.plan

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["plan"] = self.plan
        return context


class PlanView(PlanMixin, TemplateView):
    section = "plans"
    template_name = "students/plan_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, plan = self.request.user, self.plan
        context["actions"] = [
            action for action in PLAN_ACTIONS.values() if action.offered(user, plan)
        ]
        context["can_edit"] = plan.is_editable and user.has_perm("students.draft_plan", plan)
        context["can_review"] = plan.status == SupportPlan.Status.ACTIVE and user.has_perm(
            "students.review_plan", plan
        )
        context["can_start_next"] = plan.status == SupportPlan.Status.REVIEWED and user.has_perm(
            "students.review_plan", plan
        )
        return context


class PlanEditView(PlanMixin, PlanFormMixin, FormView):
    permission_required = "students.draft_plan"
    section = "plans"
    form_class = student_forms.PlanForm

    def get(self, request, *args, **kwargs):
        if not self.plan.is_editable:
            messages.error(request, "Only draft plans can be edited.")
            return HttpResponseRedirect(reverse("students:plan", args=[self.plan.pk]))
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        plan = self.plan
        return {
            "start_date": plan.start_date,
            "review_date": plan.review_date,
            "assessment": plan.assessment,
        }

    def initial_targets(self):
        return [
            {field: getattr(t, field) for field in ["id", *plan_services.TARGET_FIELDS]}
            for t in self.plan.targets.all()
        ]

    def save_plan(self, data, targets):
        return plan_services.plan_update(
            plan=self.plan, actor=self.request.membership, targets=targets, **data
        )


class PlanAction:
    def __init__(self, key, label, permission, statuses, service, message, style="primary"):
        self.key, self.label, self.permission = key, label, permission
        self.statuses, self.service, self.message, self.style = statuses, service, message, style

    def offered(self, user, plan) -> bool:
        return plan.status in self.statuses and user.has_perm(self.permission, plan)


S = SupportPlan.Status
PLAN_ACTIONS = {
    action.key: action
    for action in [
        PlanAction(
            "submit",
            "Submit for approval",
            "students.draft_plan",
            [S.DRAFT],
            plan_services.plan_submit,
            "Sent to the SENDCo for approval.",
        ),
        PlanAction(
            "approve",
            "Approve: make active",
            "students.approve_plan",
            [S.DRAFT, S.SUBMITTED],
            plan_services.plan_approve,
            "Approved: the plan is active.",
        ),
        PlanAction(
            "return",
            "Return to draft",
            "students.approve_plan",
            [S.SUBMITTED],
            plan_services.plan_return_to_draft,
            "Returned to draft.",
            "secondary",
        ),
        PlanAction(
            "close",
            "Close without a next cycle",
            "students.review_plan",
            [S.ACTIVE, S.REVIEWED],
            plan_services.plan_close,
            "Plan closed.",
            "secondary",
        ),
        PlanAction(
            "delete",
            "Delete draft",
            "students.delete_plan",
            [S.DRAFT],
            plan_services.plan_delete_draft,
            "Draft deleted.",
            "danger",
        ),
    ]
}


class PlanActionView(PlanMixin, View):
    """One step of the plan's workflow (POST only), each with its own rule."""

    http_method_names = ["post"]

    def get_permission_required(self):
        action = PLAN_ACTIONS.get(self.kwargs["action"])
        if action is None:
            raise PermissionDenied
        return [action.permission]

    def post(self, request, pk, action):
        action = PLAN_ACTIONS[action]
        try:
            result = action.service(plan=self.plan, actor=request.membership)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return HttpResponseRedirect(reverse("students:plan", args=[pk]))
        messages.success(request, action.message)
        if result is None:
            return HttpResponseRedirect(self.pupil_url("students:plans"))
        return HttpResponseRedirect(reverse("students:plan", args=[pk]))


class PlanReviewView(PlanMixin, ServiceFormView):
    permission_required = "students.review_plan"
    section = "plans"
    form_class = student_forms.ReviewForm
    template_name = "students/plan_review.html"
    success_message = "Review recorded."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["targets"] = self.plan.targets.all()
        return kwargs

    def run_service(self, form):
        data = form.cleaned_data
        outcomes = [
            plan_services.OutcomeInput(
                target_id=target.pk,
                outcome=data[f"outcome_{target.pk}"],
                comment=data[f"comment_{target.pk}"],
            )
            for target in form.targets
        ]
        return plan_services.plan_review_record(
            plan=self.plan,
            actor=self.request.membership,
            outcomes=outcomes,
            reviewed_on=data["reviewed_on"],
            pupil_voice=data["pupil_voice"],
            parent_voice=data["parent_voice"],
            next_steps=data["next_steps"],
        )

    def get_success_url(self):
        return reverse("students:plan", args=[self.plan.pk])


class PlanNextCycleView(PlanMixin, ServiceFormView):
    permission_required = "students.review_plan"
    section = "plans"
    form_class = student_forms.NextCycleForm
    title = "Start the next cycle"
    submit_label = "Start next cycle"

    def get_initial(self):
        today = timezone.localdate()
        return {"start_date": today, "review_date": today + timezone.timedelta(weeks=12)}

    def run_service(self, form):
        return plan_services.plan_start_next_cycle(
            plan=self.plan, actor=self.request.membership, **form.cleaned_data
        )

    def get_success_url(self):
        messages.success(
            self.request, "Next cycle drafted; targets not yet achieved were carried forward."
        )
        return reverse("students:plan", args=[self.result.pk])


class PlanPdfView(PlanMixin, View):
    def get(self, request, pk):
        return pdf_response(
            "students/pdf/plan.html",
            {"plan": self.plan, "pupil": self.pupil},
            filename=f"plan-{slugify(self.pupil.full_name)}-cycle-{self.plan.cycle}.pdf",
        )


# --- EHC plans --------------------------------------------------------------------------


class EhcpView(PupilMixin, TemplateView):
    section = "ehcp"
    template_name = "students/ehcp.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["ehcp"] = ehcp_get(pupil=self.pupil)
        context["can_manage"] = self.request.user.has_perm("students.manage_ehcp", self.pupil)
        return context


class EhcpEditView(PupilMixin, FormView):
    permission_required = "students.manage_ehcp"
    section = "ehcp"
    form_class = student_forms.EhcpForm
    template_name = "students/ehcp_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = getattr(self.pupil, "ehcp", None)
        return kwargs

    def get_formset(self):
        if self.request.method == "POST":
            return student_forms.EhcpOutcomeFormSet(self.request.POST, prefix="outcomes")
        ehcp = getattr(self.pupil, "ehcp", None)
        initial = (
            [
                {"id": o.pk, "area": o.area, "description": o.description}
                for o in ehcp.outcomes.all()
            ]
            if ehcp
            else []
        )
        return student_forms.EhcpOutcomeFormSet(initial=initial, prefix="outcomes")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("formset", self.get_formset())
        return context

    def post(self, request, *args, **kwargs):
        form, formset = self.get_form(), self.get_formset()
        if form.is_valid() and formset.is_valid():
            outcomes = [
                ehcp_services.EhcpOutcomeInput(
                    id=f.cleaned_data.get("id"),
                    area=f.cleaned_data["area"],
                    description=f.cleaned_data["description"],
                )
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            try:
                ehcp_services.ehcp_save(
                    pupil=self.pupil,
                    actor=request.membership,
                    outcomes=outcomes,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "EHC plan saved.")
                return HttpResponseRedirect(self.pupil_url("students:ehcp"))
        return self.render_to_response(self.get_context_data(form=form, formset=formset))


class EhcpProgressView(PupilMixin, ServiceFormView):
    permission_required = "students.manage_ehcp"
    section = "ehcp"
    form_class = student_forms.ProgressForm
    title = "Record progress towards an outcome"
    success_message = "Progress recorded."

    def get_outcome(self):
        return get_object_or_404(EhcpOutcome, pk=self.kwargs["outcome_pk"], ehcp__pupil=self.pupil)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["intro"] = self.get_outcome().description
        return context

    def get_initial(self):
        return {"recorded_on": timezone.localdate()}

    def run_service(self, form):
        return ehcp_services.ehcp_progress_record(
            outcome=self.get_outcome(), actor=self.request.membership, **form.cleaned_data
        )

    def get_success_url(self):
        return self.pupil_url("students:ehcp")


class EhcpCeaseView(PupilMixin, ServiceFormView):
    permission_required = "students.manage_ehcp"
    section = "ehcp"
    form_class = student_forms.EhcpCeaseForm
    title = "Record that the EHC plan has ceased"
    submit_label = "Record"
    success_message = "The EHC plan is recorded as ceased and the SEN status updated."

    def run_service(self, form):
        ehcp = getattr(self.pupil, "ehcp", None)
        if ehcp is None:
            raise ValidationError("There is no EHC plan to cease.")
        return ehcp_services.ehcp_cease(
            ehcp=ehcp, actor=self.request.membership, **form.cleaned_data
        )

    def get_success_url(self):
        return self.pupil_url("students:ehcp")


class EhcpReviewView(PupilMixin, ServiceFormView):
    permission_required = "students.manage_ehcp"
    section = "ehcp"
    form_class = student_forms.EhcpReviewForm
    title = "Record the annual review meeting"
    success_message = "Annual review recorded; the next one is due in 12 months."

    def run_service(self, form):
        ehcp = getattr(self.pupil, "ehcp", None)
        if ehcp is None:
            raise ValidationError("Record the EHC plan first.")
        return ehcp_services.ehcp_review_record(
            ehcp=ehcp, actor=self.request.membership, **form.cleaned_data
        )

    def get_success_url(self):
        return self.pupil_url("students:ehcp")


# --- exam access arrangements ----------------------------------------------------------


class ArrangementsView(PupilMixin, ServiceFormView):
    """A pupil's access arrangements; the SENDCo and PSO add them on the same page."""

    section = "arrangements"
    form_class = student_forms.AccessArrangementForm
    template_name = "students/arrangements.html"
    title = "Add an access arrangement"
    submit_label = "Add"
    success_message = "Access arrangement recorded."

    def get_initial(self):
        today = timezone.localdate()
        return {"evidence_date": today, "review_date": exam_year_end(today)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            arrangements=arrangements_for(pupil=self.pupil),
            can_manage=user.has_perm("students.manage_arrangements", self.pupil),
            can_approve=user.has_perm("students.approve_arrangement", self.pupil),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("students.manage_arrangements", self.pupil):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def run_service(self, form):
        return arrangement_services.access_arrangement_save(
            pupil=self.pupil, actor=self.request.membership, **form.cleaned_data
        )

    def get_success_url(self):
        return self.pupil_url("students:arrangements")


class ArrangementMixin(PupilMixin):
    def get_arrangement(self):
        return get_object_or_404(
            self.pupil.access_arrangements.all(), pk=self.kwargs["arrangement_pk"]
        )


class ArrangementEditView(ArrangementMixin, ServiceFormView):
    permission_required = "students.manage_arrangements"
    section = "arrangements"
    form_class = student_forms.AccessArrangementForm
    title = "Change access arrangement"
    success_message = "Access arrangement saved."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_arrangement()
        return kwargs

    def run_service(self, form):
        return arrangement_services.access_arrangement_save(
            pupil=self.pupil,
            actor=self.request.membership,
            instance=self.get_arrangement(),
            **form.cleaned_data,
        )

    def get_success_url(self):
        return self.pupil_url("students:arrangements")


class ArrangementActionView(ArrangementMixin, View):
    """Approve (the SENDCo) or remove (the SENDCo or PSO) an arrangement."""

    http_method_names = ["post"]
    ACTIONS = {
        "approve": ("students.approve_arrangement", "Approved."),
        "delete": ("students.manage_arrangements", "Access arrangement removed."),
    }

    def get_permission_required(self):
        if self.kwargs["action"] not in self.ACTIONS:
            raise PermissionDenied
        return [self.ACTIONS[self.kwargs["action"]][0]]

    def post(self, request, pk, arrangement_pk, action):
        arrangement = self.get_arrangement()
        if action == "approve":
            arrangement_services.access_arrangement_approve(
                arrangement=arrangement, actor=request.membership
            )
        else:
            arrangement_services.access_arrangement_delete(
                arrangement=arrangement, actor=request.membership
            )
        messages.success(request, self.ACTIONS[action][1])
        return HttpResponseRedirect(self.pupil_url("students:arrangements"))


class ArrangementFilter(django_filters.FilterSet):
    arrangement = django_filters.ChoiceFilter(
        choices=Arrangement.choices, empty_label="Every arrangement"
    )
    year_group = django_filters.ChoiceFilter(
        field_name="pupil__year_group",
        choices=[(str(v), label) for v, label in YEAR_GROUPS],
        empty_label="Any year",
    )
    review_due = django_filters.BooleanFilter(method="by_review_due", label="Review due")

    class Meta:
        model = AccessArrangement
        fields = ["arrangement", "year_group", "review_due"]

    def by_review_due(self, queryset, name, value):
        end = exam_year_end(timezone.localdate())
        return (
            queryset.filter(review_date__lte=end)
            if value
            else queryset.exclude(review_date__lte=end)
        )


class ExamArrangementsView(RulePermissionMixin, ListView):
    """The exams officer's list: candidates by arrangement, exportable for an exam series."""

    permission_required = "students.view_exam_arrangements"
    template_name = "students/exam_arrangements.html"
    paginate_by = 100

    def get_queryset(self):
        self.filterset = ArrangementFilter(
            self.request.GET, queryset=exam_candidates(actor=self.request.membership)
        )
        return self.filterset.qs

    def get(self, request, *args, **kwargs):
        file_format = request.GET.get("format")
        if file_format in ("csv", "xlsx"):
            return self.export(file_format)
        return super().get(request, *args, **kwargs)

    def export(self, file_format):
        import tablib

        series = (self.request.GET.get("series") or "exam series").strip()[:60]
        dataset = tablib.Dataset(
            headers=[
                "Arrangement",
                "Surname",
                "Forename",
                "UPN",
                "Year",
                "Tutor group",
                "Approved",
                "Review due",
            ],
            title=series[:31],
        )
        for item in self.get_queryset():
            pupil = item.pupil
            dataset.append(
                [
                    item.get_arrangement_display(),
                    _safe(pupil.last_name),
                    _safe(pupil.first_name),
                    pupil.upn,
                    pupil.get_year_group_display(),
                    _safe(pupil.tutor_group),
                    item.approved_on.isoformat() if item.approved_on else "not yet",
                    item.review_date.isoformat(),
                ]
            )
        content_type, extension = RegisterExportView.FORMATS[file_format]
        response = HttpResponse(dataset.export(extension), content_type=content_type)
        name = slugify(f"access-arrangements-{series}") or "access-arrangements"
        response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter=self.filterset,
            querystring=query.urlencode(),
            exam_year_end=exam_year_end(timezone.localdate()),
        )
        return context


def _safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] and value[0] in "=+-@\t\r" else value


# --- health and medication (restricted: reads are logged) ---------------------------------


class RestrictedMixin(PupilMixin):
    """A restricted section: only the SENDCo, PSO and staff working with the pupil open it,
    and every opening is written to the pupil's access log."""

    permission_required = "students.view_restricted"
    restricted_section = ""

    def get(self, request, *args, **kwargs):
        self.record_read()
        return super().get(request, *args, **kwargs)

    def record_read(self):
        health_services.restricted_read_record(
            actor=self.request.membership, pupil=self.pupil, section=self.restricted_section
        )

    def render_rejected(self, **context):
        """Show the section again with a rejected entry as typed and its errors (400);
        nothing was saved. The page lists the section, so it is a read like any other."""
        self.record_read()
        response = self.render_to_response(self.get_context_data(**context))
        response.status_code = 400
        return response


class HealthView(RestrictedMixin, TemplateView):
    section = "health"
    restricted_section = "health"
    template_name = "students/health.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan, medications = health_record(pupil=self.pupil)
        user = self.request.user
        context.update(
            plan=plan,
            medications=medications,
            can_manage=user.has_perm("students.manage_health", self.pupil),
            dose_form=student_forms.DoseForm(
                staff=staff_for_linking(actor=self.request.membership),
                initial={
                    "given_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                    "client_id": uuid.uuid4(),
                },
            ),
        )
        return context


class HealthcarePlanEditView(PupilMixin, ServiceFormView):
    permission_required = "students.manage_health"
    section = "health"
    form_class = student_forms.HealthcarePlanForm
    title = "Healthcare plan"
    success_message = "Healthcare plan saved."

    def get_form_kwargs(self):
        from cpd.selectors import training_types

        kwargs = super().get_form_kwargs()
        kwargs["instance"] = getattr(self.pupil, "healthcare_plan", None)
        kwargs["training_types"] = training_types(actor=self.request.membership).filter(
            is_active=True
        )
        return kwargs

    def run_service(self, form):
        data = dict(form.cleaned_data)
        return health_services.healthcare_plan_save(
            pupil=self.pupil,
            actor=self.request.membership,
            required_trainings=list(data.pop("required_trainings")),
            **data,
        )

    def get_success_url(self):
        return self.pupil_url("students:health")


class MedicationEditView(PupilMixin, ServiceFormView):
    permission_required = "students.manage_health"
    section = "health"
    form_class = student_forms.MedicationForm
    success_message = "Medication saved."

    def dispatch(self, request, *args, **kwargs):
        self.title = "Change medication" if "medication_pk" in kwargs else "Add a medication"
        return super().dispatch(request, *args, **kwargs)

    def get_medication(self):
        if "medication_pk" not in self.kwargs:
            return None
        return get_object_or_404(self.pupil.medications.all(), pk=self.kwargs["medication_pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_medication()
        return kwargs

    def run_service(self, form):
        return health_services.medication_save(
            pupil=self.pupil,
            actor=self.request.membership,
            medication=self.get_medication(),
            **form.cleaned_data,
        )

    def get_success_url(self):
        return self.pupil_url("students:health")


class DoseRecordView(PupilMixin, View):
    """Record a dose from the health page (one tap on a tablet)."""

    permission_required = "students.record_dose"
    http_method_names = ["post"]

    def post(self, request, pk, medication_pk):
        medication = get_object_or_404(self.pupil.medications.all(), pk=medication_pk)
        form = student_forms.DoseForm(
            request.POST, staff=staff_for_linking(actor=request.membership)
        )
        if not form.is_valid():
            messages.error(
                request,
                "The dose was not recorded: "
                + " ".join(
                    f"{form.fields[f].label or f}: {' '.join(e)}"
                    if f in form.fields
                    else " ".join(e)
                    for f, e in form.errors.items()
                ),
            )
            return HttpResponseRedirect(self.pupil_url("students:health"))
        try:
            entry = health_services.medication_dose_record(
                medication=medication, actor=request.membership, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, "The dose was not recorded. " + " ".join(error.messages))
        else:
            messages.success(
                request,
                f"{medication.name}: {entry.get_outcome_display().lower()} at "
                f"{timezone.localtime(entry.given_at):%H:%M}.",
            )
        return HttpResponseRedirect(self.pupil_url("students:health"))


class MedicationLogView(RestrictedMixin, TemplateView):
    section = "health"
    restricted_section = "medication log"
    template_name = "students/medication_log.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        medication, doses = medication_log(pupil=self.pupil, pk=self.kwargs["medication_pk"])
        context.update(medication=medication, doses=doses[:500])
        return context


class AccessLogView(PupilMixin, ListView):
    """Who opened the restricted sections of this pupil's record (for the SENDCo)."""

    permission_required = "students.view_access_log"
    section = "access"
    template_name = "students/access_log.html"
    paginate_by = 50

    def get_queryset(self):
        return restricted_reads(pupil=self.pupil)


class DocumentsView(RestrictedMixin, ServiceFormView):
    """The pupil's documents (restricted); the SENDCo and PSO upload them."""

    section = "documents"
    restricted_section = "documents"
    form_class = student_forms.DocumentForm
    template_name = "students/documents.html"
    title = "Upload a document"
    submit_label = "Upload"
    success_message = "Document uploaded."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            documents=self.pupil.documents.select_related("uploaded_by__user"),
            can_manage=self.request.user.has_perm("students.manage_documents", self.pupil),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("students.manage_documents", self.pupil):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def run_service(self, form):
        return health_services.pupil_document_add(
            pupil=self.pupil, actor=self.request.membership, **form.cleaned_data
        )

    def get_success_url(self):
        return self.pupil_url("students:documents")


class DocumentDownloadView(PupilMixin, View):
    """Documents are private: served only here, and each download is logged."""

    permission_required = "students.view_restricted"

    def get(self, request, pk, document_pk):
        document = get_object_or_404(self.pupil.documents.all(), pk=document_pk)
        health_services.restricted_read_record(
            actor=request.membership, pupil=self.pupil, section=f"document: {document.title}"
        )
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class DocumentDeleteView(PupilMixin, View):
    permission_required = "students.manage_documents"
    http_method_names = ["post"]

    def post(self, request, pk, document_pk):
        document = get_object_or_404(self.pupil.documents.all(), pk=document_pk)
        health_services.pupil_document_delete(document=document, actor=request.membership)
        messages.success(request, "Document removed.")
        return HttpResponseRedirect(self.pupil_url("students:documents"))
