from django import forms

from cpd.models import CpdEvent, CpdRecord, Resource, SupportRequest, TrainingRecord, TrainingType
from sendhub.forms import DateInput
from staffing.models import Role


class ResourceForm(forms.ModelForm):
    url = forms.URLField(label="Link", required=False, max_length=500, assume_scheme="https")
    upload = forms.FileField(
        label="File",
        required=False,
        widget=forms.FileInput,
        help_text="PDF, Word, PowerPoint, Excel, PNG, JPEG, text or CSV; up to 20 MB. "
        "A new file becomes the next version.",
    )
    note = forms.CharField(max_length=200, required=False, label="What changed (new file)")

    class Meta:
        model = Resource
        fields = [
            "title",
            "description",
            "kind",
            "url",
            "area",
            "need_code",
            "strategy",
            "subject",
            "key_stage",
            "tags",
            "shared_with_faculty",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, faculties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_with_faculty"].queryset = faculties
        self.fields["shared_with_faculty"].empty_label = "All staff"
        if not self.instance.pk:
            del self.fields["note"]


class CpdEventForm(forms.ModelForm):
    audience = forms.MultipleChoiceField(
        choices=[c for c in Role.choices if c[0] != Role.TRUST_LEAD],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked for everyone.",
    )

    class Meta:
        model = CpdEvent
        fields = [
            "title",
            "description",
            "presenter",
            "external_presenter",
            "starts_at",
            "duration_minutes",
            "location",
            "audience_faculty",
            "materials",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "materials": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, staff, faculties, resources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = staff
        self.fields["presenter"].label_from_instance = lambda m: m.user.full_name
        self.fields["audience_faculty"].queryset = faculties
        self.fields["materials"].queryset = resources
        self.fields["materials"].required = False
        if self.instance.pk:
            self.initial["audience"] = self.instance.role_list

    def clean(self):
        cleaned = super().clean()
        cleaned["audience_roles"] = ",".join(cleaned.pop("audience", []) or [])
        if not cleaned.get("presenter") and not cleaned.get("external_presenter"):
            self.add_error("presenter", "Name a presenter: a member of staff or an agency.")
        return cleaned


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=[
            (n, f"{n} — {label}")
            for n, label in [
                (5, "excellent"),
                (4, "good"),
                (3, "fair"),
                (2, "poor"),
                (1, "not useful"),
            ]
        ],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CpdRecordForm(forms.ModelForm):
    class Meta:
        model = CpdRecord
        fields = ["title", "completed_on", "hours", "provider", "reflection"]
        widgets = {"completed_on": DateInput, "reflection": forms.Textarea(attrs={"rows": 4})}


class TrainingTypeForm(forms.ModelForm):
    class Meta:
        model = TrainingType
        fields = ["name", "validity_months", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class TrainingRecordForm(forms.ModelForm):
    class Meta:
        model = TrainingRecord
        fields = ["training_type", "completed_on", "expires_on", "provider", "certificate"]
        widgets = {
            "completed_on": DateInput,
            "expires_on": DateInput,
            "certificate": forms.FileInput,
        }
        help_texts = {"expires_on": "Leave blank to use the training type's validity."}

    def __init__(self, *args, training_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training_type"].queryset = training_types


class SupportRequestForm(forms.ModelForm):
    class Meta:
        model = SupportRequest
        fields = ["kind", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}


class AnswerForm(forms.ModelForm):
    class Meta:
        model = SupportRequest
        fields = ["status", "response"]
        widgets = {"response": forms.Textarea(attrs={"rows": 2})}
