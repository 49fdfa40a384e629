"""Schools (the tenants), users and the staff membership that gives a user a role in a school."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from sendhub.reference import Area


class Role(models.TextChoices):
    SENDCO = "SENDCO", "SENDCo"
    PSO = "PSO", "Progress Support Officer"
    HLTA = "HLTA", "Higher Level Teaching Assistant"
    FLS = "FLS", "Faculty Learning Support assistant"
    ONE_TO_ONE = "ONE_TO_ONE", "1:1 SEND assistant"
    TEACHER = "TEACHER", "Teacher"
    SLT = "SLT", "Senior leadership"
    DATA_MANAGER = "DATA_MANAGER", "Data manager"
    TRUST_LEAD = "TRUST_LEAD", "Trust SEND lead"


# Roles that see pupil data school-wide and so must use two-factor sign-in when enforced.
MFA_REQUIRED_ROLES = frozenset({Role.SENDCO, Role.PSO, Role.DATA_MANAGER})


class Trust(models.Model):
    """A multi-academy trust: its SEND lead may read (not edit) each of its schools."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    """The tenant: every record in SendHub belongs to exactly one school."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=80, unique=True, help_text="Short name used in addresses, e.g. oakfield."
    )
    urn = models.CharField(
        "URN", max_length=8, blank=True, help_text="DfE unique reference number, if known."
    )
    trust = models.ForeignKey(
        Trust, null=True, blank=True, on_delete=models.PROTECT, related_name="schools"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    """Users sign in with their e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in. What they may do depends on their StaffMember roles."""

    username = None
    email = models.EmailField("e-mail address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = (self.email or "").strip().lower()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Faculty(models.Model):
    """A faculty or department (English, Maths, Science …): FLS assistants align to one,
    resources and CPD can be shared with one."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="faculties")
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "faculties"
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="faculty_name_unique_in_school")
        ]

    def __str__(self) -> str:
        return self.name


class StaffMember(models.Model):
    """A user's place in one school, with their role there."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    job_title = models.CharField(max_length=120, blank=True)
    faculty = models.ForeignKey(
        Faculty, null=True, blank=True, on_delete=models.SET_NULL, related_name="staff"
    )
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    is_active = models.BooleanField(
        default=True, help_text="Untick when the person leaves; their records stay."
    )
    grade = models.CharField(max_length=10, blank=True, help_text="Pay grade, e.g. B or D.")
    contracted_periods = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(200)],
        help_text="Periods a timetable cycle the person is contracted for (blank: not "
        "deployed on the timetable).",
    )
    specialism_area = models.CharField(
        "area of specialism", max_length=4, choices=Area.choices, blank=True
    )
    specialism_subject = models.CharField(
        "subject specialism", max_length=60, blank=True, help_text="e.g. Literacy, Numeracy."
    )
    working_pattern = models.CharField(
        max_length=200, blank=True, help_text="e.g. Monday to Thursday, term time only."
    )
    is_safeguarding_lead = models.BooleanField(
        "designated safeguarding lead or deputy",
        default=False,
        help_text="Reads the restricted sections (health, care, behaviour, liaison, documents) "
        "of every pupil in the school.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "user"], name="staff_one_membership_per_school"
            ),
        ]
        indexes = [models.Index(fields=["school", "role"], name="staff_school_role_idx")]
        verbose_name = "staff member"

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.school})"

    def clean(self):
        super().clean()
        for related in (self.faculty, self.line_manager):
            if related is not None and related.school_id != self.school_id:
                raise ValidationError("Faculty and line manager must be of the same school.")
        if self.line_manager_id and self.line_manager_id == self.pk:
            raise ValidationError({"line_manager": "Nobody is their own line manager."})

    @property
    def needs_mfa(self) -> bool:
        return self.role in MFA_REQUIRED_ROLES


# --- deployment: the timetable and who supports whom, when -------------------------------
# These models name the pupil record by string; the code that reads and writes them lives
# in staffing/deployment/ (a layer above students, DESIGN.md "Layers").

WEEKDAYS = [(1, "Monday"), (2, "Tuesday"), (3, "Wednesday"), (4, "Thursday"), (5, "Friday")]


class Timetable(models.Model):
    """The school's timetable cycle: one week, or two (week 1 and week 2 alternate)."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="timetable")
    weeks = models.PositiveSmallIntegerField(choices=[(1, "One week"), (2, "Two weeks")], default=2)
    week_one_starts = models.DateField(
        help_text="A Monday on which week 1 runs; the weeks alternate from it."
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(weeks__in=[1, 2]),
                name="timetable_one_or_two_weeks",
                violation_error_message="A timetable cycle is one or two weeks.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weeks_display()} timetable of {self.school}"

    def clean(self):
        super().clean()
        if self.week_one_starts and self.week_one_starts.weekday() != 0:
            raise ValidationError({"week_one_starts": "Choose a Monday."})

    def week_of(self, day) -> int:
        """Week 1 or 2 of the cycle on that date."""
        return ((day - self.week_one_starts).days // 7) % self.weeks + 1


class Period(models.Model):
    """A slot in the cycle: a lesson, or time outside lessons when support happens."""

    class Kind(models.TextChoices):
        LESSON = "LESSON", "Lesson"
        REGISTRATION = "REGISTRATION", "Registration / tutor time"
        BEFORE_SCHOOL = "BEFORE_SCHOOL", "Before school"
        BREAK = "BREAK", "Break"
        LUNCH = "LUNCH", "Lunch"
        AFTER_SCHOOL = "AFTER_SCHOOL", "After school"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="periods")
    week = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    day = models.PositiveSmallIntegerField(choices=WEEKDAYS)
    name = models.CharField(max_length=20, help_text="e.g. P1, Break, Lunch.")
    kind = models.CharField(max_length=14, choices=Kind.choices, default=Kind.LESSON)
    starts = models.TimeField()
    ends = models.TimeField()

    class Meta:
        ordering = ["week", "day", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=F("starts")),
                name="period_ends_after_it_starts",
                violation_error_message="A period must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(week__in=[1, 2], day__gte=1, day__lte=5),
                name="period_week_and_day_in_range",
                violation_error_message="Week 1 or 2, Monday to Friday.",
            ),
            models.UniqueConstraint(
                fields=["school", "week", "day", "name"],
                name="period_name_once_a_day",
                violation_error_message="That day already has a period of that name.",
            ),
        ]
        indexes = [models.Index(fields=["school", "week", "day", "starts"], name="period_idx")]

    def __str__(self) -> str:
        return f"Week {self.week} {self.get_day_display()} {self.name}"

    @property
    def is_lesson(self) -> bool:
        return self.kind == self.Kind.LESSON


class TeachingGroup(models.Model):
    """A class: subject, faculty, teacher, room and pupils, taught in its lesson slots."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="teaching_groups")
    name = models.CharField(max_length=30, help_text="As in the MIS, e.g. 8X/Sc1.")
    subject = models.CharField(max_length=60)
    faculty = models.ForeignKey(Faculty, on_delete=models.PROTECT, related_name="groups")
    teacher = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="classes"
    )
    room = models.CharField(max_length=20, blank=True)
    pupils = models.ManyToManyField("students.Pupil", blank=True, related_name="teaching_groups")
    periods = models.ManyToManyField(Period, through="Lesson", related_name="groups")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"],
                name="group_name_unique_in_school",
                violation_error_message="The school already has a class of that name.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.faculty_id and self.faculty.school_id != self.school_id:
            raise ValidationError({"faculty": "The faculty must be of the class's school."})
        if self.teacher_id and self.teacher.school_id != self.school_id:
            raise ValidationError({"teacher": "The teacher must be on the class's school staff."})


class Lesson(models.Model):
    """A class taught in a period of the cycle."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(TeachingGroup, on_delete=models.CASCADE, related_name="lessons")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="lessons")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group", "period"],
                name="lesson_once_a_period",
                violation_error_message="The class is already taught in that period.",
            )
        ]
        indexes = [models.Index(fields=["school", "period"], name="lesson_period_idx")]

    def __str__(self) -> str:
        return f"{self.group} in {self.period}"


class Allocation(models.Model):
    """A member of staff placed on a period of the cycle, for one kind of work, from one
    date until another (or until changed)."""

    class Kind(models.TextChoices):
        IN_CLASS = "IN_CLASS", "In-class support"
        ONE_TO_ONE = "ONE_TO_ONE", "1:1 with a pupil"
        INTERVENTION = "INTERVENTION", "Intervention group"
        LIAISON = "LIAISON", "Liaison and planning"
        CURRICULUM = "CURRICULUM", "Curriculum and resources"
        DUTY = "DUTY", "Break or lunch duty"
        VISIT = "VISIT", "Educational visit escort"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="allocations")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="allocations")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    group = models.ForeignKey(
        TeachingGroup,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="allocations",
        verbose_name="class",
    )
    pupil = models.ForeignKey(
        "students.Pupil",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="one_to_one_allocations",
    )
    focus_pupils = models.ManyToManyField(
        "students.Pupil",
        blank=True,
        related_name="focus_allocations",
        help_text="In-class support: the pupils the support is for (blank: the class).",
    )
    note = models.CharField(
        max_length=120, blank=True, help_text="e.g. the intervention or the visit."
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Blank: until changed.")
    created_by = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period__week", "period__day", "period__starts"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="IN_CLASS") | Q(group__isnull=False),
                name="in_class_support_names_a_class",
                violation_error_message="In-class support needs a class.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="ONE_TO_ONE") | Q(pupil__isnull=False),
                name="one_to_one_names_a_pupil",
                violation_error_message="A 1:1 allocation needs a pupil.",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="allocation_ends_after_start",
                violation_error_message="An allocation cannot end before it starts.",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "staff", "period"], name="allocation_staff_idx"),
            models.Index(fields=["school", "period"], name="allocation_period_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.staff} — {self.get_kind_display()} — {self.period}"


class StaffAbsence(models.Model):
    """A member of staff away for whole days, or part of each day between two times."""

    class Reason(models.TextChoices):
        ILLNESS = "ILLNESS", "Illness"
        TRAINING = "TRAINING", "Training or CPD"
        APPOINTMENT = "APPOINTMENT", "Appointment"
        VISIT = "VISIT", "On a trip or visit"
        LEAVE = "LEAVE", "Leave"
        OTHER = "OTHER", "Other"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="absences")
    starts_on = models.DateField("from")
    ends_on = models.DateField("until")
    from_time = models.TimeField(
        null=True, blank=True, help_text="Part of the day only: away from this time."
    )
    to_time = models.TimeField(null=True, blank=True, help_text="…until this time.")
    reason = models.CharField(max_length=12, choices=Reason.choices)
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="absence_ends_after_start",
                violation_error_message="An absence cannot end before it starts.",
            ),
            models.CheckConstraint(
                # Spelled out: a CHECK passes when it is NULL, so "to > from" alone
                # would let one missing time through.
                condition=Q(from_time__isnull=True, to_time__isnull=True)
                | Q(from_time__isnull=False, to_time__isnull=False, to_time__gt=F("from_time")),
                name="absence_times_in_order",
                violation_error_message="Give both times, the second after the first, or "
                "neither for whole days.",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "starts_on", "ends_on"], name="absence_dates_idx")
        ]

    def __str__(self) -> str:
        return f"{self.staff} away {self.starts_on} to {self.ends_on}"

    def covers_period(self, period: "Period") -> bool:
        """Whether the absence takes in that period of a day it spans."""
        if self.from_time is None:
            return True
        return period.starts < self.to_time and period.ends > self.from_time


class Cover(models.Model):
    """Someone covering an absent colleague's allocation on one date."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    absence = models.ForeignKey(StaffAbsence, on_delete=models.CASCADE, related_name="covers")
    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="covers")
    on = models.DateField()
    covered_by = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="cover")
    assigned_by = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["allocation", "on"],
                name="one_cover_per_slot",
                violation_error_message="That slot is already covered.",
            )
        ]
        indexes = [models.Index(fields=["school", "covered_by", "on"], name="cover_person_idx")]

    def __str__(self) -> str:
        return f"{self.covered_by} covers {self.allocation} on {self.on}"
