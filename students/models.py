"""The pupil record: the SEND register, needs, passports, SEN support plans and EHC plans.

Every table carries its own ``school`` (DESIGN.md "Tenancy"); services set it from the
parent and ``clean()`` checks it matches.
"""

import uuid
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.gb import upn as upn_check

# The census and Code of Practice reference data lives with the plumbing every app shares.
from sendhub.fields import LimitedTextField
from sendhub.html import safe_html
from sendhub.reference import AREA_OF_NEED, Area, NeedCode, area_of, codes_in_area
from sendhub.uploads import private_storage

__all__ = ["AREA_OF_NEED", "Area", "NeedCode", "area_of", "codes_in_area"]


class SenStatus(models.TextChoices):
    """School census SEN provision."""

    NONE = "N", "No SEN"
    SUPPORT = "K", "SEN support"
    EHCP = "E", "EHC plan"


YEAR_GROUPS = [(0, "Reception")] + [(n, f"Year {n}") for n in range(1, 14)]


def validate_upn(value: str) -> None:
    try:
        upn_check.validate(value)
    except StdnumError as error:
        raise ValidationError(
            "This is not a valid UPN: 13 characters, starting with the check letter "
            f"({error.message.rstrip('.')})."
        ) from error


class Pupil(models.Model):
    """A pupil of the school, on the SEND register (K or E) or not (N)."""

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="pupils")
    upn = models.CharField(
        "UPN", max_length=13, validators=[validate_upn], help_text="Unique pupil number."
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    year_group = models.SmallIntegerField(choices=YEAR_GROUPS)
    tutor_group = models.CharField(max_length=20, blank=True)
    sen_status = models.CharField(
        "SEN status", max_length=1, choices=SenStatus.choices, default=SenStatus.NONE
    )
    pupil_premium = models.BooleanField(default=False)
    eal = models.BooleanField("EAL", default=False, help_text="English as an additional language")
    looked_after = models.BooleanField(default=False, help_text="Looked-after child")
    is_active = models.BooleanField(default=True, help_text="Untick when the pupil leaves.")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "upn"], name="pupil_upn_unique_in_school"),
        ]
        indexes = [
            models.Index(fields=["school", "sen_status", "last_name"], name="pupil_register_idx"),
            models.Index(fields=["school", "year_group"], name="pupil_year_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean(self):
        super().clean()
        self.upn = (self.upn or "").strip().upper()

    @property
    def full_name(self) -> str:
        first = self.preferred_name or self.first_name
        return f"{first} {self.last_name}"

    @property
    def on_register(self) -> bool:
        return self.sen_status != SenStatus.NONE


class RegisterPeriod(models.Model):
    """A span of time on the SEND register at one status; the history of entering,
    changing status and leaving the register."""

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="register_periods")
    status = models.CharField(
        max_length=1, choices=[(SenStatus.SUPPORT, "SEN support"), (SenStatus.EHCP, "EHC plan")]
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"],
                condition=Q(ended_on__isnull=True),
                name="one_open_register_period",
                violation_error_message="Only one span on the register can be open (no end date).",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="register_period_ends_after_start",
                violation_error_message="A span on the register cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        end = f"{self.ended_on:%d/%m/%Y}" if self.ended_on else "now"
        return f"{self.get_status_display()} from {self.started_on:%d/%m/%Y} to {end}"


class PupilNeed(models.Model):
    """A need recorded with its census type code and rank (1 primary, 2 secondary)."""

    PRIMARY, SECONDARY = 1, 2

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="needs")
    code = models.CharField("type of need", max_length=4, choices=NeedCode.choices)
    rank = models.PositiveSmallIntegerField(
        choices=[(PRIMARY, "Primary"), (SECONDARY, "Secondary")], default=PRIMARY
    )
    descriptor = models.CharField(
        max_length=120, blank=True, help_text="In everyday words, e.g. ADHD, dyslexia, anxiety."
    )
    notes = LimitedTextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["rank", "code"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "rank"], name="one_need_per_rank"),
            models.UniqueConstraint(fields=["pupil", "code"], name="need_code_once_per_pupil"),
            models.CheckConstraint(
                condition=Q(rank__in=[1, 2]),
                name="need_rank_1_or_2",
                violation_error_message="A need is primary (1) or secondary (2).",
            ),
        ]
        indexes = [models.Index(fields=["school", "code", "rank"], name="need_code_idx")]

    def __str__(self) -> str:
        return f"{self.code} ({self.get_rank_display().lower()})"

    @property
    def area(self) -> Area | None:
        return area_of(self.code)


class StaffPupilLink(models.Model):
    """A member of staff who works with a pupil, and why. Access rules read this: assistants
    see the pupils linked to them, teachers the passports of pupils linked to them. The
    timetable writes them (staffing.deployment): allocations, a class's teacher, cover on the
    day. A direct link is the SENDCo's deliberate exception (a pupil the timetable does not
    show, such as an HLTA's caseload before intervention groups exist)."""

    class Source(models.TextChoices):
        DIRECT = "DIRECT", "Linked by the SENDCo"
        CLASS = "CLASS", "Teaches or supports the pupil's class"
        ALLOCATION = "ALLOCATION", "Allocated on the timetable"
        COVER = "COVER", "Covering an absence"

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(
        "staffing.StaffMember", on_delete=models.CASCADE, related_name="pupil_links"
    )
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="staff_links")
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.DIRECT)
    valid_until = models.DateField(null=True, blank=True, help_text="Blank: until removed.")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "pupil", "source"], name="one_link_per_source"
            ),
        ]
        indexes = [models.Index(fields=["school", "staff"], name="link_staff_idx")]

    def __str__(self) -> str:
        return f"{self.staff} → {self.pupil}"


class Passport(models.Model):
    """The one-page profile a teacher or supply teacher reads before the lesson."""

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    pupil = models.OneToOneField(Pupil, on_delete=models.CASCADE, related_name="passport")
    about_me = LimitedTextField("About me", blank=True, max_length=1000)
    strengths = LimitedTextField("My strengths", blank=True, max_length=1000)
    what_helps = LimitedTextField("What helps me", blank=True, max_length=1000)
    what_does_not_help = LimitedTextField("What doesn't help me", blank=True, max_length=1000)
    triggers = LimitedTextField("Things that can upset me", blank=True, max_length=1000)
    regulation_strategies = LimitedTextField("How to help me regulate", blank=True, max_length=1000)
    communication = LimitedTextField("How I communicate", blank=True, max_length=1000)
    sensory_needs = LimitedTextField("Sensory needs", blank=True, max_length=1000)
    pupil_voice = LimitedTextField("In my own words", blank=True, max_length=1000)
    parent_voice = LimitedTextField("What my parents or carers say", blank=True, max_length=1000)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    SECTIONS = [
        "about_me",
        "strengths",
        "what_helps",
        "what_does_not_help",
        "triggers",
        "regulation_strategies",
        "communication",
        "sensory_needs",
        "pupil_voice",
        "parent_voice",
    ]

    def __str__(self) -> str:
        return f"Passport of {self.pupil}"

    def sections(self) -> list[tuple[str, str]]:
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name)) for name in self.SECTIONS
        ]


class SupportPlan(models.Model):
    """An IEP under SEN support: one Assess-Plan-Do-Review cycle.

    Drafted (by an HLTA or PSO), submitted, approved by the SENDCo (then active), reviewed,
    closed. "Start next cycle" makes the next plan from this one.
    """

    class Status(models.TextChoices):
        DRAFT = "DRAFT", "Draft"
        SUBMITTED = "SUBMITTED", "Awaiting approval"
        ACTIVE = "ACTIVE", "Active"
        REVIEWED = "REVIEWED", "Reviewed"
        CLOSED = "CLOSED", "Closed"

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="plans")
    cycle = models.PositiveSmallIntegerField(default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_plan"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    assessment = LimitedTextField(
        "Assess: what we know", blank=True, help_text="Assessment evidence and the pupil's needs."
    )
    start_date = models.DateField()
    review_date = models.DateField(help_text="Usually a term after the start.")
    drafted_by = models.ForeignKey(
        "staffing.StaffMember", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        "staffing.StaffMember", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-cycle", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"],
                condition=Q(status="ACTIVE"),
                name="one_active_plan_per_pupil",
                violation_error_message="A pupil can have only one active plan.",
            ),
            models.UniqueConstraint(fields=["pupil", "cycle"], name="one_plan_per_cycle"),
            models.CheckConstraint(
                condition=Q(review_date__gt=models.F("start_date")),
                name="plan_review_after_start",
                violation_error_message="The review date must be after the start date.",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "status", "review_date"], name="plan_review_idx"),
        ]

    def __str__(self) -> str:
        return f"SEN support plan {self.cycle} for {self.pupil}"

    def clean(self):
        super().clean()
        if self.start_date and self.review_date and self.review_date <= self.start_date:
            raise ValidationError({"review_date": "The review date must be after the start date."})

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.ACTIVE and self.review_date < timezone.localdate()

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SUBMITTED)


class PlanTarget(models.Model):
    """A SMART target of a plan, tied to an area of need."""

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="targets")
    area = models.CharField("area of need", max_length=4, choices=Area.choices)
    description = LimitedTextField("target", help_text="Specific, measurable, achievable, timed.")
    strategies = LimitedTextField(blank=True, help_text="What adults will do.")
    success_criteria = LimitedTextField(blank=True, help_text="How we will know it is met.")
    supported_by = models.CharField(max_length=200, blank=True, help_text="Who supports it.")
    frequency = models.CharField(
        max_length=100, blank=True, help_text="e.g. 3 sessions of 20 minutes a week"
    )
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.description[:60]


class PlanReview(models.Model):
    """The Review of Assess-Plan-Do-Review: outcome per target, voices, next steps."""

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    plan = models.OneToOneField(SupportPlan, on_delete=models.CASCADE, related_name="review")
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey(
        "staffing.StaffMember", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    pupil_voice = LimitedTextField(blank=True)
    parent_voice = LimitedTextField("Parent/carer voice", blank=True)
    next_steps = LimitedTextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Review of {self.plan}"


class TargetOutcome(models.Model):
    class Outcome(models.TextChoices):
        NOT_ACHIEVED = "NOT", "Not achieved"
        PARTLY = "PARTLY", "Partly achieved"
        ACHIEVED = "ACHIEVED", "Achieved"
        EXCEEDED = "EXCEEDED", "Exceeded"

    UNMET = (Outcome.NOT_ACHIEVED, Outcome.PARTLY)

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(PlanReview, on_delete=models.CASCADE, related_name="outcomes")
    target = models.OneToOneField(PlanTarget, on_delete=models.CASCADE, related_name="outcome")
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    comment = LimitedTextField(blank=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.get_outcome_display()


class EhcPlan(models.Model):
    """An Education, Health and Care plan issued by the local authority."""

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    pupil = models.OneToOneField(Pupil, on_delete=models.CASCADE, related_name="ehcp")
    date_issued = models.DateField()
    local_authority = models.CharField(max_length=120)
    la_coordinator = models.CharField("LA coordinator", max_length=120, blank=True)
    primary_need = models.CharField(max_length=4, choices=NeedCode.choices)
    provision_summary = LimitedTextField(
        "Section F: funded provision",
        blank=True,
        max_length=4000,
        help_text="What the plan says must be provided.",
    )
    funded_hours_per_week = models.DecimalField(
        "hours of adult support a week",
        max_digits=4,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(40)],
        help_text="Funded one-to-one or small-group adult support, in hours a week.",
    )
    last_review_date = models.DateField(null=True, blank=True)
    ceased_on = models.DateField(
        null=True, blank=True, help_text="When the local authority ceased to maintain the plan."
    )
    next_review_date = models.DateField(
        "annual review due", help_text="12 months after the last review (or the issue date)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    PAPERWORK_NOTICE = relativedelta(weeks=2)

    class Meta:
        verbose_name = "EHC plan"
        constraints = [
            models.CheckConstraint(
                condition=Q(funded_hours_per_week__gte=0) & Q(funded_hours_per_week__lte=40),
                name="ehcp_hours_0_to_40",
                violation_error_message="Funded hours must be between 0 and 40 a week.",
            ),
        ]
        indexes = [models.Index(fields=["school", "next_review_date"], name="ehcp_review_idx")]

    def __str__(self) -> str:
        return f"EHC plan for {self.pupil}"

    @staticmethod
    def review_due_after(last: date) -> date:
        return last + relativedelta(months=12)

    @property
    def paperwork_due(self) -> date:
        """Review paperwork goes out at least two weeks before the meeting."""
        return self.next_review_date - self.PAPERWORK_NOTICE

    @property
    def is_overdue(self) -> bool:
        return self.is_current and self.next_review_date < timezone.localdate()

    @property
    def is_current(self) -> bool:
        return self.ceased_on is None


class EhcpOutcome(models.Model):
    """A Section E outcome of the EHC plan."""

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    ehcp = models.ForeignKey(EhcPlan, on_delete=models.CASCADE, related_name="outcomes")
    area = models.CharField("area of need", max_length=4, choices=Area.choices)
    description = LimitedTextField("outcome")
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.description[:60]


class OutcomeProgress(models.Model):
    """A termly note of progress towards an EHCP outcome."""

    class Rating(models.TextChoices):
        NONE = "NONE", "No progress yet"
        SOME = "SOME", "Some progress"
        GOOD = "GOOD", "Good progress"
        MET = "MET", "Outcome met"

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    outcome = models.ForeignKey(EhcpOutcome, on_delete=models.CASCADE, related_name="progress")
    recorded_on = models.DateField()
    term = models.CharField(max_length=40, help_text="e.g. Autumn 2026")
    rating = models.CharField(max_length=4, choices=Rating.choices)
    note = LimitedTextField(blank=True)
    recorded_by = models.ForeignKey(
        "staffing.StaffMember", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.term}: {self.get_rating_display()}"


class EhcpReview(models.Model):
    """An annual review meeting of the EHC plan."""

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    ehcp = models.ForeignKey(EhcPlan, on_delete=models.CASCADE, related_name="reviews")
    meeting_date = models.DateField()
    attendees = LimitedTextField()
    views_gathered = LimitedTextField(
        "views gathered", blank=True, help_text="Pupil, parents/carers and professionals."
    )
    recommendations = LimitedTextField(blank=True)
    amendments_requested = LimitedTextField(blank=True)
    recorded_by = models.ForeignKey(
        "staffing.StaffMember", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-meeting_date"]
        verbose_name = "EHCP annual review"

    def __str__(self) -> str:
        return f"Annual review on {self.meeting_date:%d/%m/%Y}"


class Arrangement(models.TextChoices):
    """JCQ access arrangements."""

    EXTRA_TIME_25 = "EXTRA_TIME_25", "Extra time (25%)"
    EXTRA_TIME_50 = "EXTRA_TIME_50", "Extra time (up to 50%)"
    EXTRA_TIME_OVER_50 = "EXTRA_TIME_OVER_50", "Extra time (over 50%)"
    REST_BREAKS = "REST_BREAKS", "Supervised rest breaks"
    READER = "READER", "Reader"
    COMPUTER_READER = "COMPUTER_READER", "Computer reader"
    READ_ALOUD = "READ_ALOUD", "Read aloud"
    SCRIBE = "SCRIBE", "Scribe"
    VOICE_RECOGNITION = "VOICE_RECOGNITION", "Voice recognition"
    WORD_PROCESSOR = "WORD_PROCESSOR", "Word processor"
    TRANSCRIPT = "TRANSCRIPT", "Transcript"
    PROMPTER = "PROMPTER", "Prompter"
    OLM = "OLM", "Oral language modifier"
    SIGN_LANGUAGE = "SIGN_LANGUAGE", "Sign language interpreter"
    PRACTICAL_ASSISTANT = "PRACTICAL_ASSISTANT", "Practical assistant"
    MODIFIED_PAPERS = "MODIFIED_PAPERS", "Modified papers"
    SEPARATE_INVIGILATION = "SEPARATE_INVIGILATION", "Separate invigilation"
    BILINGUAL_DICTIONARY = "BILINGUAL_DICTIONARY", "Bilingual dictionary"
    EARLY_OPENING = "EARLY_OPENING", "Early opening of papers"


def exam_year_end(on: date) -> date:
    """The last day of the exam year (September to August) that ``on`` falls in."""
    return date(on.year if on.month < 9 else on.year + 1, 8, 31)


class AccessArrangement(models.Model):
    """An exam access arrangement with its evidence, approval and review date."""

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="access_arrangements")
    arrangement = models.CharField(max_length=24, choices=Arrangement.choices)
    assessor = models.CharField(
        max_length=120, help_text="Who assessed the need (e.g. a specialist assessor)."
    )
    evidence_date = models.DateField(help_text="When the evidence was gathered or assessed.")
    normal_way_of_working = LimitedTextField(
        blank=True, help_text="How the pupil works in class, which the arrangement reflects."
    )
    approved_by = models.ForeignKey(
        "staffing.StaffMember", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_on = models.DateField(null=True, blank=True)
    review_date = models.DateField(help_text="Arrangements are reviewed each exam year.")
    notes = LimitedTextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["arrangement"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "arrangement"],
                name="arrangement_once_per_pupil",
                violation_error_message="This pupil already has that arrangement.",
            ),
            models.CheckConstraint(
                condition=Q(review_date__gt=models.F("evidence_date")),
                name="arrangement_review_after_evidence",
                violation_error_message="The review date must be after the evidence date.",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "arrangement"], name="arrangement_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_arrangement_display()} for {self.pupil}"

    @property
    def is_approved(self) -> bool:
        return self.approved_on is not None

    @property
    def review_due_this_exam_year(self) -> bool:
        return self.review_date <= exam_year_end(timezone.localdate())


class RestrictedAccess(models.Model):
    """Who opened a restricted section of a pupil's record (health, care, behaviour,
    liaison, documents), and when. Written by the pages, never changed afterwards."""

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="restricted_reads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(max_length=20)
    section = models.CharField(max_length=40)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["school", "pupil", "-at"], name="restricted_read_idx")]

    def __str__(self) -> str:
        return f"{self.section} of {self.pupil_id} read by {self.user_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("The access log is append-only.")
        super().save(*args, **kwargs)


class HealthcarePlan(models.Model):
    """The pupil's individual healthcare plan."""

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    pupil = models.OneToOneField(Pupil, on_delete=models.CASCADE, related_name="healthcare_plan")
    conditions = LimitedTextField(help_text="Diagnosed conditions, e.g. epilepsy, asthma.")
    symptoms = LimitedTextField("symptoms to watch for", blank=True)
    emergency_procedure = LimitedTextField(blank=True)
    contacts = LimitedTextField(
        blank=True, help_text="Parents/carers, GP, specialist nurse, with phone numbers."
    )
    required_trainings = models.ManyToManyField(
        "cpd.TrainingType",
        blank=True,
        related_name="+",
        help_text="Training staff must hold to give this pupil's medication or care.",
    )
    review_date = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["required_trainings"])

    def __str__(self) -> str:
        return f"Healthcare plan of {self.pupil}"


class Medication(models.Model):
    """A medicine held for the pupil, with its limits and the school's supply."""

    class Route(models.TextChoices):
        ORAL = "ORAL", "By mouth"
        INHALED = "INHALED", "Inhaler"
        INJECTION = "INJECTION", "Injection (e.g. auto-injector)"
        BUCCAL = "BUCCAL", "Buccal / nasal"
        TOPICAL = "TOPICAL", "On the skin"
        OTHER = "OTHER", "Other"

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="medications")
    name = models.CharField(max_length=120)
    dose = models.CharField(max_length=60, help_text="e.g. 5 ml, 2 puffs, 10 mg")
    route = models.CharField(max_length=10, choices=Route.choices, default=Route.ORAL)
    as_needed = models.BooleanField("as needed (PRN)", default=False)
    schedule = models.CharField(max_length=120, blank=True, help_text="e.g. 12:30 daily")
    max_doses_per_day = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(24)], default=1
    )
    min_interval_minutes = models.PositiveSmallIntegerField(
        "minimum minutes between doses",
        validators=[MinValueValidator(0), MaxValueValidator(1440)],
        default=240,
    )
    stock = models.PositiveIntegerField("doses in stock", default=0)
    low_stock_at = models.PositiveIntegerField("flag when stock is at or below", default=5)
    supply_expires = models.DateField("supply expires", null=True, blank=True)
    instructions = LimitedTextField(blank=True)
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} {self.dose}"

    @property
    def is_low_stock(self) -> bool:
        return self.stock <= self.low_stock_at

    @property
    def supply_expiring(self) -> bool:
        return self.supply_expires is not None and self.supply_expires <= (
            timezone.localdate() + relativedelta(days=30)
        )


class MedicationDose(models.Model):
    """One entry of the administration log."""

    class Outcome(models.TextChoices):
        GIVEN = "GIVEN", "Given"
        REFUSED = "REFUSED", "Refused"
        NOT_GIVEN = "NOT_GIVEN", "Not given"

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    medication = models.ForeignKey(Medication, on_delete=models.PROTECT, related_name="doses")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason = models.CharField(max_length=200, blank=True)
    given_at = models.DateTimeField()
    dose = models.CharField(max_length=60)
    given_by = models.ForeignKey("staffing.StaffMember", on_delete=models.PROTECT, related_name="+")
    witnessed_by = models.ForeignKey(
        "staffing.StaffMember", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    client_id = models.UUIDField(
        unique=True, null=True, blank=True, help_text="Set by the tablet; a retry stores once."
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-given_at"]
        indexes = [models.Index(fields=["school", "medication", "-given_at"], name="dose_idx")]

    def __str__(self) -> str:
        return f"{self.medication} {self.get_outcome_display().lower()} at {self.given_at}"


def document_upload_to(instance, filename: str) -> str:
    # The stored name carries no user input; the original name is kept in the row.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return (
        f"pupil-documents/{instance.school_id}/{instance.pupil_id}/{uuid.uuid4().hex}.{extension}"
    )


class PupilDocument(models.Model):
    """A report, draft plan or form about the pupil, stored privately."""

    class Kind(models.TextChoices):
        AGENCY_REPORT = "AGENCY_REPORT", "Report from an agency"
        EHCP_DRAFT = "EHCP_DRAFT", "EHC plan or draft"
        CONSENT = "CONSENT", "Consent form"
        ASSESSMENT = "ASSESSMENT", "Assessment"
        OTHER = "OTHER", "Other"

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=document_upload_to, storage=private_storage)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        "staffing.StaffMember", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def body_html(self):
        return safe_html(self.body)


# --- personal care and moving & handling (restricted) -----------------------------------


class CareNeed(models.TextChoices):
    TOILETING = "TOILETING", "Toileting"
    HYGIENE = "HYGIENE", "Hygiene"
    DRESSING = "DRESSING", "Dressing"
    EATING = "EATING", "Eating and drinking"
    MOBILITY = "MOBILITY", "Mobility and moving & handling"


class CarePlan(models.Model):
    """The personal care and moving & handling plan: what help the pupil needs, with what
    equipment, how many adults, and the training those adults must hold."""

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    pupil = models.OneToOneField(Pupil, on_delete=models.CASCADE, related_name="care_plan")
    toileting = LimitedTextField(blank=True, help_text="Blank if no help is needed.")
    hygiene = LimitedTextField(blank=True)
    dressing = LimitedTextField(blank=True)
    eating = LimitedTextField("eating and drinking", blank=True)
    mobility = LimitedTextField("mobility and moving & handling", blank=True)
    equipment = LimitedTextField(blank=True, help_text="e.g. hoist, changing bench, sling size.")
    staff_needed = models.PositiveSmallIntegerField(
        "adults needed",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text="How many adults each care task needs.",
    )
    required_trainings = models.ManyToManyField(
        "cpd.TrainingType",
        blank=True,
        related_name="+",
        help_text="Training staff must hold to give this pupil's personal care.",
    )
    review_date = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["required_trainings"])

    NEED_FIELDS = {
        CareNeed.TOILETING: "toileting",
        CareNeed.HYGIENE: "hygiene",
        CareNeed.DRESSING: "dressing",
        CareNeed.EATING: "eating",
        CareNeed.MOBILITY: "mobility",
    }

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(staff_needed__gte=1, staff_needed__lte=4),
                name="care_plan_staff_1_to_4",
                violation_error_message="A care task needs between one and four adults.",
            ),
        ]

    def __str__(self) -> str:
        return f"Care plan of {self.pupil}"

    def needs(self) -> list[tuple[str, str, str]]:
        """(code, label, how) for each kind of care the pupil needs help with."""
        return [
            (code, CareNeed(code).label, getattr(self, name))
            for code, name in self.NEED_FIELDS.items()
            if getattr(self, name)
        ]


class CareLogEntry(models.Model):
    """One piece of personal care given, logged in a few taps."""

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="care_log")
    need = models.CharField("care given", max_length=10, choices=CareNeed.choices)
    at = models.DateTimeField("time")
    given_by = models.ForeignKey("staffing.StaffMember", on_delete=models.PROTECT, related_name="+")
    second_adult = models.ForeignKey(
        "staffing.StaffMember", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    client_id = models.UUIDField(
        unique=True, null=True, blank=True, help_text="Set by the tablet; a retry stores once."
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "care log entries"
        indexes = [models.Index(fields=["school", "pupil", "-at"], name="care_log_idx")]

    def __str__(self) -> str:
        return f"{self.get_need_display()} for {self.pupil_id} at {self.at}"


# --- behaviour and regulation (restricted) ----------------------------------------------


class BehaviourSetting(models.TextChoices):
    LESSON = "LESSON", "In a lesson"
    CORRIDOR = "CORRIDOR", "Corridor / moving between lessons"
    BREAK = "BREAK", "Break"
    LUNCH = "LUNCH", "Lunch"
    BEFORE_SCHOOL = "BEFORE_SCHOOL", "Before school"
    AFTER_SCHOOL = "AFTER_SCHOOL", "After school"
    INTERVENTION = "INTERVENTION", "Intervention or small group"
    TRIP = "TRIP", "Trip or visit"
    OTHER = "OTHER", "Somewhere else"


class Trigger(models.TextChoices):
    DEMAND = "DEMAND", "Task or demand placed"
    TRANSITION = "TRANSITION", "Transition or change of activity"
    CHANGE = "CHANGE", "Unexpected change to routine"
    SENSORY = "SENSORY", "Noise or sensory overload"
    PEER = "PEER", "Conflict with a peer"
    ADULT = "ADULT", "Instruction or correction from an adult"
    UNSTRUCTURED = "UNSTRUCTURED", "Unstructured time"
    TIRED_HUNGRY = "TIRED_HUNGRY", "Tired, hungry or unwell"
    UNKNOWN = "UNKNOWN", "Not known"
    OTHER = "OTHER", "Other"


# The regulation strategies staff reach for; a pupil's passport adds their own.
STANDARD_STRATEGIES = [
    "Movement break",
    "Quiet space",
    "Now/next board",
    "Sensory tool (fidget, ear defenders)",
    "Time-out card",
    "Choice of two",
    "Reduced demand / task broken down",
    "Calm adult, fewer words",
    "Distraction or humour",
    "Breathing or counting",
    "Trusted adult called",
]


class BehaviourIncident(models.Model):
    """An incident in the behaviour and regulation log: antecedent → behaviour →
    consequence, with the strategy used and whether it helped."""

    class Helped(models.TextChoices):
        YES = "YES", "Helped"
        PARTLY = "PARTLY", "Helped a little"
        NO = "NO", "Did not help"

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="behaviour_incidents")
    occurred_at = models.DateTimeField("when")
    setting = models.CharField(max_length=14, choices=BehaviourSetting.choices)
    lesson = models.CharField(
        "lesson or place", max_length=80, blank=True, help_text="e.g. Year 8 science, canteen."
    )
    trigger = models.CharField("antecedent (trigger)", max_length=14, choices=Trigger.choices)
    antecedent = models.CharField("what happened before", max_length=500, blank=True)
    behaviour = LimitedTextField("what happened", max_length=2000)
    strategy = models.CharField("strategy used", max_length=120, blank=True)
    strategy_helped = models.CharField(
        "did the strategy help", max_length=6, choices=Helped.choices, blank=True
    )
    outcome = models.CharField("consequence / outcome", max_length=500, blank=True)
    intensity = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 low-level, 5 a crisis.",
    )
    physical_intervention = models.BooleanField("physical intervention used", default=False)
    physical_intervention_details = LimitedTextField(
        blank=True,
        max_length=2000,
        help_text="Required when physical intervention was used: hold used, by whom, how long, "
        "injuries, and that parents were told.",
    )
    recorded_by = models.ForeignKey(
        "staffing.StaffMember", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_id = models.UUIDField(
        unique=True, null=True, blank=True, help_text="Set by the tablet; a retry stores once."
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(intensity__gte=1, intensity__lte=5),
                name="incident_intensity_1_to_5",
                violation_error_message="Intensity is from 1 to 5.",
            ),
            models.CheckConstraint(
                condition=Q(physical_intervention=False) | ~Q(physical_intervention_details=""),
                name="incident_physical_intervention_detailed",
                violation_error_message="Describe the physical intervention that was used.",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "pupil", "-occurred_at"], name="incident_pupil_idx"),
            models.Index(fields=["school", "-occurred_at"], name="incident_school_idx"),
        ]

    def __str__(self) -> str:
        return f"Incident for {self.pupil_id} at {self.occurred_at}"


# --- contacts, agencies and the liaison log (restricted) --------------------------------


class PupilContact(models.Model):
    """A parent or carer (or other contact) of the pupil, usually imported from the MIS."""

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=120)
    relationship = models.CharField(max_length=60, help_text="e.g. Mother, Foster carer.")
    priority = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    parental_responsibility = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["priority", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "name"],
                name="contact_name_once_per_pupil",
                violation_error_message="This pupil already has a contact of that name.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})"


class Agency(models.Model):
    """An external agency in the school's directory."""

    class Kind(models.TextChoices):
        EP = "EP", "Educational psychology"
        SALT = "SALT", "Speech and language therapy"
        OT = "OT", "Occupational therapy"
        CAMHS = "CAMHS", "CAMHS"
        SENSORY = "SENSORY", "Sensory support"
        SOCIAL_CARE = "SOCIAL_CARE", "Social care"
        SCHOOL_NURSE = "SCHOOL_NURSE", "School nurse"
        PHYSIO = "PHYSIO", "Physiotherapy"
        OTHER = "OTHER", "Other"

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    contact_name = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    notes = LimitedTextField(blank=True, max_length=1000)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"],
                name="agency_name_unique_in_school",
                violation_error_message="The directory already has an agency of that name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LiaisonEntry(models.Model):
    """A conversation with parents/carers or an agency about the pupil."""

    class Method(models.TextChoices):
        MEETING = "MEETING", "Meeting in person"
        PHONE = "PHONE", "Phone call"
        VIDEO = "VIDEO", "Video call"
        EMAIL = "EMAIL", "E-mail"
        LETTER = "LETTER", "Letter"
        HOME_VISIT = "HOME_VISIT", "Home visit"
        OTHER = "OTHER", "Other"

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="liaison_entries")
    on = models.DateField("date")
    contact = models.ForeignKey(
        PupilContact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    with_whom = models.CharField(
        "who", max_length=150, blank=True, help_text="Names of the people, if not listed."
    )
    method = models.CharField("how", max_length=10, choices=Method.choices)
    summary = LimitedTextField(max_length=4000)
    recorded_by = models.ForeignKey(
        "staffing.StaffMember", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name_plural = "liaison entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(contact__isnull=False) | Q(agency__isnull=False) | ~Q(with_whom=""),
                name="liaison_with_someone",
                violation_error_message="Say who the liaison was with.",
            ),
        ]
        indexes = [models.Index(fields=["school", "pupil", "-on"], name="liaison_pupil_idx")]

    def __str__(self) -> str:
        return f"Liaison about {self.pupil_id} on {self.on}"

    @property
    def who(self) -> str:
        names = [str(x) for x in (self.contact, self.agency) if x is not None]
        if self.with_whom:
            names.append(self.with_whom)
        return ", ".join(names)


class LiaisonAction(models.Model):
    """A follow-up action from a liaison entry, on its owner's list until done."""

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(LiaisonEntry, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(
        "staffing.StaffMember", on_delete=models.PROTECT, related_name="liaison_actions"
    )
    due_on = models.DateField("due")
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        "staffing.StaffMember", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["school", "owner", "due_on"],
                condition=Q(done_on__isnull=True),
                name="liaison_action_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_overdue(self) -> bool:
        return self.done_on is None and self.due_on < timezone.localdate()


# --- case studies -----------------------------------------------------------------------


class CaseStudy(models.Model):
    """A case study of a high-needs pupil, written by the staff who support them with the
    SENDCo. The body is rich text, sanitised on the way in."""

    school = models.ForeignKey("staffing.School", on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="case_studies")
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Sanitised HTML.")
    written_by = models.ForeignKey(
        "staffing.StaffMember", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_by = models.ForeignKey(
        "staffing.StaffMember",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The SENDCo who agreed the final version.",
    )
    agreed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name_plural = "case studies"

    def __str__(self) -> str:
        return self.title

    @property
    def body_html(self):
        return safe_html(self.body)
