import django_filters
from django.db.models import Q

from staffing.models import Role, StaffMember


class StaffFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    role = django_filters.ChoiceFilter(choices=Role.choices, empty_label="All roles")
    is_active = django_filters.BooleanFilter(label="Current staff")

    class Meta:
        model = StaffMember
        fields = ["q", "role", "is_active"]

    def search(self, queryset, name, value):
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(user__email__icontains=word)
                | Q(job_title__icontains=word)
            )
        return queryset
