"""The behaviour and regulation log and its pattern view (restricted: reads are logged)."""

import uuid
from datetime import datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from sendhub.forms import add_service_errors
from students import forms as student_forms
from students.models import BehaviourIncident
from students.selectors import behaviour_incidents, behaviour_pattern, passport_strategies
from students.services import behaviour as behaviour_services
from students.views.record import RestrictedMixin, ServiceFormView

PAGE_SIZE = 20


def incident_form(*, pupil, data=None):
    """The quick log form, its time set to now and a fresh client id for safe retries."""
    return student_forms.BehaviourIncidentForm(
        data,
        passport_strategies=passport_strategies(pupil=pupil),
        initial={"occurred_at": timezone.now(), "client_id": uuid.uuid4()},
    )


class BehaviourView(RestrictedMixin, TemplateView):
    """The log: the quick form on a tablet, then the incidents, newest first."""

    section = "behaviour"
    restricted_section = "behaviour"
    template_name = "students/behaviour.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        paginator = Paginator(behaviour_incidents(pupil=self.pupil), PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("page"))
        for incident in page.object_list:
            incident.pupil = self.pupil  # the rule reads the pupil (and its link cache)
            incident.can_correct = user.has_perm("students.correct_behaviour", incident)
        context.update(
            paginator=paginator,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            incidents=page.object_list,
            can_record=user.has_perm("students.record_behaviour", self.pupil),
        )
        context.setdefault("form", incident_form(pupil=self.pupil))
        return context


class BehaviourRecordView(BehaviourView):
    """Log an incident from the behaviour page. Errors show the page again with the entry
    as typed and the messages next to the fields; nothing is saved."""

    permission_required = "students.record_behaviour"
    http_method_names = ["post"]

    def post(self, request, pk):
        form = incident_form(pupil=self.pupil, data=request.POST)
        if form.is_valid():
            try:
                incident = behaviour_services.behaviour_incident_record(
                    pupil=self.pupil, actor=request.membership, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                when = timezone.localtime(incident.occurred_at)
                messages.success(
                    request, f"Incident logged for {when:%A} {when.day} {when:%B, %H:%M}."
                )
                return HttpResponseRedirect(self.pupil_url("students:behaviour"))
        return self.render_rejected(form=form)


class BehaviourCorrectView(RestrictedMixin, ServiceFormView):
    """Correct an incident: the SENDCo or PSO, or whoever logged it on the same day."""

    permission_required = "students.correct_behaviour"
    section = "behaviour"
    restricted_section = "behaviour (correction)"
    form_class = student_forms.BehaviourCorrectionForm
    template_name = "students/behaviour_correct.html"
    title = "Correct an incident"
    submit_label = "Save the correction"
    success_message = "Incident corrected; the earlier version is kept in its history."

    def get_permission_object(self):
        if not hasattr(self, "incident"):
            self.pupil = self.load_pupil()
            self.incident = get_object_or_404(
                BehaviourIncident, pk=self.kwargs["incident_pk"], pupil=self.pupil
            )
            self.incident.pupil = self.pupil
        return self.incident

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["passport_strategies"] = passport_strategies(pupil=self.pupil)
        kwargs["current_strategy"] = self.incident.strategy
        return kwargs

    def get_initial(self):
        return {name: getattr(self.incident, name) for name in behaviour_services.INCIDENT_FIELDS}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["incident"] = self.incident
        return context

    def run_service(self, form):
        return behaviour_services.behaviour_incident_correct(
            incident=self.incident, actor=self.request.membership, **form.cleaned_data
        )

    def get_success_url(self):
        return self.pupil_url("students:behaviour")


def school_year_start(today) -> datetime:
    """Midnight on 1 September of the school year ``today`` falls in."""
    year = today.year if today.month >= 9 else today.year - 1
    return timezone.make_aware(datetime.combine(today.replace(year=year, month=9, day=1), time()))


# The periods of the pattern view: key → (label, start of the period or None for all).
PERIODS = {
    "30": ("Last 30 days", lambda now: now - timedelta(days=30)),
    "term": ("This term (90 days)", lambda now: now - timedelta(days=90)),
    "year": ("This school year", lambda now: school_year_start(timezone.localdate(now))),
    "all": ("All", lambda now: None),
}
DEFAULT_PERIOD = "term"


class BehaviourPatternView(RestrictedMixin, TemplateView):
    """When and where the pupil's incidents cluster, what triggers them and which strategies
    helped, for a period: a heat map table and charts, each with its figures as a table."""

    section = "behaviour"
    restricted_section = "behaviour patterns"
    template_name = "students/behaviour_patterns.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period = self.request.GET.get("period")
        if period not in PERIODS:
            period = DEFAULT_PERIOD
        label, start = PERIODS[period]
        since = start(timezone.now())
        pattern = behaviour_pattern(pupil=self.pupil, since=since)
        base = reverse("students:behaviour_patterns", args=[self.pupil.pk])
        context.update(
            pattern=pattern,
            period=period,
            period_label=label,
            since=since,
            periods=[
                {"key": key, "label": text, "url": f"{base}?period={key}", "current": key == period}
                for key, (text, _start) in PERIODS.items()
            ],
            chart_data={
                "triggers": {
                    "labels": [name for _code, name, _n in pattern.by_trigger],
                    "counts": [n for _code, _name, n in pattern.by_trigger],
                },
                "strategies": {
                    "labels": [s.strategy for s in pattern.strategies],
                    "helped": [s.helped for s in pattern.strategies],
                    "partly": [s.partly for s in pattern.strategies],
                    "notHelped": [s.not_helped for s in pattern.strategies],
                    "notRecorded": [s.not_recorded for s in pattern.strategies],
                },
            },
        )
        return context
