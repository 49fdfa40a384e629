"""Pages of the coverage report: per pupil, EHCP hours and unsupported lessons, and one
pupil's week with the support in each lesson."""

import csv
from datetime import date

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils import timezone
from django.views.generic import TemplateView

from sendhub.access import RulePermissionMixin
from staffing.deployment.coverage import (
    DAY_LABELS,
    PupilFilters,
    ehcp_hours_gap,
    pupil_coverage,
    pupil_week,
    unsupported_high_need_lessons,
)
from staffing.deployment.selectors import timetable_of
from students.models import YEAR_GROUPS, SenStatus
from students.selectors import pupil_get

PAGE_SIZE = 50
TABS = [("pupils", "Pupils"), ("ehcp", "EHCP hours"), ("lessons", "Unsupported lessons")]
SORT_LABELS = {
    "unsupported": "most unsupported lessons first",
    "coverage": "lowest coverage first",
    "name": "by name",
}


class PupilFilterForm(forms.Form):
    q = forms.CharField(label="Name", required=False, max_length=100)
    year_group = forms.TypedChoiceField(
        label="Year",
        choices=[("", "Any year")] + [(str(value), label) for value, label in YEAR_GROUPS],
        coerce=int,
        empty_value=None,
        required=False,
    )
    status = forms.ChoiceField(
        label="SEN status",
        choices=[("", "K and E")]
        + [(s.value, f"{s.value} — {s.label}") for s in (SenStatus.SUPPORT, SenStatus.EHCP)],
        required=False,
    )
    ehcp = forms.BooleanField(label="With an EHC plan only", required=False)
    sort = forms.ChoiceField(label="Order", choices=list(SORT_LABELS.items()), required=False)

    def filters(self) -> PupilFilters:
        """The filters that were understood; a value that was not is ignored (and reported)."""
        self.is_valid()
        data = self.cleaned_data
        return PupilFilters(
            q=data.get("q") or "",
            year_group=data.get("year_group"),
            sen_status=data.get("status") or "",
            ehcp_only=bool(data.get("ehcp")),
            sort=data.get("sort") or "unsupported",
        )


class LessonFilterForm(forms.Form):
    min_pupils = forms.IntegerField(
        label="Pupils on the register at least", min_value=1, max_value=30, required=False
    )


def _day_from(request) -> date:
    """The date asked for (``?date=``), today when none or not a date."""
    try:
        return date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return timezone.localdate()


def _safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] and value[0] in "=+-@\t\r" else value


class CoverageView(RulePermissionMixin, TemplateView):
    """The SENDCo's coverage report as of a date, in three tabs: each pupil's lessons with
    and without support, EHC plan hours funded against allocated (also as CSV), and lessons
    with several pupils on the register and no adult."""

    permission_required = "staffing.view_coverage"
    template_name = "staffing/coverage.html"

    def get(self, request, *args, **kwargs):
        self.on = _day_from(request)
        self.tab = request.GET.get("tab")
        if self.tab not in dict(TABS):
            self.tab = "pupils"
        if self.tab == "ehcp" and request.GET.get("format") == "csv":
            return self.ehcp_csv()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actor = self.request.membership
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            on=self.on,
            tab=self.tab,
            tabs=TABS,
            timetable=timetable_of(actor.school_id),
            querystring=query.urlencode(),
        )
        if context["timetable"] is None:
            return context
        getattr(self, f"{self.tab}_context")(context, actor)
        return context

    def _paginate(self, context, rows):
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            rows=page.object_list,
        )

    def pupils_context(self, context, actor):
        form = PupilFilterForm(self.request.GET)
        filters = form.filters()
        context.update(
            form=form,
            filters=filters,
            sort_label=SORT_LABELS.get(filters.sort, SORT_LABELS["unsupported"]),
        )
        self._paginate(context, pupil_coverage(actor=actor, on=self.on, filters=filters))

    def ehcp_context(self, context, actor):
        rows = ehcp_hours_gap(actor=actor, on=self.on)
        gaps = [row for row in rows if row.gap > 0]
        context.update(
            rows=rows,
            with_gap=len(gaps),
            funded=sum((row.funded for row in rows), start=0),
            allocated=sum((row.allocated for row in rows), start=0),
            uncovered=sum((row.gap for row in gaps), start=0),
        )

    def lessons_context(self, context, actor):
        form = LessonFilterForm(self.request.GET)
        form.is_valid()
        min_pupils = form.cleaned_data.get("min_pupils") or 3
        context.update(form=form, min_pupils=min_pupils)
        self._paginate(
            context,
            unsupported_high_need_lessons(actor=actor, on=self.on, min_pupils=min_pupils),
        )

    def ehcp_csv(self) -> HttpResponse:
        actor = self.request.membership
        rows = ehcp_hours_gap(actor=actor, on=self.on)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        name = f"ehcp-hours-{actor.school.slug}-{self.on:%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        writer = csv.writer(response)
        writer.writerow(
            [
                "Last name",
                "First name",
                "UPN",
                "Year",
                "Funded hours a week",
                "Allocated hours a week",
                "Gap (hours a week)",
                "Status",
            ]
        )
        for row in rows:
            pupil = row.pupil
            if row.gap > 0:
                status = f"Gap {row.gap} h"
            elif row.gap < 0:
                status = f"Over by {row.over} h"
            else:
                status = "Covered"
            writer.writerow(
                [
                    _safe(pupil.last_name),
                    _safe(pupil.preferred_name or pupil.first_name),
                    pupil.upn,
                    pupil.get_year_group_display(),
                    row.funded,
                    row.allocated,
                    row.gap,
                    status,
                ]
            )
        return response


class PupilTimetableView(RulePermissionMixin, TemplateView):
    """One pupil's cycle, lesson by lesson, with who supports them in each."""

    permission_required = "staffing.view_coverage"
    template_name = "staffing/pupil_week.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actor = self.request.membership
        pupil = pupil_get(actor=actor, pk=self.kwargs["pk"])
        on = _day_from(self.request)
        context.update(
            pupil=pupil,
            on=on,
            week=pupil_week(actor=actor, pupil=pupil, on=on),
            day_labels=DAY_LABELS,
            can_manage=self.request.user.has_perm("staffing.manage_allocations"),
        )
        return context
