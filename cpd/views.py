"""Pages of the resource bank, CPD and training. Objects are loaded through selectors
scoped to the acting staff member's school (404 otherwise); rules decide the rest (403)."""

import csv

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import ListView, TemplateView

from cpd import forms as cpd_forms
from cpd import selectors, services
from cpd.models import CpdRecord, KeyStage, Resource, StrategyType, SupportRequest
from sendhub.access import RulePermissionMixin
from sendhub.formviews import ServiceFormView as BaseServiceFormView
from sendhub.reference import Area, NeedCode
from staffing.models import Role


class ServiceFormView(RulePermissionMixin, BaseServiceFormView):
    template_name = "cpd/form.html"
    success_message = "Saved."
    cancel_url_name = "cpd:resources"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = reverse(self.cancel_url_name)
        return context


def write_csv(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        # A cell starting with = + - @ would run as a formula in a spreadsheet.
        writer.writerow(["'" + c if c[:1] and c[0] in "=+-@\t\r" else c for c in map(str, row)])
    return response


# --- resource bank ---------------------------------------------------------------------


class ResourceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    area = django_filters.ChoiceFilter(choices=Area.choices, empty_label="Any area")
    need_code = django_filters.ChoiceFilter(choices=NeedCode.choices, empty_label="Any need")
    strategy = django_filters.ChoiceFilter(choices=StrategyType.choices, empty_label="Any type")
    key_stage = django_filters.ChoiceFilter(choices=KeyStage.choices, empty_label="Any stage")
    subject = django_filters.CharFilter(lookup_expr="icontains")
    faculty = django_filters.ModelChoiceFilter(
        field_name="shared_with_faculty", queryset=None, empty_label="Any faculty"
    )
    retired = django_filters.BooleanFilter(field_name="is_retired", label="Retired")

    class Meta:
        model = Resource
        fields = [
            "q",
            "area",
            "need_code",
            "strategy",
            "key_stage",
            "subject",
            "faculty",
            "retired",
        ]

    def __init__(self, *args, faculties, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["faculty"].queryset = faculties

    def search(self, queryset, name, value):
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(description__icontains=word) | Q(tags__icontains=word)
            )
        return queryset

    @property
    def qs(self):
        queryset = super().qs
        if not (self.is_bound and self.data.get("retired")):
            queryset = queryset.filter(is_retired=False)
        return queryset


class ResourceListView(RulePermissionMixin, ListView):
    permission_required = "cpd.view_bank"
    template_name = "cpd/resources.html"
    paginate_by = 25

    def get_queryset(self):
        actor = self.request.membership
        self.filterset = ResourceFilter(
            self.request.GET,
            queryset=selectors.resource_list(actor=actor),
            faculties=selectors.faculties(actor=actor),
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filter=self.filterset, querystring=query.urlencode())
        return context


class ResourceMixin:
    def get_permission_object(self):
        if not hasattr(self, "resource"):
            self.resource = selectors.resource_get(
                actor=self.request.membership, pk=self.kwargs["pk"]
            )
        return self.resource


class ResourceDetailView(ResourceMixin, RulePermissionMixin, TemplateView):
    permission_required = "cpd.view_bank"
    template_name = "cpd/resource_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["resource"] = self.resource
        context["can_change"] = self.request.user.has_perm("cpd.change_resource", self.resource)
        return context


class ResourceCreateView(ServiceFormView):
    permission_required = "cpd.add_resource"
    form_class = cpd_forms.ResourceForm
    title = "Add a resource"
    success_message = "Resource published."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["faculties"] = selectors.faculties(actor=self.request.membership)
        return kwargs

    def run_service(self, form):
        data = dict(form.cleaned_data)
        return services.resource_create(
            actor=self.request.membership, upload=data.pop("upload") or None, **data
        )

    def get_success_url(self):
        return reverse("cpd:resource", args=[self.result.pk])


class ResourceEditView(ResourceMixin, ServiceFormView):
    permission_required = "cpd.change_resource"
    form_class = cpd_forms.ResourceForm
    title = "Edit resource"
    success_message = "Resource saved."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["faculties"] = selectors.faculties(actor=self.request.membership)
        kwargs["instance"] = self.resource
        return kwargs

    def run_service(self, form):
        data = dict(form.cleaned_data)
        self.resource.refresh_from_db()  # the form wrote its values onto the instance
        return services.resource_update(
            actor=self.request.membership,
            resource=self.resource,
            upload=data.pop("upload"),
            note=data.pop("note", ""),
            **data,
        )

    def get_success_url(self):
        return reverse("cpd:resource", args=[self.resource.pk])


class ResourceRetireView(ResourceMixin, RulePermissionMixin, View):
    permission_required = "cpd.change_resource"
    http_method_names = ["post"]

    def post(self, request, pk):
        retired = request.POST.get("retired", "1") == "1"
        services.resource_retire(actor=request.membership, resource=self.resource, retired=retired)
        messages.success(request, "Resource retired." if retired else "Resource restored.")
        return HttpResponseRedirect(reverse("cpd:resource", args=[pk]))


class ResourceFileDownloadView(RulePermissionMixin, View):
    """Files are private: served only here, to staff of the school who may see the
    resource."""

    permission_required = "cpd.view_bank"

    def get(self, request, pk):
        stored = selectors.resource_file_get(actor=request.membership, pk=pk)
        response = FileResponse(
            stored.file.open("rb"),
            as_attachment=True,
            filename=stored.original_name,
            content_type=stored.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- CPD events ------------------------------------------------------------------------


class CalendarView(RulePermissionMixin, TemplateView):
    permission_required = "cpd.view_calendar"
    template_name = "cpd/calendar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        events = selectors.cpd_events(actor=self.request.membership)
        context["upcoming"] = events.filter(starts_at__gte=now).order_by("starts_at")[:50]
        context["past"] = events.filter(starts_at__lt=now).order_by("-starts_at")[:50]
        return context


class EventMixin:
    def get_permission_object(self):
        if not hasattr(self, "event"):
            self.event = selectors.cpd_event_get(
                actor=self.request.membership, pk=self.kwargs["pk"]
            )
        return self.event


class EventDetailView(EventMixin, RulePermissionMixin, TemplateView):
    permission_required = "cpd.view_calendar"
    template_name = "cpd/event_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event, membership = self.event, self.request.membership
        mine = next((a for a in event.attendance.all() if a.staff_id == membership.pk), None)
        ratings = [a.rating for a in event.attendance.all() if a.rating]
        context.update(
            event=event,
            my_attendance=mine,
            can_change=self.request.user.has_perm("cpd.change_event", event),
            has_started=event.starts_at <= timezone.now(),
            can_give_feedback=bool(mine and mine.attended and event.starts_at <= timezone.now()),
            average_rating=round(sum(ratings) / len(ratings), 1) if ratings else None,
            feedback=[a for a in event.attendance.all() if a.rating],
        )
        return context


class EventFormMixin:
    form_class = cpd_forms.CpdEventForm
    cancel_url_name = "cpd:calendar"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        actor = self.request.membership
        kwargs["staff"] = selectors.staff_of_school(actor=actor)
        kwargs["faculties"] = selectors.faculties(actor=actor)
        kwargs["resources"] = selectors.resource_list(actor=actor).filter(is_retired=False)
        return kwargs

    def run_service(self, form):
        data = dict(form.cleaned_data)
        materials = data.pop("materials", [])
        return services.cpd_event_save(
            actor=self.request.membership,
            event=getattr(self, "event", None),
            materials=materials,
            **data,
        )

    def get_success_url(self):
        return reverse("cpd:event", args=[self.result.pk])


class EventCreateView(EventFormMixin, ServiceFormView):
    permission_required = "cpd.add_event"
    title = "Plan a CPD session"
    success_message = "CPD session planned."


class EventEditView(EventMixin, EventFormMixin, ServiceFormView):
    permission_required = "cpd.change_event"
    title = "Edit CPD session"
    success_message = "CPD session saved."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.event
        return kwargs

    def run_service(self, form):
        self.event.refresh_from_db()
        # Materials the editor could not see (another faculty's, or retired) stay attached.
        offered = set(form.fields["materials"].queryset.values_list("pk", flat=True))
        kept = [m for m in self.event.materials.all() if m.pk not in offered]
        form.cleaned_data["materials"] = [*form.cleaned_data.get("materials", []), *kept]
        return super().run_service(form)


class AttendanceView(EventMixin, RulePermissionMixin, TemplateView):
    """The register: everyone the session is for, ticked if they came."""

    permission_required = "cpd.change_event"
    template_name = "cpd/attendance.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        present = {a.staff_id for a in self.event.attendance.all() if a.attended}
        audience = list(selectors.cpd_audience(event=self.event))
        others = [a.staff for a in self.event.attendance.all() if a.staff not in audience]
        context.update(event=self.event, audience=audience + others, present=present)
        return context

    def post(self, request, pk):
        try:
            present = {int(value) for value in request.POST.getlist("present")}
            services.cpd_attendance_take(
                actor=request.membership, event=self.event, present=present
            )
        except (ValueError, ValidationError) as error:
            messages.error(request, getattr(error, "messages", ["That register was not valid."])[0])
            return HttpResponseRedirect(reverse("cpd:attendance", args=[pk]))
        messages.success(request, f"Register saved: {len(present)} present.")
        return HttpResponseRedirect(reverse("cpd:event", args=[pk]))


class FeedbackView(EventMixin, ServiceFormView):
    permission_required = "cpd.view_calendar"
    form_class = cpd_forms.FeedbackForm
    title = "Feedback on the session"
    success_message = "Thank you for your feedback."
    cancel_url_name = "cpd:calendar"

    def get_initial(self):
        mine = next(
            (a for a in self.event.attendance.all() if a.staff_id == self.request.membership.pk),
            None,
        )
        return {"rating": mine.rating, "comment": mine.comment} if mine and mine.rating else {}

    def run_service(self, form):
        return services.cpd_feedback_give(
            actor=self.request.membership, event=self.event, **form.cleaned_data
        )

    def get_success_url(self):
        return reverse("cpd:event", args=[self.event.pk])


# --- my CPD ----------------------------------------------------------------------------


class MyCpdView(RulePermissionMixin, TemplateView):
    permission_required = "cpd.view_own_cpd"
    template_name = "cpd/my_cpd.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        membership = self.request.membership
        rows = selectors.cpd_history(staff=membership)
        context.update(
            rows=rows,
            total_hours=sum(float(r["hours"]) for r in rows),
            training=selectors.training_records_for(staff=membership),
        )
        return context


class MyCpdExportView(RulePermissionMixin, View):
    permission_required = "cpd.view_own_cpd"

    def get(self, request):
        rows = selectors.cpd_history(staff=request.membership)
        name = request.user.full_name.replace(" ", "-").lower() or "staff"
        return write_csv(
            f"cpd-{name}-{timezone.localdate():%Y-%m-%d}.csv",
            ["Date", "Title", "Kind", "Hours", "Provider", "Reflection"],
            (
                [r["date"], r["title"], r["kind"], r["hours"], r["provider"], r["reflection"]]
                for r in rows
            ),
        )


class CpdRecordView(ServiceFormView):
    permission_required = "cpd.view_own_cpd"
    form_class = cpd_forms.CpdRecordForm
    title = "Add to my CPD"
    success_message = "Added to your CPD record."
    cancel_url_name = "cpd:mine"

    def get_record(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(CpdRecord, pk=self.kwargs["pk"], staff=self.request.membership)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_record()
        return kwargs

    def run_service(self, form):
        return services.cpd_record_save(
            actor=self.request.membership, record=self.get_record(), **form.cleaned_data
        )

    def get_success_url(self):
        return reverse("cpd:mine")


# --- training --------------------------------------------------------------------------


def cell_text(cell) -> str:
    if cell.record and cell.record.expires_on:
        word = "since" if cell.status == "EXPIRED" else "until"
        return f"{cell.label} {word} {cell.record.expires_on:%d/%m/%Y}"
    return cell.label


class MatrixView(RulePermissionMixin, TemplateView):
    """Staff by training type: valid / expiring within 30 days / expired / not trained."""

    permission_required = "cpd.view_matrix"
    template_name = "cpd/matrix.html"

    def matrix(self):
        role = self.request.GET.get("role", "")
        role = role if role in Role.values else ""
        try:
            faculty_id = int(self.request.GET.get("faculty") or 0) or None
        except ValueError:
            faculty_id = None
        if faculty_id is not None and not 0 < faculty_id < 2**31:
            faculty_id = None
        return (
            selectors.training_matrix(
                actor=self.request.membership,
                today=timezone.localdate(),
                role=role,
                faculty_id=faculty_id,
            ),
            role,
            faculty_id,
        )

    def get(self, request, *args, **kwargs):
        matrix, role, faculty_id = self.matrix()
        if request.GET.get("format") == "csv":
            return write_csv(
                f"training-matrix-{timezone.localdate():%Y-%m-%d}.csv",
                ["Staff", "Role", "Faculty", *[t.name for t in matrix.types]],
                (
                    [m.user.full_name, m.get_role_display(), m.faculty or ""]
                    + [cell_text(c) for c in cells]
                    for m, cells in matrix.rows
                ),
            )
        context = self.get_context_data(
            matrix=matrix,
            role=role,
            faculty_id=faculty_id,
            roles=[c for c in Role.choices if c[0] != Role.TRUST_LEAD],
            faculties=selectors.faculties(actor=request.membership),
        )
        return self.render_to_response(context)


class TrainingTypesView(ServiceFormView):
    permission_required = "cpd.manage_training_types"
    form_class = cpd_forms.TrainingTypeForm
    template_name = "cpd/training_types.html"
    title = "Add a training type"
    success_message = "Training type saved."
    cancel_url_name = "cpd:matrix"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["types"] = selectors.training_types(actor=self.request.membership)
        return context

    def run_service(self, form):
        return services.training_type_save(actor=self.request.membership, **form.cleaned_data)

    def get_success_url(self):
        return reverse("cpd:training_types")


class StaffTrainingView(ServiceFormView):
    """One person's training records; the SENDCo and data manager add to them."""

    permission_required = "cpd.view_training"
    form_class = cpd_forms.TrainingRecordForm
    template_name = "cpd/staff_training.html"
    title = "Record a training"
    success_message = "Training recorded."
    cancel_url_name = "cpd:matrix"

    def get_permission_object(self):
        if not hasattr(self, "staff"):
            self.staff = selectors.staff_member_get(
                actor=self.request.membership, pk=self.kwargs["pk"]
            )
        return self.staff

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("cpd.add_training_record", self.staff):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["training_types"] = selectors.training_types(actor=self.request.membership).filter(
            is_active=True
        )
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        records = selectors.training_records_for(staff=self.staff)
        context.update(
            staff=self.staff,
            records=[(r, selectors.cell_for(r, today)) for r in records],
            can_add=self.request.user.has_perm("cpd.add_training_record", self.staff),
        )
        return context

    def run_service(self, form):
        return services.training_record_add(
            actor=self.request.membership, staff=self.staff, **form.cleaned_data
        )

    def get_success_url(self):
        return reverse("cpd:staff_training", args=[self.staff.pk])


class CertificateDownloadView(RulePermissionMixin, View):
    permission_required = "cpd.view_training"

    def get_permission_object(self):
        from cpd.models import TrainingRecord

        self.record = get_object_or_404(
            TrainingRecord.objects.select_related("staff"),
            pk=self.kwargs["pk"],
            school_id=getattr(self.request.membership, "school_id", None),
        )
        return self.record.staff

    def get(self, request, pk):
        if not self.record.certificate:
            raise Http404("This record has no certificate.")
        response = FileResponse(
            self.record.certificate.open("rb"),
            as_attachment=True,
            filename=self.record.certificate.name.rsplit("/", 1)[-1],
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- specialisms -----------------------------------------------------------------------


class SpecialismListView(RulePermissionMixin, ListView):
    permission_required = "cpd.view_specialisms"
    template_name = "cpd/specialisms.html"

    def get_queryset(self):
        return selectors.specialisms(actor=self.request.membership)


class SpecialismView(ServiceFormView):
    """A specialist's page: their area, resources, CPD delivered, and requests to them."""

    permission_required = "cpd.view_specialisms"
    form_class = cpd_forms.SupportRequestForm
    template_name = "cpd/specialism.html"
    title = "Ask for support or training"
    submit_label = "Send request"
    success_message = "Request sent."
    cancel_url_name = "cpd:specialisms"

    def get_permission_object(self):
        if not hasattr(self, "specialism"):
            self.specialism = selectors.specialism_get(
                actor=self.request.membership, pk=self.kwargs["pk"]
            )
        return self.specialism

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        specialism, actor = self.specialism, self.request.membership
        holder = specialism.holder
        context.update(
            specialism=specialism,
            resources=selectors.resource_list(actor=actor).filter(owner=holder, is_retired=False)
            if holder
            else [],
            events=selectors.cpd_events(actor=actor)
            .filter(presenter=holder)
            .order_by("-starts_at")[:20]
            if holder
            else [],
            requests=selectors.specialism_requests(specialism=specialism, actor=actor),
            can_answer=self.request.user.has_perm("cpd.answer_request", specialism),
            statuses=SupportRequest.Status.choices,
        )
        return context

    def run_service(self, form):
        return services.support_request_create(
            actor=self.request.membership, specialism=self.specialism, **form.cleaned_data
        )

    def get_success_url(self):
        return reverse("cpd:specialism", args=[self.specialism.pk])


class AnswerRequestView(RulePermissionMixin, View):
    permission_required = "cpd.answer_request"
    http_method_names = ["post"]

    def get_permission_object(self):
        self.support_request = get_object_or_404(
            SupportRequest.objects.select_related("specialism"),
            pk=self.kwargs["pk"],
            school_id=getattr(self.request.membership, "school_id", None),
        )
        return self.support_request.specialism

    def post(self, request, pk):
        form = cpd_forms.AnswerForm(request.POST, instance=self.support_request)
        if form.is_valid():
            services.support_request_answer(
                actor=request.membership, request=self.support_request, **form.cleaned_data
            )
            messages.success(request, "Request updated.")
        else:
            messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return HttpResponseRedirect(
            reverse("cpd:specialism", args=[self.support_request.specialism_id])
        )
