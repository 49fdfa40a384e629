from django import forms
from django.utils import timezone

from sendhub.forms import DateInput
from staffing.models import Allocation, StaffAbsence


class AllocationForm(forms.Form):
    kind = forms.ChoiceField(label="What for", choices=Allocation.Kind.choices)
    group = forms.ModelChoiceField(
        queryset=None, required=False, label="Class", help_text="For in-class support."
    )
    focus_pupils = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Focus pupils",
        help_text="In-class support for named pupils of the class (none: the whole class).",
        widget=forms.CheckboxSelectMultiple,
    )
    pupil = forms.ModelChoiceField(
        queryset=None, required=False, label="Pupil", help_text="For a 1:1."
    )
    note = forms.CharField(
        max_length=120, required=False, help_text="e.g. the intervention or the visit."
    )
    starts_on = forms.DateField(label="From", widget=DateInput, initial=timezone.localdate)
    ends_on = forms.DateField(
        label="Until", widget=DateInput, required=False, help_text="Blank: until changed."
    )

    def __init__(self, *args, groups, pupils, focus_pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["pupil"].queryset = pupils
        self.fields["focus_pupils"].queryset = focus_pupils
        for name in ("pupil", "focus_pupils"):
            self.fields[name].label_from_instance = lambda p: f"{p.last_name}, {p.first_name}"


class AbsenceForm(forms.Form):
    staff = forms.ModelChoiceField(queryset=None, label="Who is away")
    starts_on = forms.DateField(label="From", widget=DateInput, initial=timezone.localdate)
    ends_on = forms.DateField(label="Until", widget=DateInput, initial=timezone.localdate)
    from_time = forms.TimeField(
        required=False,
        label="Away from (time)",
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text="Part of the day only; leave both times blank for whole days.",
    )
    to_time = forms.TimeField(
        required=False, label="Back at (time)", widget=forms.TimeInput(attrs={"type": "time"})
    )
    reason = forms.ChoiceField(choices=StaffAbsence.Reason.choices)
    note = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda m: (
            f"{m.user.full_name} ({m.get_role_display()})"
        )


class LessonSupportForm(forms.Form):
    staff = forms.ModelChoiceField(queryset=None, label="Who supports the lesson")
    focus_pupils = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Focus pupils",
        help_text="Pupils on the SEND register the support is for (none: the whole class).",
        widget=forms.CheckboxSelectMultiple,
    )
    starts_on = forms.DateField(label="From", widget=DateInput, initial=timezone.localdate)
    ends_on = forms.DateField(
        label="Until", widget=DateInput, required=False, help_text="Blank: until changed."
    )

    def __init__(self, *args, staff, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda m: (
            f"{m.user.full_name} ({m.get_role_display()}"
            + (f", {m.faculty}" if m.faculty_id else "")
            + ")"
        )
        self.fields["focus_pupils"].queryset = pupils
        self.fields["focus_pupils"].label_from_instance = lambda p: f"{p.last_name}, {p.first_name}"


class PupilSupportForm(forms.Form):
    staff = forms.ModelChoiceField(queryset=None, label="Who works 1:1 with the pupil")
    starts_on = forms.DateField(label="From", widget=DateInput, initial=timezone.localdate)
    ends_on = forms.DateField(
        label="Until", widget=DateInput, required=False, help_text="Blank: until changed."
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda m: (
            f"{m.user.full_name} ({m.get_role_display()})"
        )
