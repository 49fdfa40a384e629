"""Demo records of the restricted parts of the pupil record: personal care plans and their
log, behaviour incidents with a pattern worth seeing, parents and carers, the agency
directory, liaison with follow-up actions, case studies and a consent form.

Deterministic for a seed; rows are bulk-created with their history rows, so a 3,000-pupil
school still seeds in seconds."""

import random
from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from faker import Faker
from simple_history.utils import bulk_create_with_history

from staffing.demo import demo_email
from staffing.models import Role, School, StaffMember
from students.models import (
    STANDARD_STRATEGIES,
    Agency,
    BehaviourIncident,
    CareLogEntry,
    CarePlan,
    CaseStudy,
    LiaisonAction,
    LiaisonEntry,
    Pupil,
    PupilContact,
    PupilDocument,
    SenStatus,
)

AGENCIES = [
    ("County Educational Psychology Service", Agency.Kind.EP, "Dr Helen Marsh"),
    ("Northfield Speech and Language Therapy", Agency.Kind.SALT, "Priya Shah"),
    ("Children's Occupational Therapy", Agency.Kind.OT, "Tom Reid"),
    ("CAMHS North", Agency.Kind.CAMHS, "Duty worker"),
    ("Sensory Support Service (HI/VI)", Agency.Kind.SENSORY, "Rachel Evans"),
    ("Children's Social Care — Front Door", Agency.Kind.SOCIAL_CARE, ""),
    ("School Nursing Team", Agency.Kind.SCHOOL_NURSE, "Nurse Amanda Cole"),
    ("Children's Physiotherapy", Agency.Kind.PHYSIO, "Sam Okoro"),
]
RELATIONSHIPS = ["Mother", "Father", "Grandmother", "Stepfather", "Foster carer", "Aunt"]
LIAISON = [
    ("PHONE", "contact", "Talked through the week; sleep has been poor and mornings hard."),
    ("MEETING", "contact", "Reviewed the passport together; parent added what works at home."),
    ("EMAIL", "contact", "Shared the new visual timetable and the homework plan."),
    ("MEETING", "agency", "Assessment feedback: working memory well below average; "
     "recommendations for chunked instructions and pre-teaching vocabulary."),
    ("VIDEO", "agency", "Therapist set new targets for the speech programme."),
    ("PHONE", "agency", "Referral discussed; the pupil meets the threshold for assessment."),
]  # fmt: skip
ACTIONS = [
    "Send home the visual timetable",
    "Book the annual review meeting",
    "Share the therapist's targets with the class teachers",
    "Chase the assessment report",
    "Update the pupil passport",
    "Arrange a sensory audit of the classroom",
]
BEHAVIOURS = [
    ("DEMAND", "Asked to start the written task", "Refused, put head down, then threw a pen"),
    ("TRANSITION", "End of break bell", "Would not come in from the yard; shouting"),
    ("SENSORY", "Hall was loud at lunch", "Covered ears, ran out of the canteen"),
    ("PEER", "Argument over a football", "Pushed a peer and swore"),
    ("CHANGE", "Supply teacher in science", "Left the room without permission"),
    ("ADULT", "Corrected for calling out", "Argued and slammed the door"),
    ("UNSTRUCTURED", "Waiting in the corridor", "Climbing on the bannister, would not stop"),
]
SETTING_FOR = {
    "SENSORY": "LUNCH",
    "UNSTRUCTURED": "CORRIDOR",
    "TRANSITION": "BREAK",
    "PEER": "BREAK",
}
# A tiny valid PDF standing for a signed consent form.
CONSENT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def seed_school_records(
    *, school: School, register: list[Pupil], primary_of: dict, rng: random.Random
) -> None:
    faker = Faker("en_GB")
    faker.seed_instance(rng.randrange(1_000_000))
    staff = list(StaffMember.objects.filter(school=school, is_active=True).select_related("user"))
    by_role = {role: [m for m in staff if m.role == role] for role in Role}
    # The demo logins first, so each of them meets these records when they sign in.
    for role, members in by_role.items():
        members.sort(key=lambda m: m.user.email != demo_email(role, school.slug))
    sendco = (by_role[Role.SENDCO] or staff)[0]
    contacts = _seed_contacts(school, register, faker, rng)
    agencies = _seed_agencies(school)
    _seed_liaison(school, register, contacts, agencies, by_role, sendco, rng)
    _seed_care(school, register, primary_of, by_role, sendco, rng)
    _seed_behaviour(school, register, primary_of, by_role, rng)
    _seed_case_studies(school, register, primary_of, by_role, sendco, rng)
    _seed_consent_form(school, register, sendco)


def _seed_contacts(school, register, faker, rng) -> dict[int, list[PupilContact]]:
    rows = []
    for pupil in register:
        names = set()
        for priority in range(1, rng.choice([2, 2, 3])):
            name = f"{faker.first_name()} {pupil.last_name}"
            if name in names:
                continue
            names.add(name)
            rows.append(
                PupilContact(
                    school=school,
                    pupil=pupil,
                    name=name,
                    relationship=RELATIONSHIPS[0 if priority == 1 else rng.randrange(1, 6)],
                    priority=priority,
                    phone=f"07700 900{rng.randrange(1000):03d}",
                    email=f"{name.lower().replace(' ', '.')}@example.com",
                )
            )
    bulk_create_with_history(rows, PupilContact, batch_size=1000)
    by_pupil: dict[int, list[PupilContact]] = {}
    for contact in PupilContact.objects.filter(school=school):
        by_pupil.setdefault(contact.pupil_id, []).append(contact)
    return by_pupil


def _seed_agencies(school) -> list[Agency]:
    return [
        Agency.objects.get_or_create(
            school=school,
            name=name,
            defaults={
                "kind": kind,
                "contact_name": person,
                "phone": "0117 496 0" + str(100 + i),
                "email": f"{kind.lower()}@services.example.org",
            },
        )[0]
        for i, (name, kind, person) in enumerate(AGENCIES)
    ]


def _seed_liaison(school, register, contacts, agencies, by_role, sendco, rng):
    today = timezone.localdate()
    owners = [sendco, *by_role[Role.PSO][:1], *by_role[Role.HLTA][:2], *by_role[Role.FLS][:2]]
    entries, action_specs = [], []
    for pupil in rng.sample(register, k=max(1, len(register) // 3)):
        for _ in range(rng.randrange(1, 4)):
            method, who, summary = rng.choice(LIAISON)
            on = today - timedelta(days=rng.randrange(1, 120))
            entry = LiaisonEntry(
                school=school,
                pupil=pupil,
                on=on,
                method=method,
                summary=summary,
                recorded_by=rng.choice(owners),
            )
            if who == "contact" and contacts.get(pupil.pk):
                entry.contact = contacts[pupil.pk][0]
            else:
                entry.agency = rng.choice(agencies)
            entries.append(entry)
            if rng.random() < 0.6:
                due = on + timedelta(days=rng.randrange(7, 40))
                done = due < today - timedelta(days=3) and rng.random() < 0.7
                action_specs.append((len(entries) - 1, due, done))
    bulk_create_with_history(entries, LiaisonEntry, batch_size=1000)
    saved = list(LiaisonEntry.objects.filter(school=school).order_by("pk"))
    actions = []
    for index, due, done in action_specs:
        owner = rng.choice(owners)
        actions.append(
            LiaisonAction(
                school=school,
                entry=saved[index],
                description=rng.choice(ACTIONS),
                owner=owner,
                due_on=due,
                done_on=due - timedelta(days=1) if done else None,
                done_by=owner if done else None,
            )
        )
    bulk_create_with_history(actions, LiaisonAction, batch_size=1000)


def _seed_care(school, register, primary_of, by_role, sendco, rng):
    """Care plans for pupils with physical, profound or severe needs and the first pupil
    with an EHC plan (whom the demo 1:1 login is timetabled with), with a week of logged
    care given by trained adults."""
    from cpd.models import TrainingType

    needing = [p for p in register if primary_of.get(p.pk) in {"PD", "PMLD", "SLD", "MSI"}]
    one_to_ones = by_role[Role.ONE_TO_ONE]
    ehcp = [p for p in register if p.sen_status == SenStatus.EHCP]
    needing = ehcp[:1] + needing
    needing = list(dict.fromkeys(needing))[: max(2, len(register) // 15)]
    training = TrainingType.objects.filter(school=school, name="Moving and handling").first()
    now = timezone.localtime()
    adults = one_to_ones or [sendco]
    log = []
    for n, pupil in enumerate(needing):
        two_adults = n % 2 == 0
        plan = CarePlan.objects.create(
            school=school,
            pupil=pupil,
            toileting="Needs help with changing twice a day; uses the hygiene room."
            if two_adults
            else "",
            hygiene="Prompt to wash hands after toileting and before lunch.",
            dressing="Help with coat and shoes; changing for PE in a private space.",
            eating="Food cut small; supervised for choking risk." if n % 3 == 0 else "",
            mobility="Hoist transfer from wheelchair to changing bench; two adults."
            if two_adults
            else "Walks with a frame; a buddy between lessons.",
            equipment="Ceiling hoist, medium sling, changing bench" if two_adults else "Frame",
            staff_needed=2 if two_adults else 1,
            updated_by=sendco.user,
        )
        if training is not None:
            plan.required_trainings.set([training])
        for day in range(1, 6):
            moment = (now - timedelta(days=day)).replace(hour=11, minute=15)
            first, second = rng.sample(adults, k=2) if len(adults) > 1 else (adults[0], None)
            for need in ("HYGIENE", "TOILETING" if two_adults else "DRESSING"):
                log.append(
                    CareLogEntry(
                        school=school,
                        pupil=pupil,
                        need=need,
                        at=moment,
                        given_by=first,
                        second_adult=second if two_adults else None,
                    )
                )
    bulk_create_with_history(log, CareLogEntry, batch_size=1000)


def _seed_behaviour(school, register, primary_of, by_role, rng):
    """Incidents for pupils with SEMH or autism, clustered on Monday mornings and after
    lunch, when demands and transitions bite, so the pattern view has something to show."""
    pupils = [p for p in register if primary_of.get(p.pk) in {"SEMH", "ASD"}]
    pupils = pupils[: max(3, len(register) // 6)]
    recorders = by_role[Role.FLS] + by_role[Role.ONE_TO_ONE] + by_role[Role.HLTA]
    if not recorders:
        return
    today = timezone.localdate()
    rows = []
    for pupil in pupils:
        for _ in range(rng.randrange(4, 30)):
            day = today - timedelta(days=rng.randrange(1, 120))
            if rng.random() < 0.35:
                day -= timedelta(days=day.weekday())  # Mondays are harder
            if day.weekday() > 4:
                day -= timedelta(days=day.weekday() - 4)
            hour = rng.choice([9, 9, 10, 11, 13, 13, 14, 14, 15])
            trigger, antecedent, behaviour = rng.choice(BEHAVIOURS)
            strategy = rng.choice(STANDARD_STRATEGIES[:6])
            helped = rng.choices(["YES", "PARTLY", "NO"], weights=[5, 3, 2])[0]
            intensity = rng.choices([1, 2, 3, 4, 5], weights=[3, 4, 3, 2, 1])[0]
            physical = intensity == 5 and rng.random() < 0.5
            rows.append(
                BehaviourIncident(
                    school=school,
                    pupil=pupil,
                    occurred_at=timezone.make_aware(
                        datetime.combine(day, time(hour, rng.randrange(60)))
                    ),
                    setting=SETTING_FOR.get(trigger, "LESSON"),
                    lesson=""
                    if trigger in SETTING_FOR
                    else rng.choice(["English", "Maths", "Science", "Geography", "PE", "Art"]),
                    trigger=trigger,
                    antecedent=antecedent,
                    behaviour=behaviour,
                    strategy=strategy,
                    strategy_helped=helped,
                    outcome="Calmed within 10 minutes and returned to learning"
                    if helped == "YES"
                    else "Stayed in the quiet space for the rest of the lesson",
                    intensity=intensity,
                    physical_intervention=physical,
                    physical_intervention_details="Guided away by the arm (two trained staff, "
                    "under a minute) to stop a punch; no injury; parents phoned the same day."
                    if physical
                    else "",
                    recorded_by=rng.choice(recorders),
                )
            )
    bulk_create_with_history(rows, BehaviourIncident, batch_size=1000)


def _seed_case_studies(school, register, primary_of, by_role, sendco, rng):
    ehcp = [p for p in register if p.sen_status == SenStatus.EHCP][:3]
    writers = by_role[Role.HLTA] or [sendco]
    for n, pupil in enumerate(ehcp):
        need = primary_of.get(pupil.pk, "OTH")
        CaseStudy.objects.create(
            school=school,
            pupil=pupil,
            title=f"{pupil.first_name}: a year of support ({need})",
            body=(
                "<h3>Starting point</h3><p>On entry, "
                f"{pupil.first_name} found unstructured times and written tasks hard.</p>"
                "<h3>What we did</h3><ul><li>Daily check-in with a trusted adult</li>"
                "<li>Precision teaching three times a week</li>"
                "<li>Movement breaks built into the timetable</li></ul>"
                "<h3>Impact</h3><p>Reading age rose by 14 months in 8 months "
                "(<strong>ratio gain 1.75, useful</strong>); incidents halved by spring.</p>"
            ),
            written_by=rng.choice(writers),
            agreed_by=sendco if n % 2 == 0 else None,
            agreed_on=timezone.localdate() - timedelta(days=10) if n % 2 == 0 else None,
        )


def _seed_consent_form(school, register, sendco):
    ehcp = [p for p in register if p.sen_status == SenStatus.EHCP][:2]
    for pupil in ehcp:
        document = PupilDocument(
            school=school,
            pupil=pupil,
            kind=PupilDocument.Kind.CONSENT,
            title="Consent to share with the educational psychologist",
            original_name="consent-ep.pdf",
            content_type="application/pdf",
            size=len(CONSENT_PDF),
            uploaded_by=sendco,
        )
        document.file.save("consent-ep.pdf", ContentFile(CONSENT_PDF), save=False)
        document.save()
