from django import forms
from django.utils import timezone

from sendhub.forms import DateInput
from students.models import (
    STANDARD_STRATEGIES,
    AccessArrangement,
    Agency,
    Area,
    BehaviourIncident,
    BehaviourSetting,
    CarePlan,
    EhcPlan,
    HealthcarePlan,
    LiaisonEntry,
    Medication,
    MedicationDose,
    NeedCode,
    OutcomeProgress,
    Passport,
    PupilDocument,
    PupilNeed,
    SenStatus,
    StaffPupilLink,
    TargetOutcome,
    Trigger,
)


class RegisterStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="SEN status",
        choices=SenStatus.choices,
        widget=forms.RadioSelect,
    )
    on = forms.DateField(label="From", widget=DateInput, initial=timezone.localdate)
    reason = forms.CharField(
        max_length=255, required=False, help_text="e.g. identified at Assess; needs now met."
    )


class NeedForm(forms.Form):
    code = forms.ChoiceField(label="Type of need (census code)", choices=NeedCode.choices)
    rank = forms.TypedChoiceField(
        choices=PupilNeed._meta.get_field("rank").choices,
        coerce=int,
        widget=forms.RadioSelect,
        initial=PupilNeed.PRIMARY,
    )
    descriptor = forms.CharField(
        max_length=120, required=False, help_text="In everyday words, e.g. ADHD, dyslexia."
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )


class StaffLinkForm(forms.Form):
    staff = forms.ModelChoiceField(queryset=None, label="Member of staff")
    source = forms.ChoiceField(
        choices=[
            (StaffPupilLink.Source.DIRECT, "Works with the pupil"),
            (StaffPupilLink.Source.CLASS, "Teaches or supports the pupil's class"),
        ],
        initial=StaffPupilLink.Source.DIRECT,
    )
    valid_until = forms.DateField(required=False, widget=DateInput, help_text="Optional end date.")

    def __init__(self, *args, staff_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_queryset
        self.fields["staff"].label_from_instance = lambda m: (
            f"{m.user.full_name} — {m.get_role_display()}"
        )


class PassportForm(forms.ModelForm):
    class Meta:
        model = Passport
        fields = Passport.SECTIONS
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in Passport.SECTIONS}


class PlanForm(forms.Form):
    start_date = forms.DateField(widget=DateInput)
    review_date = forms.DateField(widget=DateInput, help_text="Usually about a term later.")
    assessment = forms.CharField(
        label="Assess: what we know",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Assessment evidence, the pupil's strengths and needs.",
    )

    def clean(self):
        cleaned = super().clean()
        start, review = cleaned.get("start_date"), cleaned.get("review_date")
        if start and review and review <= start:
            self.add_error("review_date", "The review date must be after the start date.")
        return cleaned


# An empty first choice, so a row the user left blank counts as unchanged and is ignored.
AREA_CHOICES = [("", "Choose an area"), *Area.choices]


class TargetForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    area = forms.ChoiceField(label="Area of need", choices=AREA_CHOICES)
    description = forms.CharField(
        label="Target",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text="Specific, measurable, achievable, relevant and timed.",
    )
    strategies = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    success_criteria = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    supported_by = forms.CharField(max_length=200, required=False, label="Who supports it")
    frequency = forms.CharField(max_length=100, required=False, label="How often")


TargetFormSet = forms.formset_factory(
    TargetForm,
    extra=1,
    can_delete=True,
    min_num=1,
    validate_min=True,
    max_num=12,
    validate_max=True,
)


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label="Review date", widget=DateInput, initial=timezone.localdate)
    pupil_voice = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    parent_voice = forms.CharField(
        label="Parent/carer voice",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_steps = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = list(targets)
        for target in self.targets:
            self.fields[f"outcome_{target.pk}"] = forms.ChoiceField(
                label="Outcome", choices=TargetOutcome.Outcome.choices, widget=forms.RadioSelect
            )
            self.fields[f"comment_{target.pk}"] = forms.CharField(
                label="Comment",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def target_rows(self):
        return [
            (target, self[f"outcome_{target.pk}"], self[f"comment_{target.pk}"])
            for target in self.targets
        ]


class NextCycleForm(forms.Form):
    start_date = forms.DateField(widget=DateInput, initial=timezone.localdate)
    review_date = forms.DateField(widget=DateInput)


class EhcpForm(forms.ModelForm):
    class Meta:
        model = EhcPlan
        fields = [
            "date_issued",
            "local_authority",
            "la_coordinator",
            "primary_need",
            "funded_hours_per_week",
            "provision_summary",
            "last_review_date",
        ]
        widgets = {
            "date_issued": DateInput,
            "last_review_date": DateInput,
            "provision_summary": forms.Textarea(attrs={"rows": 4}),
        }


class EhcpOutcomeForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    area = forms.ChoiceField(label="Area of need", choices=AREA_CHOICES)
    description = forms.CharField(
        label="Outcome", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


EhcpOutcomeFormSet = forms.formset_factory(
    EhcpOutcomeForm, extra=1, can_delete=True, max_num=20, validate_max=True
)


class ProgressForm(forms.ModelForm):
    class Meta:
        model = OutcomeProgress
        fields = ["recorded_on", "term", "rating", "note"]
        widgets = {"recorded_on": DateInput, "note": forms.Textarea(attrs={"rows": 3})}


class EhcpReviewForm(forms.Form):
    meeting_date = forms.DateField(widget=DateInput, initial=timezone.localdate)
    attendees = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    views_gathered = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Pupil, parents/carers and professionals.",
    )
    recommendations = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    amendments_requested = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class EhcpCeaseForm(forms.Form):
    ceased_on = forms.DateField(label="Ceased on", widget=DateInput, initial=timezone.localdate)
    new_status = forms.ChoiceField(
        label="From then on the pupil is",
        choices=[
            (SenStatus.SUPPORT, "On SEN support (K)"),
            (SenStatus.NONE, "Not on the register (N)"),
        ],
        widget=forms.RadioSelect,
        initial=SenStatus.SUPPORT,
    )
    reason = forms.CharField(max_length=255, required=False)


class AccessArrangementForm(forms.ModelForm):
    class Meta:
        model = AccessArrangement
        fields = [
            "arrangement",
            "assessor",
            "evidence_date",
            "normal_way_of_working",
            "review_date",
            "notes",
        ]
        widgets = {
            "evidence_date": DateInput,
            "review_date": DateInput,
            "normal_way_of_working": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class HealthcarePlanForm(forms.ModelForm):
    class Meta:
        model = HealthcarePlan
        fields = [
            "conditions",
            "symptoms",
            "emergency_procedure",
            "contacts",
            "required_trainings",
            "review_date",
        ]
        widgets = {
            "conditions": forms.Textarea(attrs={"rows": 2}),
            "symptoms": forms.Textarea(attrs={"rows": 2}),
            "emergency_procedure": forms.Textarea(attrs={"rows": 3}),
            "contacts": forms.Textarea(attrs={"rows": 2}),
            "required_trainings": forms.CheckboxSelectMultiple,
            "review_date": DateInput,
        }

    def __init__(self, *args, training_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["required_trainings"].queryset = training_types


class MedicationForm(forms.ModelForm):
    class Meta:
        model = Medication
        fields = [
            "name",
            "dose",
            "route",
            "as_needed",
            "schedule",
            "max_doses_per_day",
            "min_interval_minutes",
            "stock",
            "low_stock_at",
            "supply_expires",
            "instructions",
            "is_active",
        ]
        widgets = {"supply_expires": DateInput, "instructions": forms.Textarea(attrs={"rows": 2})}


class DoseForm(forms.Form):
    """The tablet form: one tap for the outcome, the time defaults to now."""

    outcome = forms.ChoiceField(
        choices=MedicationDose.Outcome.choices,
        widget=forms.RadioSelect,
        initial=MedicationDose.Outcome.GIVEN,
    )
    given_at = forms.DateTimeField(
        label="Time", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    dose = forms.CharField(
        max_length=60, required=False, help_text="Leave blank for the usual dose."
    )
    reason = forms.CharField(max_length=200, required=False, label="Reason (if not given)")
    witnessed_by = forms.ModelChoiceField(queryset=None, required=False)
    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["witnessed_by"].queryset = staff
        self.fields["witnessed_by"].label_from_instance = lambda m: m.user.full_name


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(choices=PupilDocument.Kind.choices)
    title = forms.CharField(max_length=200)
    upload = forms.FileField(
        label="File",
        widget=forms.FileInput,
        help_text="PDF, Word, PowerPoint, Excel, PNG, JPEG, text or CSV; up to 20 MB.",
    )


# --- personal care ----------------------------------------------------------------------


class CarePlanForm(forms.ModelForm):
    class Meta:
        model = CarePlan
        fields = [
            "toileting",
            "hygiene",
            "dressing",
            "eating",
            "mobility",
            "equipment",
            "staff_needed",
            "required_trainings",
            "review_date",
        ]
        widgets = {
            **{
                name: forms.Textarea(attrs={"rows": 2})
                for name in ["toileting", "hygiene", "dressing", "eating", "mobility", "equipment"]
            },
            "required_trainings": forms.CheckboxSelectMultiple,
            "review_date": DateInput,
        }

    def __init__(self, *args, training_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["required_trainings"].queryset = training_types


class CareLogForm(forms.Form):
    """The tablet form: one tap for the kind of care, the time defaults to now."""

    need = forms.ChoiceField(label="Care given", widget=forms.RadioSelect)
    at = forms.DateTimeField(
        label="Time", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    second_adult = forms.ModelChoiceField(queryset=None, required=False)
    note = forms.CharField(max_length=300, required=False)
    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, needs, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = needs
        self.fields["second_adult"].queryset = staff
        self.fields["second_adult"].label_from_instance = lambda m: m.user.full_name


# --- liaison ----------------------------------------------------------------------------


class LiaisonEntryForm(forms.Form):
    on = forms.DateField(label="Date", widget=DateInput, initial=timezone.localdate)
    method = forms.ChoiceField(label="How", choices=LiaisonEntry.Method.choices)
    contact = forms.ModelChoiceField(
        queryset=None, required=False, label="Parent or carer", empty_label="Not a parent/carer"
    )
    agency = forms.ModelChoiceField(
        queryset=None, required=False, label="Agency", empty_label="No agency"
    )
    with_whom = forms.CharField(
        max_length=150, required=False, label="Who (names, if not listed above)"
    )
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)

    def __init__(self, *args, contacts, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts
        self.fields["agency"].queryset = agencies

    def clean(self):
        data = super().clean()
        if not (data.get("contact") or data.get("agency") or data.get("with_whom")):
            raise forms.ValidationError(
                "Say who the liaison was with: a parent or carer, an agency, or their names."
            )
        return data


class LiaisonActionForm(forms.Form):
    description = forms.CharField(label="Follow-up action", max_length=300)
    owner = forms.ModelChoiceField(queryset=None)
    due_on = forms.DateField(label="Due", widget=DateInput)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda m: (
            f"{m.user.full_name} ({m.get_role_display()})"
        )


LiaisonActionFormSet = forms.formset_factory(
    LiaisonActionForm, extra=1, max_num=8, validate_max=True
)


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "kind", "contact_name", "phone", "email", "notes", "is_active"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


INTENSITY_CHOICES = [
    (1, "1 Low-level"),
    (2, "2 Mild"),
    (3, "3 Moderate"),
    (4, "4 High"),
    (5, "5 Crisis"),
]


class BehaviourIncidentForm(forms.Form):
    """The tablet form of the behaviour and regulation log: big buttons for where, the
    trigger and the intensity, the time defaulting to now. The service checks the rules
    (no future times, a physical intervention described) whatever the browser did."""

    occurred_at = forms.DateTimeField(
        label="When",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": "Say when it happened.", "invalid": "Enter a date and time."},
    )
    setting = forms.ChoiceField(
        label="Where",
        choices=BehaviourSetting.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose where it happened.",
            "invalid_choice": "Choose where it happened from the list.",
        },
    )
    lesson = forms.CharField(
        label="Lesson or place",
        max_length=80,
        required=False,
        help_text="e.g. Year 8 science, canteen.",
    )
    trigger = forms.ChoiceField(
        label="Trigger (antecedent)",
        choices=Trigger.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the trigger (or “Not known”).",
            "invalid_choice": "Choose the trigger from the list (or “Not known”).",
        },
    )
    antecedent = forms.CharField(
        label="What happened before",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    behaviour = forms.CharField(
        label="What happened",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Describe what happened."},
    )
    strategy = forms.ChoiceField(label="Strategy used", required=False)
    strategy_helped = forms.ChoiceField(
        label="Did the strategy help?",
        choices=BehaviourIncident.Helped.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    outcome = forms.CharField(
        label="Consequence / outcome",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    intensity = forms.TypedChoiceField(
        label="Intensity",
        choices=INTENSITY_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose an intensity from 1 (low-level) to 5 (a crisis).",
            "invalid_choice": "Choose an intensity from 1 (low-level) to 5 (a crisis).",
        },
    )
    physical_intervention = forms.BooleanField(label="Physical intervention used", required=False)
    physical_intervention_details = forms.CharField(
        label="Details of the physical intervention",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The hold used, by whom, for how long, any injuries, and that parents or "
        "carers were told.",
    )
    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, passport_strategies=(), current_strategy="", **kwargs):
        super().__init__(*args, **kwargs)
        max_length = BehaviourIncident._meta.get_field("strategy").max_length
        choices = [("", "None used / not yet")]
        choices += [(s, s) for s in STANDARD_STRATEGIES]
        known = set(STANDARD_STRATEGIES)
        for strategy in passport_strategies:
            value = strategy[:max_length]
            if value not in known:
                choices.append((value, f"From the passport: {strategy}"))
                known.add(value)
        # A correction keeps a strategy that has since left the passport.
        if current_strategy and current_strategy not in known:
            choices.append((current_strategy, current_strategy))
        self.fields["strategy"].choices = choices
        self.fields["strategy"].error_messages["invalid_choice"] = (
            "Choose the strategy from the list (the standard ones or the pupil's passport)."
        )

    def clean(self):
        # The service checks this too; here it shows with the form's other errors at once.
        cleaned = super().clean()
        if (
            cleaned.get("physical_intervention")
            and not cleaned.get("physical_intervention_details", "").strip()
        ):
            self.add_error(
                "physical_intervention_details",
                "Physical intervention was used: describe the hold, who used it, for how long, "
                "any injuries and that parents or carers were told.",
            )
        return cleaned


class BehaviourCorrectionForm(BehaviourIncidentForm):
    """Correct a logged incident; the reason goes into its history with the earlier version."""

    reason = forms.CharField(
        label="Why the correction",
        max_length=100,
        help_text="e.g. wrong time entered; trigger clarified with the class teacher.",
        error_messages={"required": "Say why the incident is being corrected."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["client_id"]


# --- case studies -----------------------------------------------------------------------


class CaseStudyForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Case study",
        widget=forms.Textarea(attrs={"rows": 14, "data-rich-text": "true"}),
        max_length=50_000,
        help_text="Headings, bold, italics, lists and links are kept; anything else is removed.",
    )
