"""Register exports (CSV, XLSX) with the DfE school census codes."""

from import_export import fields, resources

from students.models import AREA_OF_NEED, Pupil


class RegisterResource(resources.ModelResource):
    """One row per pupil as on the register page; census codes, not labels."""

    upn = fields.Field(attribute="upn", column_name="UPN")
    last_name = fields.Field(attribute="last_name", column_name="Surname")
    first_name = fields.Field(attribute="first_name", column_name="Forename")
    date_of_birth = fields.Field(attribute="date_of_birth", column_name="DOB")
    year_group = fields.Field(attribute="year_group", column_name="NCyearActual")
    tutor_group = fields.Field(attribute="tutor_group", column_name="TutorGroup")
    sen_status = fields.Field(attribute="sen_status", column_name="SENprovision")
    primary_need = fields.Field(attribute="primary_need", column_name="SENtype1")
    secondary_need = fields.Field(attribute="secondary_need", column_name="SENtype2")
    area = fields.Field(column_name="AreaOfNeed")
    next_review = fields.Field(attribute="next_review", column_name="NextReview")
    pupil_premium = fields.Field(attribute="pupil_premium", column_name="PupilPremium")
    eal = fields.Field(attribute="eal", column_name="EAL")
    looked_after = fields.Field(attribute="looked_after", column_name="LookedAfter")

    class Meta:
        model = Pupil
        fields = export_order = [
            "upn",
            "last_name",
            "first_name",
            "date_of_birth",
            "year_group",
            "tutor_group",
            "sen_status",
            "primary_need",
            "secondary_need",
            "area",
            "next_review",
            "pupil_premium",
            "eal",
            "looked_after",
        ]

    def dehydrate_area(self, pupil):
        area = AREA_OF_NEED.get(pupil.primary_need)
        return area.label if area else ""

    def dehydrate_year_group(self, pupil):
        return "R" if pupil.year_group == 0 else str(pupil.year_group)

    def dehydrate_next_review(self, pupil):
        return pupil.next_review.isoformat() if pupil.next_review else ""

    def dehydrate_date_of_birth(self, pupil):
        return pupil.date_of_birth.isoformat()

    def dehydrate_pupil_premium(self, pupil):
        return "Y" if pupil.pupil_premium else "N"

    def dehydrate_eal(self, pupil):
        return "Y" if pupil.eal else "N"

    def dehydrate_looked_after(self, pupil):
        return "Y" if pupil.looked_after else "N"
