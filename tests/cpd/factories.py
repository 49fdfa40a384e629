import datetime

import factory

from cpd.models import CpdEvent, Resource, Specialism, TrainingRecord, TrainingType


class TrainingTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingType

    name = factory.Sequence(lambda n: f"Training {n}")
    validity_months = 12


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    school = factory.SelfAttribute("staff.school")
    completed_on = datetime.date(2026, 1, 10)
    expires_on = factory.LazyAttribute(lambda r: r.training_type.expiry_for(r.completed_on))


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    title = factory.Sequence(lambda n: f"Resource {n}")
    kind = Resource.Kind.LINK
    url = "https://resources.example.org/x"


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CpdEvent

    title = factory.Sequence(lambda n: f"Session {n}")
    external_presenter = "County SEN team"
    starts_at = factory.LazyFunction(
        lambda: datetime.datetime(2026, 10, 1, 15, 30, tzinfo=datetime.UTC)
    )


class SpecialismFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specialism

    name = factory.Sequence(lambda n: f"Specialism {n}")
