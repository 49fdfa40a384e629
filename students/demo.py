"""Demo pupil records shaped like the national picture (DfE, Special educational needs in
England, January 2025): about 15 % of pupils on SEN support and 2-4 % with an EHC plan; SLCN
the most common primary need on SEN support and ASD for EHC plans, SEMH and SpLD/MLD next.

Rows are bulk-created (with their history rows) so that a 3,000-pupil school seeds in
seconds. Deterministic for a seed; a school that already has pupils is left as it is.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from faker import Faker
from simple_history.utils import bulk_create_with_history

from staffing.models import Role, School, StaffMember
from students.demo_records import seed_school_records
from students.models import (
    AREA_OF_NEED,
    Area,
    EhcPlan,
    EhcpOutcome,
    EhcpReview,
    OutcomeProgress,
    Passport,
    PlanReview,
    PlanTarget,
    Pupil,
    PupilNeed,
    RegisterPeriod,
    SenStatus,
    StaffPupilLink,
    SupportPlan,
    TargetOutcome,
)
from students.upn import make_upn

# Primary need weights (per cent, rounded) for pupils on SEN support and with EHC plans.
SUPPORT_NEEDS = {
    "SLCN": 25,
    "SEMH": 21,
    "SPLD": 15,
    "MLD": 13,
    "ASD": 10,
    "OTH": 4,
    "NSA": 4,
    "PD": 2,
    "HI": 2,
    "VI": 1,
    "SLD": 1,
    "MSI": 1,
    "PMLD": 1,
}
EHCP_NEEDS = {
    "ASD": 33,
    "SLCN": 21,
    "SEMH": 15,
    "SLD": 8,
    "MLD": 7,
    "PD": 4,
    "SPLD": 4,
    "PMLD": 2,
    "HI": 2,
    "OTH": 2,
    "VI": 1,
    "MSI": 1,
}
DESCRIPTORS = {
    "SLCN": ["speech sound disorder", "developmental language disorder", "stammer"],
    "SEMH": ["anxiety", "ADHD", "attachment difficulties", "low mood"],
    "SPLD": ["dyslexia", "dyscalculia", "dyspraxia"],
    "MLD": ["global delay", "working memory difficulties"],
    "ASD": ["autism", "autism (PDA profile)"],
    "PD": ["cerebral palsy", "hypermobility"],
    "HI": ["moderate hearing loss", "cochlear implant"],
    "VI": ["visual impairment"],
}
TARGETS = {
    Area.COMMUNICATION: [
        (
            "Ask an adult for help using a help card in 4 out of 5 lessons",
            "Help card on desk; adult checks in after 5 minutes",
            "FLS in class",
            "Every lesson",
        ),
        (
            "Take turns in a small-group conversation for 5 minutes",
            "Talk partners; sentence stems",
            "HLTA",
            "2 x 20 minutes a week",
        ),
        (
            "Follow a two-part instruction without repetition",
            "Chunked instructions; visual prompts",
            "Class teacher and FLS",
            "Daily",
        ),
    ],
    Area.COGNITION: [
        (
            "Read 40 high-frequency words fluently",
            "Precision teaching",
            "HLTA (Literacy)",
            "3 x 10 minutes a week",
        ),
        (
            "Recall number bonds to 20 within 3 seconds",
            "Number sense programme",
            "HLTA (Numeracy)",
            "3 x 15 minutes a week",
        ),
        (
            "Write a paragraph of 5 sentences using a writing frame",
            "Writing frame; word bank",
            "FLS in English",
            "Weekly",
        ),
    ],
    Area.SEMH: [
        (
            "Use a regulation strategy from the toolkit when anxious, 3 times a week",
            "Zones of regulation; quiet space pass",
            "1:1 assistant",
            "Daily check-in",
        ),
        (
            "Arrive at lessons on time on 9 out of 10 days",
            "Now/next board; meet at the gate",
            "Form tutor and PSO",
            "Daily",
        ),
    ],
    Area.SENSORY: [
        (
            "Use the agreed seating and equipment in every lesson without prompting",
            "Radio aid; front seating",
            "FLS",
            "Every lesson",
        ),
        (
            "Complete fine-motor warm-up before writing tasks",
            "Handwriting programme",
            "1:1 assistant",
            "Daily",
        ),
    ],
}
PASSPORT = {
    "about_me": [
        "I love drawing and Minecraft.",
        "I play football for a local team.",
        "I look after my little brother and love animals.",
        "I like science and Lego.",
    ],
    "strengths": [
        "Kind and helpful to others",
        "Great memory for facts",
        "Creative and artistic",
        "Works hard when interested",
    ],
    "what_helps": [
        "Instructions one step at a time, written down",
        "A visual timetable and warning before changes",
        "Sitting near the front, away from the door",
        "Time to think before answering",
    ],
    "what_does_not_help": [
        "Being asked to read aloud without warning",
        "Sudden changes",
        "Shouting or raised voices",
        "Long blocks of text on the board",
    ],
    "triggers": ["Loud noises", "Unstructured time", "Being rushed", "Crowded corridors"],
    "regulation_strategies": [
        "Movement break with a job to do",
        "Quiet space pass",
        "Fidget tool",
        "Breathing with the 5-4-3-2-1 card",
    ],
    "communication": [
        "Needs extra processing time",
        "Prefers short, direct sentences",
        "May not make eye contact; still listening",
    ],
    "sensory_needs": ["Ear defenders in the hall", "Sensitive to bright lights", "—"],
    "pupil_voice": [
        "I learn best when I can see what to do.",
        "Please don't make me read out loud.",
        "I like it when teachers check I am OK.",
    ],
    "parent_voice": [
        "Mornings are hard; a calm start helps.",
        "Homework causes worry at home.",
        "Very proud of progress in reading this year.",
    ],
}


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def seed_school_pupils(*, school: School, pupils: int, seed: int, index: int) -> int:
    """Create ``pupils`` pupils for the school (if it has none) with a SEND register and its
    records. Returns the number of pupils created."""
    if pupils == 0 or Pupil.objects.filter(school=school).exists():
        return 0
    rng = random.Random(seed * 7919 + index)
    faker = Faker("en_GB")
    faker.seed_instance(seed * 7919 + index)
    today = timezone.localdate()
    staff = list(StaffMember.objects.filter(school=school, is_active=True).select_related("user"))
    by_role = {role: [m for m in staff if m.role == role] for role in Role}
    sendco = (by_role[Role.SENDCO] or staff or [None])[0]

    rows = []
    for n in range(pupils):
        year_group = 7 + n % 5
        entry_year = today.year - (year_group - 7) - (1 if today.month < 9 else 0)
        roll = rng.random()
        status = SenStatus.EHCP if roll < 0.03 else SenStatus.SUPPORT if roll < 0.18 else "N"
        rows.append(
            Pupil(
                school=school,
                upn=make_upn(801, 4000 + index, entry_year, n // 5),
                first_name=faker.first_name(),
                last_name=faker.last_name(),
                date_of_birth=date(entry_year - 11, 9, 1) + timedelta(days=rng.randrange(365)),
                year_group=year_group,
                tutor_group=f"{year_group}{'ABCDEF'[rng.randrange(6)]}",
                sen_status=status,
                pupil_premium=rng.random() < 0.27,
                eal=rng.random() < 0.18,
                looked_after=rng.random() < 0.01,
            )
        )
    bulk_create_with_history(rows, Pupil, batch_size=500)
    created = list(Pupil.objects.filter(school=school).order_by("pk"))
    register = [p for p in created if p.sen_status != "N"]

    needs, periods, passports = [], [], []
    for pupil in register:
        weights = EHCP_NEEDS if pupil.sen_status == SenStatus.EHCP else SUPPORT_NEEDS
        primary = _weighted(rng, weights)
        needs.append(_need(school, pupil, primary, PupilNeed.PRIMARY, rng))
        if rng.random() < 0.35:
            secondary = _weighted(
                rng, {k: v for k, v in SUPPORT_NEEDS.items() if k not in (primary, "NSA")}
            )
            needs.append(_need(school, pupil, secondary, PupilNeed.SECONDARY, rng))
        started = today - timedelta(days=rng.randrange(60, 1200))
        periods.append(
            RegisterPeriod(
                school=school,
                pupil=pupil,
                status=pupil.sen_status,
                started_on=started,
                reason="Identified at Assess",
            )
        )
        passports.append(
            Passport(
                school=school,
                pupil=pupil,
                updated_by=sendco.user if sendco else None,
                **{k: rng.choice(v) for k, v in PASSPORT.items()},
            )
        )
    bulk_create_with_history(needs, PupilNeed, batch_size=500)
    bulk_create_with_history(periods, RegisterPeriod, batch_size=500)
    bulk_create_with_history(passports, Passport, batch_size=500)
    primary_of = {n.pupil_id: n.code for n in needs if n.rank == PupilNeed.PRIMARY}

    _seed_plans(school, register, primary_of, sendco, by_role, rng, today)
    _seed_ehcps(
        school,
        [p for p in register if p.sen_status == SenStatus.EHCP],
        primary_of,
        sendco,
        rng,
        today,
    )
    _seed_links(school, register, by_role, rng)
    _seed_arrangements(school, register, sendco, rng, today)
    _seed_health(school, register, sendco, by_role, rng)
    seed_school_records(school=school, register=register, primary_of=primary_of, rng=rng)
    return len(created)


def _need(school, pupil, code, rank, rng):
    descriptor = rng.choice(DESCRIPTORS.get(code, [""]))
    return PupilNeed(school=school, pupil=pupil, code=code, rank=rank, descriptor=descriptor)


def _targets_for(code: str, rng: random.Random):
    area = AREA_OF_NEED.get(code, Area.COGNITION)
    chosen = rng.sample(TARGETS[area], k=min(2, len(TARGETS[area])))
    other = rng.choice([a for a in TARGETS if a != area])
    return [(area, *t) for t in chosen] + [(other, *rng.choice(TARGETS[other]))]


def _seed_plans(school, register, primary_of, sendco, by_role, rng, today):
    """Every SEN support pupil has an active plan; most have a reviewed, closed cycle
    before it. Some reviews are overdue, some due within the fortnight."""
    drafters = by_role[Role.HLTA] + by_role[Role.PSO] or [sendco]
    closed, active = [], []
    for pupil in register:
        review_in = rng.choice([-21, -5, 3, 10, 25, 40, 60, 75])
        start = today + timedelta(days=review_in) - timedelta(weeks=12)
        has_previous = rng.random() < 0.6
        common = {
            "school": school,
            "pupil": pupil,
            "approved_by": sendco,
            "drafted_by": rng.choice(drafters),
            "approved_at": timezone.now() - timedelta(days=max(1, -review_in + 84)),
        }
        if has_previous:
            closed.append(
                SupportPlan(
                    cycle=1,
                    status=SupportPlan.Status.CLOSED,
                    start_date=start - timedelta(weeks=13),
                    review_date=start - timedelta(days=7),
                    closed_at=timezone.now(),
                    assessment="Baseline assessments on entry.",
                    **common,
                )
            )
        active.append(
            SupportPlan(
                cycle=2 if has_previous else 1,
                status=SupportPlan.Status.ACTIVE,
                start_date=start,
                review_date=start + timedelta(weeks=12),
                assessment="Reading and spelling ages below chronological age; see passport.",
                **common,
            )
        )
    bulk_create_with_history(closed + active, SupportPlan, batch_size=500)
    plans = list(SupportPlan.objects.filter(school=school).order_by("pk"))
    previous = {p.pupil_id: p for p in plans if p.status == SupportPlan.Status.CLOSED}
    targets = []
    for plan in plans:
        for order, (area, text, strategies, who, often) in enumerate(
            _targets_for(primary_of.get(plan.pupil_id, "MLD"), rng)
        ):
            targets.append(
                PlanTarget(
                    school=school,
                    plan=plan,
                    area=area,
                    description=text,
                    strategies=strategies,
                    success_criteria="Seen in class and in intervention records",
                    supported_by=who,
                    frequency=often,
                    order=order,
                )
            )
    bulk_create_with_history(targets, PlanTarget, batch_size=1000)
    reviews = [
        PlanReview(
            school=school,
            plan=plan,
            reviewed_on=plan.review_date,
            reviewed_by=sendco,
            pupil_voice="The help card makes it easier to ask.",
            parent_voice="More settled at home this term.",
            next_steps="Keep the strategies that worked; new reading target.",
        )
        for plan in previous.values()
    ]
    bulk_create_with_history(reviews, PlanReview, batch_size=500)
    review_of = {r.plan_id: r for r in PlanReview.objects.filter(school=school)}
    outcomes = [
        TargetOutcome(
            school=school,
            review=review_of[t.plan_id],
            target=t,
            outcome=rng.choice(TargetOutcome.Outcome.values),
            comment="",
        )
        for t in PlanTarget.objects.filter(school=school, plan_id__in=review_of)
    ]
    bulk_create_with_history(outcomes, TargetOutcome, batch_size=1000)


def _seed_ehcps(school, pupils, primary_of, sendco, rng, today):
    """EHC plans with outcomes, termly progress and a last annual review; some reviews are
    overdue and some due within the month."""
    plans = []
    for pupil in pupils:
        due = today + timedelta(days=rng.choice([-30, -3, 10, 20, 45, 90, 150, 240, 300]))
        last = due - relativedelta(months=12)
        issued = last - relativedelta(months=rng.choice([0, 12, 24]))
        plans.append(
            EhcPlan(
                school=school,
                pupil=pupil,
                date_issued=issued,
                local_authority=rng.choice(
                    [
                        "Bristol City Council",
                        "North Somerset Council",
                        "South Gloucestershire Council",
                    ]
                ),
                la_coordinator=rng.choice(["J. Patel", "S. Jones", "A. Clarke", "M. Ahmed"]),
                primary_need=primary_of.get(pupil.pk, "ASD"),
                provision_summary="Adult support in core lessons; weekly speech and language "
                "programme; access to a quiet space.",
                funded_hours_per_week=Decimal(rng.choice([10, 12.5, 15, 20, 25, 32.5])),
                last_review_date=last if last > issued else None,
                next_review_date=due,
            )
        )
    bulk_create_with_history(plans, EhcPlan, batch_size=500)
    plans = list(EhcPlan.objects.filter(school=school))
    outcomes, reviews = [], []
    for plan in plans:
        area = AREA_OF_NEED.get(plan.primary_need, Area.COMMUNICATION)
        for order, (target_area, text, *_rest) in enumerate(
            [(area, *TARGETS[area][0]), (Area.SEMH, *TARGETS[Area.SEMH][0])]
        ):
            outcomes.append(
                EhcpOutcome(
                    school=school,
                    ehcp=plan,
                    area=target_area,
                    description=f"By the end of Key Stage 4: {text[0].lower()}{text[1:]}.",
                    order=order,
                )
            )
        if plan.last_review_date:
            reviews.append(
                EhcpReview(
                    school=school,
                    ehcp=plan,
                    meeting_date=plan.last_review_date,
                    attendees="SENDCo, parents, class teacher, LA coordinator",
                    views_gathered="Pupil: enjoys art; parents: worried about transition.",
                    recommendations="Maintain the plan; add a transition outcome.",
                    recorded_by=sendco,
                )
            )
    bulk_create_with_history(outcomes, EhcpOutcome, batch_size=500)
    bulk_create_with_history(reviews, EhcpReview, batch_size=500)
    progress = [
        OutcomeProgress(
            school=school,
            outcome=o,
            recorded_on=today - timedelta(days=40),
            term="Autumn",
            rating=rng.choice(OutcomeProgress.Rating.values),
            note="Seen in lessons and 1:1 sessions.",
            recorded_by=sendco,
        )
        for o in EhcpOutcome.objects.filter(school=school)
    ]
    bulk_create_with_history(progress, OutcomeProgress, batch_size=500)


def _seed_links(school, register, by_role, rng):
    """HLTAs keep a caseload the SENDCo linked by hand until intervention groups give them
    their pupils; everyone else is linked to pupils by the timetable (allocations, their
    classes, cover), which staffing.deployment.demo builds."""
    links = set()
    for member in by_role[Role.HLTA]:
        for pupil in rng.sample(register, k=min(15, len(register))):
            links.add((member.pk, pupil.pk, StaffPupilLink.Source.DIRECT))
    bulk_create_with_history(
        [
            StaffPupilLink(school=school, staff_id=s, pupil_id=p, source=src)
            for s, p, src in sorted(links)
        ],
        StaffPupilLink,
        batch_size=1000,
    )


ARRANGEMENT_BY_NEED = {
    "SPLD": ["EXTRA_TIME_25", "READER", "WORD_PROCESSOR"],
    "MLD": ["EXTRA_TIME_25", "READER", "PROMPTER"],
    "SLCN": ["EXTRA_TIME_25", "OLM"],
    "ASD": ["SEPARATE_INVIGILATION", "REST_BREAKS", "PROMPTER"],
    "SEMH": ["SEPARATE_INVIGILATION", "REST_BREAKS"],
    "HI": ["SIGN_LANGUAGE", "MODIFIED_PAPERS"],
    "VI": ["MODIFIED_PAPERS", "EXTRA_TIME_50", "COMPUTER_READER"],
    "PD": ["SCRIBE", "EXTRA_TIME_25", "PRACTICAL_ASSISTANT"],
}


def _seed_arrangements(school, register, sendco, rng, today):
    """Exam access arrangements for register pupils in years 10 and 11, by need; some
    approved, some reviews due this exam year."""
    from students.models import AccessArrangement

    primary = dict(
        PupilNeed.objects.filter(school=school, rank=PupilNeed.PRIMARY).values_list(
            "pupil_id", "code"
        )
    )
    rows = []
    for pupil in register:
        if pupil.year_group < 10 or rng.random() < 0.3:
            continue
        options = ARRANGEMENT_BY_NEED.get(primary.get(pupil.pk), ["EXTRA_TIME_25"])
        for arrangement in rng.sample(options, k=min(len(options), rng.choice([1, 1, 2]))):
            evidence = today - timedelta(days=rng.randrange(30, 500))
            approved = rng.random() < 0.8
            rows.append(
                AccessArrangement(
                    school=school,
                    pupil=pupil,
                    arrangement=arrangement,
                    assessor=rng.choice(
                        ["Specialist assessor (SENDCo)", "Educational psychologist"]
                    ),
                    evidence_date=evidence,
                    normal_way_of_working="Used routinely in lessons and internal exams.",
                    approved_by=sendco if approved else None,
                    approved_on=evidence + timedelta(days=14) if approved else None,
                    review_date=evidence + timedelta(days=rng.choice([300, 400, 600])),
                )
            )
    bulk_create_with_history(rows, AccessArrangement, batch_size=500)


HEALTH = [
    (
        "Epilepsy (tonic-clonic seizures)",
        "Buccal midazolam",
        "5 mg",
        "BUCCAL",
        True,
        2,
        240,
        "Medication administration",
        "Epilepsy and emergency medication",
    ),
    (
        "Asthma",
        "Salbutamol inhaler",
        "2 puffs",
        "INHALED",
        True,
        4,
        240,
        "Medication administration",
        None,
    ),
    ("ADHD", "Methylphenidate", "10 mg", "ORAL", False, 1, 240, "Medication administration", None),
    (
        "Severe nut allergy",
        "Adrenaline auto-injector",
        "0.3 mg",
        "INJECTION",
        True,
        2,
        5,
        "Medication administration",
        None,
    ),
]


def _seed_health(school, register, sendco, by_role, rng):
    """Healthcare plans and medication for a few register pupils, with a week of logged
    doses given by 1:1 assistants (trained ones: the demo records their training when the
    CPD demo runs; doses are logged directly here as history)."""
    from cpd.models import TrainingType
    from students.models import HealthcarePlan, Medication, MedicationDose

    types = {t.name: t for t in TrainingType.objects.filter(school=school)}
    givers = by_role[Role.ONE_TO_ONE] or [sendco]
    now = timezone.now()
    for pupil in rng.sample(register, k=min(len(register), max(3, len(register) // 12))):
        condition, name, dose, route, prn, per_day, interval, *needed = rng.choice(HEALTH)
        plan = HealthcarePlan.objects.create(
            school=school,
            pupil=pupil,
            conditions=condition,
            symptoms="See the emergency procedure; tell the SENDCo of any change.",
            emergency_procedure="Stay with the pupil, give medication as trained, call 999 "
            "if it does not work within 10 minutes, then call parents.",
            contacts="Parent/carer: 07700 900000 · School nurse: 0117 496 0000",
            updated_by=sendco.user if sendco else None,
        )
        plan.required_trainings.set([types[n] for n in needed if n and n in types])
        medication = Medication.objects.create(
            school=school,
            pupil=pupil,
            name=name,
            dose=dose,
            route=route,
            as_needed=prn,
            schedule="" if prn else "12:30 daily",
            max_doses_per_day=per_day,
            min_interval_minutes=interval,
            stock=rng.randrange(1, 30),
            low_stock_at=5,
            supply_expires=timezone.localdate() + timedelta(days=rng.choice([15, 90, 240])),
        )
        if not prn:
            MedicationDose.objects.bulk_create(
                MedicationDose(
                    school=school,
                    medication=medication,
                    outcome="GIVEN",
                    given_at=now.replace(hour=12, minute=30) - timedelta(days=day),
                    dose=dose,
                    given_by=rng.choice(givers),
                )
                for day in range(1, 8)
            )
