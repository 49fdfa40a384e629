"""The liaison log (restricted: reads are logged), follow-up actions on their owner's
list, and the school's directory of agencies."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from cpd.selectors import staff_of_school
from sendhub.access import RulePermissionMixin
from sendhub.forms import add_service_errors
from students import forms as student_forms
from students.models import Agency
from students.selectors import (
    action_get,
    agencies,
    agency_get,
    liaison_log,
    open_actions,
    pupil_contacts,
)
from students.services import liaison as liaison_services
from students.views.record import RestrictedMixin, ServiceFormView


class LiaisonView(RestrictedMixin, TemplateView):
    """The pupil's contacts and liaison log; staff who may log liaison add an entry with
    its follow-up actions. A rejected entry comes back as typed, with nothing saved."""

    section = "liaison"
    restricted_section = "liaison"
    template_name = "students/liaison.html"

    def forms(self, data=None):
        actor = self.request.membership
        form = student_forms.LiaisonEntryForm(
            data,
            contacts=pupil_contacts(pupil=self.pupil),
            agencies=agencies(actor=actor, active_only=True),
        )
        formset = student_forms.LiaisonActionFormSet(
            data, prefix="actions", form_kwargs={"owners": staff_of_school(actor=actor)}
        )
        return form, formset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(liaison_log(pupil=self.pupil), 20).get_page(self.request.GET.get("page"))
        user = self.request.user
        for entry in page.object_list:
            entry.pupil = self.pupil  # the rule reads the pupil (and its link cache)
            entry.can_correct = user.has_perm("students.correct_liaison", entry)
        can_record = user.has_perm("students.record_liaison", self.pupil)
        if can_record and "form" not in kwargs:
            context["form"], context["formset"] = self.forms()
        context.update(
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            entries=page.object_list,
            contacts=pupil_contacts(pupil=self.pupil),
            can_record=can_record,
        )
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("students.record_liaison", self.pupil):
            raise PermissionDenied
        form, formset = self.forms(request.POST)
        if form.is_valid() and formset.is_valid():
            actions = [
                liaison_services.ActionInput(**f.cleaned_data)
                for f in formset.forms
                if f.cleaned_data
            ]
            try:
                liaison_services.liaison_entry_record(
                    pupil=self.pupil, actor=request.membership, actions=actions, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Liaison logged.")
                return HttpResponseRedirect(reverse("students:liaison", args=[self.pupil.pk]))
        return self.render_rejected(form=form, formset=formset)


class LiaisonEditView(RestrictedMixin, ServiceFormView):
    """Correct a liaison entry (whoever logged it, or the SENDCo or PSO)."""

    permission_required = "students.correct_liaison"
    section = "liaison"
    restricted_section = "liaison entry"
    form_class = student_forms.LiaisonEntryForm
    title = "Correct the liaison entry"
    success_message = "Liaison entry corrected."

    def get_permission_object(self):
        pupil = super().get_permission_object()
        if not hasattr(self, "entry"):
            self.entry = get_object_or_404(liaison_log(pupil=pupil), pk=self.kwargs["entry_pk"])
            self.entry.pupil = pupil
        return self.entry

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            contacts=pupil_contacts(pupil=self.pupil),
            agencies=agencies(actor=self.request.membership),
        )
        return kwargs

    def get_initial(self):
        e = self.entry
        return {
            "on": e.on,
            "method": e.method,
            "contact": e.contact,
            "agency": e.agency,
            "with_whom": e.with_whom,
            "summary": e.summary,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.pupil_url("students:liaison")
        return context

    def run_service(self, form):
        return liaison_services.liaison_entry_update(
            entry=self.entry, actor=self.request.membership, **form.cleaned_data
        )

    def get_success_url(self):
        return self.pupil_url("students:liaison")


class MyActionsView(RulePermissionMixin, ListView):
    """Follow-up actions on the signed-in person's list until done; the SENDCo and PSO can
    see everyone's."""

    permission_required = "students.view_own_actions"
    template_name = "students/actions.html"
    paginate_by = 50

    def everyone(self) -> bool:
        return self.request.GET.get("who") == "all"

    def get_queryset(self):
        return open_actions(actor=self.request.membership, everyone=self.everyone())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["everyone"] = self.everyone()
        context["querystring"] = "who=all" if self.everyone() else ""
        context["can_see_everyone"] = self.request.membership.role in {"SENDCO", "PSO"}
        return context


class ActionCompleteView(RulePermissionMixin, View):
    permission_required = "students.view_own_actions"
    http_method_names = ["post"]

    def post(self, request, pk):
        action = action_get(actor=request.membership, pk=pk)
        liaison_services.liaison_action_complete(action=action, actor=request.membership)
        messages.success(request, f"Done: {action.description}")
        back = request.POST.get("next", "")
        if back.startswith("/") and not back.startswith("//"):
            return HttpResponseRedirect(back)
        return HttpResponseRedirect(reverse("students:actions"))


def querystring_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class AgencyListView(RulePermissionMixin, ListView):
    """The school's directory of agencies, searchable by name and kind."""

    permission_required = "students.view_agencies"
    template_name = "students/agencies.html"
    paginate_by = 50

    def get_queryset(self):
        rows = agencies(actor=self.request.membership)
        query = self.request.GET.get("q", "").strip()[:100]
        kind = self.request.GET.get("kind", "")
        if query:
            rows = rows.filter(name__icontains=query)
        if kind in Agency.Kind.values:
            rows = rows.filter(kind=kind)
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            kinds=Agency.Kind.choices,
            query=self.request.GET.get("q", ""),
            kind=self.request.GET.get("kind", ""),
            can_manage=self.request.user.has_perm("students.manage_agencies"),
            querystring=querystring_without_page(self.request),
        )
        return context


class AgencyEditView(RulePermissionMixin, FormView):
    permission_required = "students.manage_agencies"
    template_name = "students/form_page.html"
    form_class = student_forms.AgencyForm

    def get_agency(self):
        if "pk" not in self.kwargs:
            return None
        return agency_get(actor=self.request.membership, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_agency()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title="Change agency" if "pk" in self.kwargs else "Add an agency",
            submit_label="Save",
            cancel_url=reverse("students:agencies"),
        )
        return context

    def form_valid(self, form):
        try:
            agency = liaison_services.agency_save(
                actor=self.request.membership, agency=self.get_agency(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{agency.name} saved.")
        return HttpResponseRedirect(reverse("students:agencies"))
