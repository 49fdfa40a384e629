"""Case studies of high-needs pupils."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import TemplateView

from students import forms as student_forms
from students.selectors import case_studies_for
from students.services import case_studies as case_study_services
from students.views.record import PupilMixin, ServiceFormView


class CaseStudiesView(PupilMixin, TemplateView):
    section = "case_studies"
    template_name = "students/case_studies.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            studies=case_studies_for(pupil=self.pupil),
            can_write=self.request.user.has_perm("students.write_case_study", self.pupil),
        )
        return context


class CaseStudyMixin(PupilMixin):
    section = "case_studies"

    def get_study(self):
        if "study_pk" not in self.kwargs:
            return None
        if not hasattr(self, "_study"):
            self._study = get_object_or_404(
                case_studies_for(pupil=self.pupil), pk=self.kwargs["study_pk"]
            )
        return self._study


class CaseStudyView(CaseStudyMixin, TemplateView):
    template_name = "students/case_study.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            study=self.get_study(),
            can_write=user.has_perm("students.write_case_study", self.pupil),
            can_agree=user.has_perm("students.agree_case_study", self.pupil),
            can_delete=user.has_perm("students.delete_case_study", self.pupil),
        )
        return context


class CaseStudyEditView(CaseStudyMixin, ServiceFormView):
    permission_required = "students.write_case_study"
    form_class = student_forms.CaseStudyForm
    template_name = "students/case_study_form.html"
    success_message = "Case study saved."

    def get_initial(self):
        study = self.get_study()
        return {"title": study.title, "body": study.body} if study else {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        study = self.get_study()
        context.update(
            study=study,
            title="Edit the case study" if study else "Write a case study",
            intro=(
                "A change after the SENDCo agreed the case study sends it back for agreement."
                if study and study.agreed_on
                else ""
            ),
        )
        return context

    def run_service(self, form):
        return case_study_services.case_study_save(
            pupil=self.pupil,
            actor=self.request.membership,
            study=self.get_study(),
            **form.cleaned_data,
        )

    def get_success_url(self):
        return self.pupil_url("students:case_studies") + f"{self.result.pk}/"


class CaseStudyAgreeView(CaseStudyMixin, View):
    permission_required = "students.agree_case_study"
    http_method_names = ["post"]

    def post(self, request, pk, study_pk):
        study = case_study_services.case_study_agree(
            study=self.get_study(), actor=request.membership
        )
        messages.success(request, f"You agreed “{study.title}”.")
        return HttpResponseRedirect(self.pupil_url("students:case_studies") + f"{study.pk}/")


class CaseStudyDeleteView(CaseStudyMixin, View):
    permission_required = "students.delete_case_study"
    http_method_names = ["post"]

    def post(self, request, pk, study_pk):
        study = self.get_study()
        case_study_services.case_study_delete(study=study, actor=request.membership)
        messages.success(request, f"“{study.title}” deleted.")
        return HttpResponseRedirect(self.pupil_url("students:case_studies"))
