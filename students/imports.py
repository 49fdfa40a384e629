"""MIS imports of pupils and their contacts, in the admin (plumbing in ``sendhub/imports.py``).

Pupils are matched by UPN within the acting school: a UPN of another school's pupil is a new
pupil here, never an update there. The columns are those of the register export
(``students/exports.py``), so an export imports back unchanged. SEN status changes go through
the register service, so each span on the register is kept as it is from the pupil's page;
needs go through the needs service. Samples: ``students/samples/mis-*.csv`` and ``.xlsx``.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export.fields import Field
from import_export.instance_loaders import CachedInstanceLoader

from sendhub.imports import (
    ChoiceWidget,
    EmailWidget,
    PhoneWidget,
    SchoolImportResource,
    TextWidget,
    UkDateWidget,
    WholeNumberWidget,
    YesNoWidget,
    as_text,
    reraise_as,
)
from students.models import NeedCode, Pupil, PupilContact, PupilNeed, SenStatus
from students.services.register import pupil_need_delete, pupil_need_save, pupil_register_set

NEED_CODES = ", ".join(NeedCode.values)


class UpnWidget(TextWidget):
    """A UPN as written (spaces and case forgiven); the model's validator checks it."""

    def clean(self, value, row=None, **kwargs):
        return "".join(as_text(value).split()).upper()


class YearGroupWidget(TextWidget):
    """R (Reception) or a National Curriculum year from 1 to 13 ("Year 7", "Y7", 7)."""

    def clean(self, value, row=None, **kwargs):
        text = as_text(value).lower().removeprefix("year").removeprefix("y").strip()
        if text in ("r", "rec", "reception", "0"):
            return 0
        if text.isdigit() and 1 <= int(text) <= 13:
            return int(text)
        raise ValueError("Use R for Reception or a year from 1 to 13.")

    def render(self, value, obj=None, **kwargs):
        return "R" if value == 0 else ("" if value is None else str(value))


class NeedCodeWidget(TextWidget):
    """A school census SEN type code (SLCN, ASD …), or blank for none."""

    def clean(self, value, row=None, **kwargs):
        code = as_text(value).upper()
        if code and code not in NeedCode.values:
            raise ValueError(f"Unknown need code. Use one of the census codes: {NEED_CODES}.")
        return code


class PupilImportResource(SchoolImportResource):
    upn = Field(attribute="upn", column_name="UPN", widget=UpnWidget())
    last_name = Field(attribute="last_name", column_name="Surname", widget=TextWidget())
    first_name = Field(attribute="first_name", column_name="Forename", widget=TextWidget())
    preferred_name = Field(
        attribute="preferred_name", column_name="PreferredForename", widget=TextWidget()
    )
    date_of_birth = Field(attribute="date_of_birth", column_name="DOB", widget=UkDateWidget())
    year_group = Field(attribute="year_group", column_name="NCyearActual", widget=YearGroupWidget())
    tutor_group = Field(attribute="tutor_group", column_name="TutorGroup", widget=TextWidget())
    sen_status = Field(
        attribute="sen_status",
        column_name="SENprovision",
        widget=ChoiceWidget(
            SenStatus.choices,
            hint="Use N (no SEN), K (SEN support) or E (EHC plan).",
            blank=SenStatus.NONE,
        ),
    )
    primary_need = Field(attribute="primary_need", column_name="SENtype1", widget=NeedCodeWidget())
    secondary_need = Field(
        attribute="secondary_need", column_name="SENtype2", widget=NeedCodeWidget()
    )
    pupil_premium = Field(
        attribute="pupil_premium", column_name="PupilPremium", widget=YesNoWidget(), default=False
    )
    eal = Field(attribute="eal", column_name="EAL", widget=YesNoWidget(), default=False)
    looked_after = Field(
        attribute="looked_after", column_name="LookedAfter", widget=YesNoWidget(), default=False
    )

    required_columns = ("UPN", "Surname", "Forename", "DOB", "NCyearActual")
    column_aliases = {
        "Legal surname": "Surname",
        "Last name": "Surname",
        "Legal forename": "Forename",
        "First name": "Forename",
        "Preferred name": "PreferredForename",
        "Date of birth": "DOB",
        "Year": "NCyearActual",
        "Year group": "NCyearActual",
        "Reg group": "TutorGroup",
        "Tutor group": "TutorGroup",
        "SEN status": "SENprovision",
        "Primary need": "SENtype1",
        "Secondary need": "SENtype2",
        "PP": "PupilPremium",
    }
    key_field = "upn"

    class Meta:
        model = Pupil
        name = "Pupils (MIS export)"
        fields = [
            "upn",
            "last_name",
            "first_name",
            "preferred_name",
            "date_of_birth",
            "year_group",
            "tutor_group",
            "sen_status",
            "primary_need",
            "secondary_need",
            "pupil_premium",
            "eal",
            "looked_after",
        ]
        import_id_fields = ["upn"]
        # One query for every UPN of the file, with their needs.
        instance_loader_class = CachedInstanceLoader

    def get_queryset(self):
        return super().get_queryset().prefetch_related("needs")

    def after_init_instance(self, instance, new, row, **kwargs):
        # Needs are compared (for "unchanged") and shown like columns of the pupil.
        needs = {} if new else {need.rank: need.code for need in instance.needs.all()}
        instance.primary_need = needs.get(PupilNeed.PRIMARY, "")
        instance.secondary_need = needs.get(PupilNeed.SECONDARY, "")
        instance.stored = {
            f.attname: getattr(instance, f.attname) for f in Pupil._meta.concrete_fields
        }
        instance.needs_in_file = "SENtype1" in row

    def check_row(self, instance, errors):
        problems = {}
        if instance.secondary_need and "secondary_need" not in errors:
            if not instance.primary_need:
                problems["secondary_need"] = "A secondary need needs a primary need (SENtype1)."
            elif instance.secondary_need == instance.primary_need:
                problems["secondary_need"] = "The same need cannot be primary and secondary."
        if (
            instance.needs_in_file
            and instance.sen_status in (SenStatus.SUPPORT, SenStatus.EHCP)
            and not instance.primary_need
            and "primary_need" not in errors
        ):
            problems["primary_need"] = (
                "A pupil on SEN support (K) or with an EHC plan (E) has a primary need, as in "
                "the census; use NSA if it is not yet assessed."
            )
        born = instance.date_of_birth
        if born and "date_of_birth" not in errors and born > timezone.localdate():
            problems["date_of_birth"] = "The date of birth is in the future."
        if problems:
            raise ValidationError(problems)

    def do_instance_save(self, instance, is_create):
        wanted = instance.sen_status
        # The status is changed by the register service after the save, which records
        # the span; the pupil row keeps what is stored until then.
        instance.sen_status = instance.stored["sen_status"]  # N for a new pupil
        details_changed = any(
            getattr(instance, name) != value for name, value in instance.stored.items()
        )
        if is_create or details_changed:
            instance.save(force_insert=is_create)
        instance.sen_status = wanted

    def after_save_instance(self, instance, row, **kwargs):
        if instance.sen_status != instance.stored["sen_status"]:
            file_name = kwargs.get("file_name") or "a file"
            try:
                pupil_register_set(
                    pupil=instance,
                    status=instance.sen_status,
                    on=timezone.localdate(),
                    reason=f"MIS import ({file_name})"[:255],
                    actor=self.actor,
                )
            except ValidationError as error:
                raise reraise_as("sen_status", error) from error
        self.save_needs(instance)

    def save_needs(self, pupil: Pupil) -> None:
        """Make the pupil's needs those of the file. A code that moves rank keeps its
        descriptor and notes."""
        wanted = {PupilNeed.PRIMARY: pupil.primary_need, PupilNeed.SECONDARY: pupil.secondary_need}
        current = {need.rank: need for need in PupilNeed.objects.filter(pupil=pupil)}
        if {rank: need.code for rank, need in current.items()} == {
            rank: code for rank, code in wanted.items() if code
        }:
            return
        try:
            kept = {}
            for rank, need in current.items():
                if need.code != wanted[rank]:
                    kept[need.code] = {"descriptor": need.descriptor, "notes": need.notes}
                    pupil_need_delete(need=need, actor=self.actor)
            for rank, code in wanted.items():
                if code and (rank not in current or current[rank].code != code):
                    pupil_need_save(
                        pupil=pupil, code=code, rank=rank, actor=self.actor, **kept.get(code, {})
                    )
        except ValidationError as error:
            raise reraise_as("primary_need", error) from error


class SchoolPupilWidget(TextWidget):
    """The pupil of the acting school with this UPN; the resource fills ``pupils``."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.pupils: dict[str, Pupil] = {}
        self.school_name = "this school"

    def clean(self, value, row=None, **kwargs):
        upn = "".join(as_text(value).split()).upper()
        if not upn:
            raise ValueError("The UPN of the pupil is needed.")
        try:
            return self.pupils[upn]
        except KeyError:
            raise ValueError(
                f"No pupil of {self.school_name} has this UPN. Check it, or import the pupils "
                "first."
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value.upn if value else ""


class ContactImportResource(SchoolImportResource):
    pupil = Field(attribute="pupil", column_name="UPN", widget=SchoolPupilWidget())
    name = Field(attribute="name", column_name="ContactName", widget=TextWidget(required=True))
    relationship = Field(attribute="relationship", column_name="Relationship", widget=TextWidget())
    priority = Field(
        attribute="priority", column_name="Priority", widget=WholeNumberWidget(), default=1
    )
    phone = Field(attribute="phone", column_name="Phone", widget=PhoneWidget())
    email = Field(attribute="email", column_name="Email", widget=EmailWidget())
    parental_responsibility = Field(
        attribute="parental_responsibility",
        column_name="ParentalResponsibility",
        widget=YesNoWidget(),
        default=True,
    )

    required_columns = ("UPN", "ContactName", "Relationship")
    column_aliases = {
        "Name": "ContactName",
        "Contact": "ContactName",
        "Telephone": "Phone",
        "Phone number": "Phone",
        "Email address": "Email",
        "Parental resp": "ParentalResponsibility",
        "PR": "ParentalResponsibility",
        "Contact priority": "Priority",
    }
    key_field = "name"

    class Meta:
        model = PupilContact
        name = "Pupil contacts (MIS export)"
        fields = [
            "pupil",
            "name",
            "relationship",
            "priority",
            "phone",
            "email",
            "parental_responsibility",
        ]
        import_id_fields = ["pupil", "name"]

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        upns = {"".join(as_text(row.get("UPN")).split()).upper() for row in dataset.dict}
        pupils = Pupil.objects.filter(school=self.school, upn__in=upns)
        widget = self.fields["pupil"].widget
        widget.pupils = {pupil.upn: pupil for pupil in pupils}
        widget.school_name = self.school.name
        self.contacts = {
            (contact.pupil_id, contact.name.lower()): contact
            for contact in self.get_queryset().filter(pupil__in=widget.pupils.values())
        }

    def row_key(self, row):
        upn = "".join(as_text(row.get("UPN")).split()).upper()
        name = as_text(row.get("ContactName")).lower()
        return (upn, name) if upn and name else None

    def get_instance(self, instance_loader, row):
        try:
            pupil = self.fields["pupil"].clean(row)
        except ValueError:
            return None  # rejected when the row is read, with the reason
        return self.contacts.get((pupil.pk, as_text(row.get("ContactName")).lower()))

    def check_row(self, instance, errors):
        if instance.pupil_id and instance.pupil.school_id != self.school.pk:
            raise ValidationError({"pupil": "This pupil belongs to another school."})
