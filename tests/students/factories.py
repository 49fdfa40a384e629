import datetime

import factory

from students.models import Passport, Pupil, PupilNeed, SenStatus, StaffPupilLink
from students.upn import make_upn
from tests.staffing.factories import SchoolFactory


class PupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pupil

    school = factory.SubFactory(SchoolFactory)
    upn = factory.Sequence(lambda n: make_upn(801, 4000 + n // 1000, 24, n % 1000))
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = datetime.date(2013, 5, 17)
    year_group = 8
    tutor_group = "8R"
    sen_status = SenStatus.SUPPORT


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PupilNeed

    pupil = factory.SubFactory(PupilFactory)
    school = factory.SelfAttribute("pupil.school")
    code = "SLCN"
    rank = PupilNeed.PRIMARY


class PassportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Passport

    pupil = factory.SubFactory(PupilFactory)
    school = factory.SelfAttribute("pupil.school")
    about_me = "I love drawing and Minecraft."
    what_helps = "Instructions one step at a time; a visual timetable."
    triggers = "Sudden loud noises."


class LinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffPupilLink

    pupil = factory.SubFactory(PupilFactory)
    school = factory.SelfAttribute("pupil.school")
    source = StaffPupilLink.Source.DIRECT
