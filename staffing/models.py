"""Schools (the tenants), users and the staff membership that gives a user a role in a school."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower


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
