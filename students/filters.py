import django_filters
from django.db.models import F, Q
from django.utils import timezone

from students.models import YEAR_GROUPS, Area, NeedCode, SenStatus, codes_in_area
from students.selectors import review_overdue_q

SORTS = {
    "name": ["last_name", "first_name", "pk"],
    "-name": ["-last_name", "-first_name", "-pk"],
    "year": ["year_group", "tutor_group", "last_name", "pk"],
    "-year": ["-year_group", "tutor_group", "last_name", "pk"],
    "status": ["sen_status", "last_name", "pk"],
    "-status": ["-sen_status", "last_name", "pk"],
    # Pupils with no review date come last either way, on every database.
    "review": [F("next_review").asc(nulls_last=True), "last_name", "pk"],
    "-review": [F("next_review").desc(nulls_last=True), "last_name", "pk"],
}


class RegisterFilter(django_filters.FilterSet):
    """Filters of the SEND register; every value is validated, unknown ones reported."""

    q = django_filters.CharFilter(method="search", label="Name or UPN")
    status = django_filters.ChoiceFilter(
        choices=SenStatus.choices, method="by_status", empty_label="On the register (K and E)"
    )
    need = django_filters.ChoiceFilter(
        choices=NeedCode.choices, method="by_need", label="Need", empty_label="Any need"
    )
    area = django_filters.ChoiceFilter(
        choices=Area.choices, method="by_area", label="Area of need", empty_label="Any area"
    )
    year_group = django_filters.ChoiceFilter(
        choices=[(str(value), label) for value, label in YEAR_GROUPS],
        method="by_year",
        label="Year",
        empty_label="Any year",
    )
    tutor_group = django_filters.CharFilter(lookup_expr="iexact", label="Tutor group")
    overdue = django_filters.BooleanFilter(method="by_overdue", label="Review overdue")
    sort = django_filters.ChoiceFilter(
        choices=[(key, key) for key in SORTS], method="by_sort", empty_label="name"
    )

    def __init__(self, data=None, *args, **kwargs):
        self.status_given = bool(data and data.get("status"))
        super().__init__(data, *args, **kwargs)

    @property
    def qs(self):
        queryset = super().qs
        if not self.status_given:
            queryset = queryset.exclude(sen_status=SenStatus.NONE)
        if not (self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("sort")):
            queryset = queryset.order_by(*SORTS["name"])
        return queryset

    def search(self, queryset, name, value):
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(preferred_name__icontains=word)
                | Q(upn__iexact=word)
            )
        return queryset

    def by_status(self, queryset, name, value):
        return queryset.filter(sen_status=value)

    def by_year(self, queryset, name, value):
        return queryset.filter(year_group=int(value))

    def by_need(self, queryset, name, value):
        return queryset.filter(needs__code=value)

    def by_area(self, queryset, name, value):
        return queryset.filter(needs__code__in=codes_in_area(value)).distinct()

    def by_overdue(self, queryset, name, value):
        if value:
            return queryset.filter(review_overdue_q())
        # Pupils with no review date are not overdue.
        today = timezone.localdate()
        return queryset.filter(Q(next_review__isnull=True) | Q(next_review__gte=today))

    def by_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS[value])
