"""Resource bank, CPD events, personal CPD records, training types and records, and the
specialisms staff turn to for help. Every table carries its own ``school``."""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from sendhub.fields import LimitedTextField
from sendhub.reference import Area, NeedCode
from sendhub.uploads import private_storage


class StrategyType(models.TextChoices):
    VISUAL_TIMETABLE = "VISUAL_TIMETABLE", "Visual timetable"
    NOW_NEXT = "NOW_NEXT", "Now/next board"
    CHUNKED_TASK = "CHUNKED_TASK", "Chunked task"
    SOCIAL_STORY = "SOCIAL_STORY", "Social story"
    SENSORY_BREAK = "SENSORY_BREAK", "Sensory break"
    WORD_BANK = "WORD_BANK", "Word bank / writing frame"
    PRECISION_TEACHING = "PRECISION_TEACHING", "Precision teaching"
    REGULATION = "REGULATION", "Regulation toolkit"
    ASSESSMENT = "ASSESSMENT", "Assessment tool"
    GUIDANCE = "GUIDANCE", "Guidance for staff"
    OTHER = "OTHER", "Other"


class KeyStage(models.TextChoices):
    EYFS = "EYFS", "Early years"
    KS1 = "KS1", "Key stage 1"
    KS2 = "KS2", "Key stage 2"
    KS3 = "KS3", "Key stage 3"
    KS4 = "KS4", "Key stage 4"
    KS5 = "KS5", "Key stage 5"


class Resource(models.Model):
    """A file or link in the school's resource bank."""

    class Kind(models.TextChoices):
        FILE = "FILE", "File"
        LINK = "LINK", "Link"

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    description = LimitedTextField(max_length=2000, blank=True)
    kind = models.CharField(max_length=4, choices=Kind.choices, default=Kind.FILE)
    url = models.URLField("link", blank=True, max_length=500)
    owner = models.ForeignKey(
        "staffing.StaffMember", null=True, on_delete=models.SET_NULL, related_name="resources"
    )
    area = models.CharField("area of need", max_length=4, choices=Area.choices, blank=True)
    need_code = models.CharField("need", max_length=4, choices=NeedCode.choices, blank=True)
    strategy = models.CharField(
        "strategy type", max_length=20, choices=StrategyType.choices, blank=True
    )
    subject = models.CharField(max_length=80, blank=True)
    key_stage = models.CharField(max_length=4, choices=KeyStage.choices, blank=True)
    tags = models.CharField(max_length=200, blank=True, help_text="Comma-separated keywords.")
    shared_with_faculty = models.ForeignKey(
        "staffing.Faculty",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Leave blank to share with all staff.",
    )
    is_retired = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["school", "is_retired", "title"], name="resource_bank_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]


def resource_upload_to(instance, filename: str) -> str:
    # The stored name carries no user input: school, resource and version only.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"resources/{instance.school_id}/{instance.resource_id}/v{instance.version}.{extension}"


class ResourceFile(models.Model):
    """One version of a resource's file; the newest is the current one."""

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="files")
    version = models.PositiveIntegerField()
    file = models.FileField(upload_to=resource_upload_to, storage=private_storage)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        "staffing.StaffMember", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=200, blank=True, help_text="What changed.")

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "version"], name="one_file_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.original_name} (v{self.version})"


class CpdEvent(models.Model):
    """A CPD session: who presents, when, for whom, with which materials."""

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    description = LimitedTextField(max_length=2000, blank=True)
    presenter = models.ForeignKey(
        "staffing.StaffMember",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cpd_presented",
    )
    external_presenter = models.CharField(
        max_length=200, blank=True, help_text="An external agency or trainer."
    )
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    location = models.CharField(max_length=120, blank=True)
    audience_roles = models.CharField(
        max_length=200, blank=True, help_text="Comma-separated roles; blank for everyone."
    )
    audience_faculty = models.ForeignKey(
        "staffing.Faculty", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    materials = models.ManyToManyField(Resource, blank=True, related_name="cpd_events")
    created_by = models.ForeignKey(
        "staffing.StaffMember", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["materials"])

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["school", "starts_at"], name="cpd_calendar_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def role_list(self) -> list[str]:
        return [r.strip() for r in self.audience_roles.split(",") if r.strip()]

    @property
    def audience_label(self) -> str:
        """Who the session is for, in words: "FLS assistants, HLTAs in Science"."""
        from staffing.models import Role

        names = [Role(r).label for r in self.role_list if r in Role.values]
        label = ", ".join(names) if names else "Everyone"
        return f"{label} in {self.audience_faculty}" if self.audience_faculty_id else label

    def clean(self):
        super().clean()
        # Checked here, not in the database: a presenter who later leaves (and whose
        # account is deleted) must not make the event impossible to keep.
        if not self.presenter_id and not self.external_presenter:
            raise ValidationError(
                {"presenter": "Name a presenter: a member of staff or an agency."}
            )

    @property
    def presenter_name(self) -> str:
        if self.presenter_id:
            return self.presenter.user.full_name
        return self.external_presenter or "A former member of staff"


class CpdAttendance(models.Model):
    """A staff member on a CPD event's register, with their feedback afterwards."""

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(CpdEvent, on_delete=models.CASCADE, related_name="attendance")
    staff = models.ForeignKey(
        "staffing.StaffMember", on_delete=models.CASCADE, related_name="cpd_attendance"
    )
    attended = models.BooleanField(default=True)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = LimitedTextField(max_length=1000, blank=True)
    feedback_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "staff"], name="one_attendance_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.staff} at {self.event}"


class CpdRecord(models.Model):
    """A staff member's own CPD: a course, reading, a visit, with their reflection."""

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(
        "staffing.StaffMember", on_delete=models.CASCADE, related_name="cpd_records"
    )
    title = models.CharField(max_length=200)
    completed_on = models.DateField()
    hours = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(200)],
    )
    provider = models.CharField(max_length=200, blank=True)
    reflection = LimitedTextField(
        max_length=2000, blank=True, help_text="What you learnt and how you will use it."
    )

    class Meta:
        ordering = ["-completed_on"]

    def __str__(self) -> str:
        return self.title


class TrainingType(models.Model):
    """A kind of training some duties require (medication, moving and handling …)."""

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=120)
    description = LimitedTextField(max_length=1000, blank=True)
    validity_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="How long it stays valid; blank if it never expires.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="training_type_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def expiry_for(self, completed_on):
        if self.validity_months is None:
            return None
        return completed_on + relativedelta(months=self.validity_months)


def certificate_upload_to(instance, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return (
        f"certificates/{instance.school_id}/{instance.staff_id}/"
        f"{instance.training_type_id}-{instance.completed_on:%Y%m%d}.{extension}"
    )


class TrainingRecord(models.Model):
    """A member of staff completed a training on a date; valid until ``expires_on``."""

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(
        "staffing.StaffMember", on_delete=models.CASCADE, related_name="training_records"
    )
    training_type = models.ForeignKey(
        TrainingType, on_delete=models.PROTECT, related_name="records"
    )
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    provider = models.CharField(max_length=200, blank=True)
    certificate = models.FileField(
        upload_to=certificate_upload_to, storage=private_storage, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "training_type", "completed_on"],
                name="one_training_record_per_day",
                violation_error_message="This training is already recorded on that date.",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("completed_on")),
                name="training_expires_after_completion",
                violation_error_message="The expiry must be after the completion date.",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "training_type", "expires_on"], name="training_idx")
        ]

    def __str__(self) -> str:
        return f"{self.training_type} — {self.staff}"

    def clean(self):
        super().clean()
        if self.completed_on and self.completed_on > timezone.localdate():
            raise ValidationError({"completed_on": "The completion date cannot be in the future."})


class Specialism(models.Model):
    """An area a specialist holds for the school (Literacy, Numeracy, SEMH …)."""

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=120)
    area = models.CharField("area of need", max_length=4, choices=Area.choices, blank=True)
    holder = models.ForeignKey(
        "staffing.StaffMember",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="specialisms",
    )
    description = LimitedTextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="specialism_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class SupportRequest(models.Model):
    """A colleague asks a specialist for support or training."""

    class Kind(models.TextChoices):
        SUPPORT = "SUPPORT", "Support with a pupil or class"
        TRAINING = "TRAINING", "Training or CPD"
        RESOURCE = "RESOURCE", "A resource"

    class Status(models.TextChoices):
        OPEN = "OPEN", "Open"
        IN_PROGRESS = "IN_PROGRESS", "In progress"
        DONE = "DONE", "Done"
        DECLINED = "DECLINED", "Declined"

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    specialism = models.ForeignKey(Specialism, on_delete=models.CASCADE, related_name="requests")
    requested_by = models.ForeignKey(
        "staffing.StaffMember", on_delete=models.CASCADE, related_name="support_requests"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SUPPORT)
    message = LimitedTextField(max_length=2000)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    response = LimitedTextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.specialism}"
