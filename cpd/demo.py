"""Demo CPD and training: the trainings a SEND team needs, a matrix with some records
expired and some expiring, a resource bank kept by the specialists, CPD sessions with
attendance and feedback, and requests to specialists. Deterministic; a school that already
has training types is left as it is."""

import random
from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from cpd.models import (
    CpdAttendance,
    CpdEvent,
    Resource,
    ResourceFile,
    Specialism,
    SupportRequest,
    TrainingRecord,
    TrainingType,
)
from sendhub.reference import Area
from staffing.models import Role, School, StaffMember

TRAINING_TYPES = [
    ("Medication administration", 12),
    ("Moving and handling", 36),
    ("De-escalation and positive handling", 24),
    ("Epilepsy and emergency medication", 12),
    ("Autism awareness", 36),
    ("Paediatric first aid", 36),
    ("Safeguarding (level 1)", 12),
    ("Precision teaching", None),
    ("Speech and language programme delivery", 24),
    ("Personal care and hygiene", 36),
]
SPECIALISMS = [
    ("Literacy", Area.COGNITION, "HLTA (Literacy)"),
    ("Numeracy", Area.COGNITION, "HLTA (Numeracy)"),
    ("Communication and interaction", Area.COMMUNICATION, "Learning Support (English)"),
    ("Social, emotional and mental health", Area.SEMH, "Progress Support Officer"),
    ("Sensory and physical", Area.SENSORY, "Learning Support (PE)"),
]
RESOURCES = [
    ("Visual timetable template", "VISUAL_TIMETABLE", Area.COMMUNICATION, "ASD", "KS3", ""),
    ("Now/next board", "NOW_NEXT", Area.COMMUNICATION, "ASD", "KS3", ""),
    ("Chunking a science practical", "CHUNKED_TASK", Area.COGNITION, "MLD", "KS3", "Science"),
    ("Social story: changes to the timetable", "SOCIAL_STORY", Area.SEMH, "ASD", "KS3", ""),
    ("Sensory break cards", "SENSORY_BREAK", Area.SENSORY, "", "KS3", ""),
    ("History essay writing frame", "WORD_BANK", Area.COGNITION, "SPLD", "KS4", "History"),
    ("Precision teaching probe sheets", "PRECISION_TEACHING", Area.COGNITION, "SPLD", "KS3", ""),
    ("Zones of regulation toolkit", "REGULATION", Area.SEMH, "SEMH", "KS3", ""),
    ("Dyslexia-friendly slides: a checklist", "GUIDANCE", Area.COGNITION, "SPLD", "KS4", ""),
    ("Maths vocabulary mats", "WORD_BANK", Area.COGNITION, "MLD", "KS3", "Maths"),
]
EVENTS = [
    ("Autism awareness: what helps in the classroom", -40, "Communication and interaction"),
    ("Precision teaching refresher", -21, "Literacy"),
    ("De-escalation: the first five minutes", -7, "Social, emotional and mental health"),
    ("Number sense interventions", 9, "Numeracy"),
    ("Writing frames across the curriculum", 23, "Literacy"),
]


def seed_school_cpd(*, school: School, seed: int, index: int) -> None:
    if TrainingType.objects.filter(school=school).exists():
        return
    rng = random.Random(seed * 104729 + index)
    today = timezone.localdate()
    staff = list(
        StaffMember.objects.filter(school=school, is_active=True)
        .exclude(role=Role.TRUST_LEAD)
        .select_related("user")
        .order_by("pk")
    )
    types = [
        TrainingType.objects.create(school=school, name=name, validity_months=months)
        for name, months in TRAINING_TYPES
    ]
    records = []
    for member in staff:
        for training_type in types:
            if rng.random() < 0.25:
                continue  # not trained
            # Completed at a point in its validity window, a few past it (expired).
            months = training_type.validity_months or 36
            days_ago = rng.randrange(10, int(months * 30.4 * 1.25))
            completed = today - timedelta(days=days_ago)
            records.append(
                TrainingRecord(
                    school=school,
                    staff=member,
                    training_type=training_type,
                    completed_on=completed,
                    expires_on=training_type.expiry_for(completed),
                    provider=rng.choice(
                        [
                            "Local authority",
                            "St John Ambulance",
                            "In school",
                            "Team Teach",
                            "NHS SaLT service",
                        ]
                    ),
                )
            )
    TrainingRecord.objects.bulk_create(records, batch_size=1000)

    by_title = {m.job_title: m for m in staff}
    holders = {}
    for name, area, title in SPECIALISMS:
        holder = by_title.get(title)
        holders[name] = holder
        Specialism.objects.create(
            school=school,
            name=name,
            area=area,
            holder=holder,
            description=f"Advice, resources and training for staff on {name.lower()}.",
        )
    specialists = [h for h in holders.values() if h is not None] or staff[:1]
    resources = []
    for n, (title, strategy, area, need, stage, subject) in enumerate(RESOURCES):
        owner = specialists[n % len(specialists)]
        is_file = n % 3 == 0
        resource = Resource.objects.create(
            school=school,
            title=title,
            owner=owner,
            strategy=strategy,
            area=area,
            need_code=need,
            key_stage=stage,
            subject=subject,
            kind=Resource.Kind.FILE if is_file else Resource.Kind.LINK,
            url="" if is_file else f"https://resources.example.org/{strategy.lower()}/{n}",
            description=f"{title}: ready to print and adapt for your class.",
            tags="printable, adaptable" if is_file else "online",
        )
        if is_file:
            stored = ResourceFile(
                school=school,
                resource=resource,
                version=1,
                original_name=f"{title}.txt",
                content_type="text/plain",
                size=0,
                uploaded_by=owner,
                note="First version",
            )
            body = f"{title}\n\nHow to use it:\n1. Introduce it.\n2. Model it.\n3. Review it.\n"
            stored.size = len(body.encode())
            stored.file.save(f"{title}.txt", ContentFile(body.encode()), save=False)
            stored.save()
        resources.append(resource)

    for n, (title, offset, specialism) in enumerate(EVENTS):
        presenter = holders.get(specialism) or specialists[0]
        starts = timezone.make_aware(datetime.combine(today + timedelta(days=offset), time(15, 30)))
        event = CpdEvent.objects.create(
            school=school,
            title=title,
            presenter=presenter,
            starts_at=starts,
            duration_minutes=60,
            location="Learning Support base",
            created_by=presenter,
            description="Twilight session for support staff and teachers.",
            audience_roles="FLS,HLTA,ONE_TO_ONE" if n % 2 else "",
        )
        event.materials.set(rng.sample(resources, k=2))
        if offset < 0:
            came = rng.sample(staff, k=min(len(staff), rng.randrange(8, 16)))
            CpdAttendance.objects.bulk_create(
                [
                    CpdAttendance(
                        school=school,
                        event=event,
                        staff=member,
                        attended=True,
                        rating=rng.choice([3, 4, 4, 5, 5]) if rng.random() < 0.7 else None,
                        comment=rng.choice(
                            [
                                "",
                                "Very practical.",
                                "More examples please.",
                                "Will use this next week.",
                            ]
                        ),
                        feedback_at=starts + timedelta(days=1),
                    )
                    for member in came
                ]
            )
    for n, member in enumerate(rng.sample(staff, k=min(4, len(staff)))):
        name = list(holders)[n % len(holders)]
        SupportRequest.objects.create(
            school=school,
            specialism=Specialism.objects.get(school=school, name=name),
            requested_by=member,
            kind=rng.choice(SupportRequest.Kind.values),
            message="Could you help me adapt my Year 8 lessons for a pupil who finds reading hard?",
            status=rng.choice([SupportRequest.Status.OPEN, SupportRequest.Status.IN_PROGRESS]),
        )
