"""Demo Wmo reports: one for each question at the Zorgloket Enschede whose outcome was
"Wmo-melding", in every phase, as the services would have left them.

The phase follows the report's age (a report of last week is still being picked up, one of half
a year ago is mostly closed), with every phase present, some deadlines overdue, some suspended
(running, or ended and so moving the deadline), and client support accepted now and then. The
demo consultant ("consulent") handles most reports, the coordinator some; new reports wait
unassigned in the team's list. Deadlines come from ``deadlines.py``, every step has its status
row. Written with bulk_create (demo rows: no access-log rows, no e-mail), deterministic for a
seed, dates relative to today; skipped when the desk already has Wmo reports.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone

from schakelpunt.contacts.models import Question
from schakelpunt.organisations.models import Desk
from schakelpunt.residents.models import Resident
from schakelpunt.wmo import deadlines
from schakelpunt.wmo.models import (
    SupportTrajectory,
    WmoReport,
    WmoStatusChange,
    WmoSupportRequest,
    WmoSuspension,
)

DESK_SLUG = "zorgloket-enschede"
MAX_REPORTS = 600

S = WmoReport.Status
T = WmoSupportRequest.SupportType
D = WmoReport.Decision

# The topic of the demo question (in its answer: "Wmo-melding gedaan voor {topic}") -> the
# support asked for, with a second kind of support now and then.
TOPIC_TYPES = [
    ("traplift", T.AIDS),
    ("badkamer", T.AIDS),
    ("woningaanpassing", T.AIDS),
    ("scootmobiel", T.AIDS),
    ("personenalarmering", T.AIDS),
    ("huishoud", T.HOUSEHOLD),
    ("regiotaxi", T.TRANSPORT),
    ("vervoer", T.TRANSPORT),
    ("dagbesteding", T.DAY_ACTIVITIES),
    ("mantelzorg", T.RESPITE),
    ("respijt", T.RESPITE),
    ("logeer", T.RESPITE),
    ("geheugen", T.GUIDANCE),
    ("dementie", T.GUIDANCE),
    ("contact met anderen", T.GUIDANCE),
    ("psychisch", T.GUIDANCE),
]
SECOND_TYPE = {
    T.AIDS: T.HOUSEHOLD,
    T.HOUSEHOLD: T.GUIDANCE,
    T.TRANSPORT: T.AIDS,
    T.DAY_ACTIVITIES: T.TRANSPORT,
    T.RESPITE: T.DAY_ACTIVITIES,
    T.GUIDANCE: T.DAY_ACTIVITIES,
    T.OTHER: T.GUIDANCE,
}
DESCRIPTIONS = {
    T.HOUSEHOLD: [
        "Schoonmaken en de was",
        "Zwaar huishoudelijk werk",
        "Hulp bij het huishouden, twee ochtenden",
    ],
    T.AIDS: ["Traplift", "Douchestoel en beugels", "Scootmobiel", "Verhoogd toilet en drempels weg"],
    T.TRANSPORT: ["Regiotaxi-pas", "Vervoer naar de dagbesteding"],
    T.DAY_ACTIVITIES: ["Twee dagen per week dagbesteding", "Dagbesteding in de wijk"],
    T.GUIDANCE: ["Begeleiding bij de dagstructuur", "Hulp bij post en geldzaken"],
    T.RESPITE: ["Logeeropvang één weekend per maand", "Vervangende mantelzorg één dag per week"],
    T.SHELTERED_HOUSING: ["Beschermd wonen"],
    T.OTHER: [""],
}
GRANTED = {
    T.HOUSEHOLD: ["Drie uur hulp bij het huishouden per week.", "Twee uur per week, voor een jaar."],
    T.AIDS: ["Traplift in bruikleen.", "Douchestoel en beugels.", "Scootmobiel in bruikleen."],
    T.TRANSPORT: ["Regiotaxi-pas voor 1.500 km per jaar.", "Vervoer naar de dagbesteding."],
    T.DAY_ACTIVITIES: ["Twee dagdelen dagbesteding per week.", "Drie dagdelen dagbesteding."],
    T.GUIDANCE: ["Individuele begeleiding, twee uur per week.", "Begeleiding voor een half jaar."],
    T.RESPITE: ["Logeeropvang, 24 etmalen per jaar.", "Eén dag per week vervangende zorg."],
    T.SHELTERED_HOUSING: ["Beschermd wonen."],
    T.OTHER: ["Toegekend."],
}
REFUSED = [
    "Voorliggende voorziening: via de zorgverzekeraar.",
    "Kan met hulp van het eigen netwerk.",
    "Algemeen gebruikelijk; geen maatwerkvoorziening nodig.",
]
CONVERSATIONS = [
    "Gesprek thuis met {wie}. {Wie} woont alleen; de dochter komt twee keer per week. Wat lukt zelf: "
    "boodschappen met hulp, koken. Wat niet lukt: zwaar huishoudelijk werk en de trap. Afgesproken: "
    "aanvraag voor {wat}; de consulent vraagt een offerte op.",
    "Gesprek met {wie} en de mantelzorger. De mantelzorger is overbelast. Besproken: wat het netwerk "
    "kan doen, wat algemene voorzieningen bieden (ontmoetingsochtend in de wijk) en wat nodig blijft: "
    "{wat}.",
    "Keukentafelgesprek. {Wie} loopt slecht sinds een val in het voorjaar en wil thuis blijven wonen. "
    "Eigen mogelijkheden besproken; de huisarts is op de hoogte. Vervolg: aanvraag voor {wat}.",
    "Gesprek op het loket met {wie}. De vraag achter de vraag is eenzaamheid; naast {wat} is de "
    "maatjesregeling van de welzijnsorganisatie besproken.",
]
NO_APPLICATION = (
    "Na het gesprek is geen aanvraag nodig: {wie} is geholpen met een algemene voorziening en de "
    "hulp van de buren."
)
WITHDRAWN_NOTES = [
    "Inwoner heeft het zelf geregeld met de familie.",
    "Mantelzorger belde: de melding is niet meer nodig.",
    "Inwoner wil (nu) geen onderzoek.",
]
SUSPENSION_NOTES = {
    WmoSuspension.Reason.INFORMATION: "Wacht op de gegevens van de ergotherapeut.",
    WmoSuspension.Reason.RESIDENT_REQUEST: "Inwoner vroeg het gesprek uit te stellen (ziekenhuisopname).",
    WmoSuspension.Reason.MEDICAL_ADVICE: "Medisch advies aangevraagd bij de GGD.",
}
REPORTERS = [
    (WmoReport.Reporter.RESIDENT, 64),
    (WmoReport.Reporter.INFORMAL_CARER, 20),
    (WmoReport.Reporter.PROFESSIONAL, 9),
    (WmoReport.Reporter.REPRESENTATIVE, 5),
    (WmoReport.Reporter.OTHER, 2),
]
# The phase by the report's age in days: (up to this age, weights).
PHASES_BY_AGE = [
    (6, {S.REPORTED: 70, S.INVESTIGATION: 27, S.WITHDRAWN: 3}),
    (
        42,
        {
            S.REPORTED: 8,
            S.INVESTIGATION: 55,
            S.APPLICATION: 17,
            S.DECIDED: 5,
            S.CIZ: 5,
            S.WITHDRAWN: 5,
            S.CLOSED: 5,
        },
    ),
    (
        90,
        {
            S.REPORTED: 2,
            S.INVESTIGATION: 10,
            S.APPLICATION: 15,
            S.DECIDED: 30,
            S.CIZ: 8,
            S.WITHDRAWN: 7,
            S.CLOSED: 28,
        },
    ),
    (100_000, {S.INVESTIGATION: 1, S.APPLICATION: 2, S.DECIDED: 6, S.CIZ: 5, S.WITHDRAWN: 9, S.CLOSED: 77}),
]
# The youngest report that can be in a phase (the steps before it take some days).
MIN_AGE = {
    S.REPORTED: 0,
    S.INVESTIGATION: 1,
    S.APPLICATION: 12,
    S.DECIDED: 20,
    S.CIZ: 14,
    S.CLOSED: 25,
    S.WITHDRAWN: 3,
}


@dataclass
class Plan:
    report: WmoReport
    types: list[str]
    history: list[tuple[str, str, datetime.date, object, str]] = field(default_factory=list)
    suspensions: list[WmoSuspension] = field(default_factory=list)
    trajectory: SupportTrajectory | None = None
    decisions: dict[str, tuple[str, str]] = field(default_factory=dict)


def _pick(rng: random.Random, weighted):
    items = list(weighted.items()) if isinstance(weighted, dict) else weighted
    return rng.choices([value for value, _ in items], weights=[weight for _, weight in items])[0]


def _support_types(rng: random.Random, question: Question) -> list[str]:
    text = f"{question.answer} {question.question_text}".lower()
    first = next((support_type for word, support_type in TOPIC_TYPES if word in text), T.OTHER)
    types = [first]
    if rng.random() < 0.25:
        types.append(SECOND_TYPE[first])
    return types


def _moment(rng: random.Random, day: datetime.date) -> datetime.datetime:
    hour, minute = rng.randint(9, 16), rng.choice([0, 10, 15, 20, 30, 40, 45, 50])
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _phase(rng: random.Random, age: int) -> str:
    weights = next(weights for limit, weights in PHASES_BY_AGE if age <= limit)
    return _pick(rng, weights)


def _cap(day: datetime.date, today: datetime.date) -> datetime.date:
    return min(day, today)


def _days(rng: random.Random, low: int, high: int) -> datetime.timedelta:
    return datetime.timedelta(days=rng.randint(low, high))


def _who(resident: Resident) -> tuple[str, str]:
    who = "mevrouw" if resident.given_names[-1:] in ("a", "e", "y") else "meneer"
    return who, who.capitalize()


def _plan(
    *,
    rng: random.Random,
    question: Question,
    phase: str,
    today: datetime.date,
    desk: Desk,
    staff: dict[str, object],
) -> Plan:
    resident = question.resident
    reported_on = timezone.localdate(question.created_at)
    registered_by = question.assigned_to or question.contact.handled_by
    reporter = _pick(rng, REPORTERS)
    offered = rng.random() < 0.93
    accepted = _pick(rng, [(True, 25), (False, 65), (None, 10)]) if offered else None
    types = _support_types(rng, question)
    report = WmoReport(
        resident=resident,
        question=question,
        desk=desk,
        reported_on=reported_on,
        reporter=reporter,
        reporter_name="" if reporter == WmoReport.Reporter.RESIDENT else _reporter_name(rng, reporter),
        summary=(question.clarification or question.question_text)[:2000],
        registered_by=registered_by,
        client_support_offered=offered,
        client_support_accepted=accepted,
        due_personal_plan=deadlines.personal_plan_deadline(reported_on),
        due_investigation=deadlines.investigation_deadline(reported_on),
    )
    plan = Plan(report=report, types=types)
    plan.history.append(("", S.REPORTED, reported_on, registered_by, ""))
    who, Who = _who(resident)
    what = DESCRIPTIONS[types[0]][0].lower() or "ondersteuning"

    def step(to_status: str, day: datetime.date, by, note: str = "") -> None:
        plan.history.append((plan.history[-1][1], to_status, day, by, note))

    if phase == S.REPORTED:
        _finish(plan, today)
        return plan
    if phase == S.WITHDRAWN and rng.random() < 0.5:
        # Withdrawn before anyone picked it up.
        closed = _cap(reported_on + _days(rng, 2, 12), today)
        report.closed_on, report.close_reason = closed, WmoReport.CloseReason.OTHER
        step(S.WITHDRAWN, closed, registered_by, rng.choice(WITHDRAWN_NOTES))
        _finish(plan, today)
        return plan

    consultant = staff["consulent"] if rng.random() < 0.72 else staff["coordinator"]
    report.consultant = consultant
    started = _cap(reported_on + _days(rng, 1, 6), today)
    report.investigation_started_on = started
    step(S.INVESTIGATION, started, consultant)
    if rng.random() < 0.15 and phase != S.INVESTIGATION:
        # An ended suspension moved the investigation deadline (with the resident's consent).
        begin = _cap(started + _days(rng, 2, 8), today)
        end = _cap(begin + _days(rng, 5, 18), today)
        reason = _pick(
            rng, [(WmoSuspension.Reason.RESIDENT_REQUEST, 50), (WmoSuspension.Reason.INFORMATION, 50)]
        )
        plan.suspensions.append(
            WmoSuspension(
                report=report,
                phase=WmoSuspension.Phase.INVESTIGATION,
                reason=reason,
                note=SUSPENSION_NOTES[reason],
                started_on=begin,
                ended_on=end,
                started_by=consultant,
            )
        )
        report.investigation_suspended_days += (end - begin).days
        report.due_investigation = deadlines.investigation_deadline(
            reported_on, suspended_days=report.investigation_suspended_days
        )
        started = end  # the investigation goes on after the suspension
    age = (today - reported_on).days
    if phase == S.INVESTIGATION:
        if age > 10 and rng.random() < 0.7:
            report.conversation_on = _cap(started + _days(rng, 3, 14), today)
            report.conversation_report = rng.choice(CONVERSATIONS).format(wie=who, Wie=Who, wat=what)
        if rng.random() < 0.18:
            _running_suspension(rng, plan, WmoSuspension.Phase.INVESTIGATION, started, today, consultant)
        _finish(plan, today)
        return plan
    if phase == S.WITHDRAWN:
        closed = _cap(started + _days(rng, 3, 20), today)
        report.closed_on, report.close_reason = closed, WmoReport.CloseReason.OTHER
        step(S.WITHDRAWN, closed, consultant, rng.choice(WITHDRAWN_NOTES))
        _finish(plan, today)
        return plan

    report.conversation_on = _cap(started + _days(rng, 3, 16), today)
    report.conversation_report = rng.choice(CONVERSATIONS).format(wie=who, Wie=Who, wat=what)
    if rng.random() < 0.3:
        report.personal_plan_received_on = _cap(reported_on + _days(rng, 2, 7), today)
    ciz_path = phase == S.CIZ or (phase == S.CLOSED and rng.random() < 0.08)
    no_application = not ciz_path and phase == S.CLOSED and rng.random() < 0.1
    if ciz_path:
        referred = _cap(report.conversation_on + _days(rng, 1, 7), today)
        report.ciz_referred_on = referred
        report.investigation_completed_on = referred
        report.ciz_outcome = WmoReport.CizOutcome.PENDING
        step(
            S.CIZ,
            referred,
            consultant,
            "Langdurige zorg nodig: verwezen naar het CIZ voor een Wlz-indicatie.",
        )
        outcome_on = referred + _days(rng, 20, 45)
        if phase == S.CLOSED:
            outcome_on = _cap(outcome_on, today)  # closed only once the CIZ has decided
        if outcome_on <= today and (phase == S.CLOSED or rng.random() < 0.5):
            report.ciz_outcome = _pick(
                rng, [(WmoReport.CizOutcome.GRANTED, 75), (WmoReport.CizOutcome.REFUSED, 25)]
            )
            report.ciz_outcome_on = outcome_on
            report.ciz_note = "Besluit van het CIZ ontvangen."
        if phase == S.CLOSED:
            closed = _cap(outcome_on + _days(rng, 0, 5), today)
            report.closed_on, report.close_reason = closed, WmoReport.CloseReason.CIZ
            step(S.CLOSED, closed, consultant)
        _finish(plan, today)
        return plan
    if no_application:
        report.conversation_report = NO_APPLICATION.format(wie=who)
        closed = _cap(report.conversation_on + _days(rng, 1, 10), today)
        report.investigation_completed_on = closed
        report.closed_on, report.close_reason = closed, WmoReport.CloseReason.NO_APPLICATION
        step(S.CLOSED, closed, consultant)
        _finish(plan, today)
        return plan

    # Most investigations end within the six weeks; some late.
    received = _cap(report.conversation_on + _days(rng, 2, 12 if rng.random() < 0.85 else 30), today)
    received = max(received, report.conversation_on)
    report.application_received_on = received
    report.investigation_completed_on = received
    report.due_decision = deadlines.decision_deadline(received)
    step(S.APPLICATION, received, consultant)
    if phase == S.APPLICATION:
        if rng.random() < 0.15:
            _running_suspension(rng, plan, WmoSuspension.Phase.DECISION, received, today, consultant)
        _finish(plan, today)
        return plan

    decided = _cap(received + _days(rng, 3, 13 if rng.random() < 0.9 else 20), today)
    for support_type in types:
        decision = _pick(rng, [(D.GRANTED, 76), (D.PARTLY, 9), (D.REFUSED, 15)])
        what = rng.choice(REFUSED) if decision == D.REFUSED else rng.choice(GRANTED[support_type])
        plan.decisions[support_type] = (decision, what)
    values = {decision for decision, _what in plan.decisions.values()}
    report.decision = D.GRANTED if values == {D.GRANTED} else D.REFUSED if values == {D.REFUSED} else D.PARTLY
    report.decision_note = " ".join(what for _decision, what in plan.decisions.values())[:2000]
    report.decided_on = decided
    step(S.DECIDED, decided, consultant)
    if phase == S.CLOSED:
        closed = _cap(decided + _days(rng, 0, 10), today)
        report.closed_on, report.close_reason = closed, WmoReport.CloseReason.DECIDED
        step(S.CLOSED, closed, consultant)
    _finish(plan, today)
    return plan


def _running_suspension(rng, plan: Plan, phase: str, since: datetime.date, today: datetime.date, by) -> None:
    begin = _cap(since + _days(rng, 1, 10), today)
    reason = _pick(
        rng,
        [
            (WmoSuspension.Reason.INFORMATION, 55),
            (WmoSuspension.Reason.RESIDENT_REQUEST, 30),
            (WmoSuspension.Reason.MEDICAL_ADVICE, 15),
        ],
    )
    plan.suspensions.append(
        WmoSuspension(
            report=plan.report,
            phase=phase,
            reason=reason,
            note=SUSPENSION_NOTES[reason],
            started_on=begin,
            started_by=by,
        )
    )
    plan.report.suspended_since = begin


def _finish(plan: Plan, today: datetime.date) -> None:
    report = plan.report
    report.status = plan.history[-1][1]
    report.version = len(plan.history)
    if report.client_support_accepted:
        if not report.is_open:
            status, ended = SupportTrajectory.Status.ENDED, report.closed_on
        elif (today - report.reported_on).days < 10:
            status, ended = SupportTrajectory.Status.REQUESTED, None
        else:
            status, ended = SupportTrajectory.Status.RUNNING, None
        plan.trajectory = SupportTrajectory(
            report=report,
            resident=report.resident,
            status=status,
            requested_on=report.reported_on,
            goals="Samen met de inwoner de vraag helder krijgen en meegaan naar het gesprek.",
            ended_on=ended,
            end_reason="Melding afgehandeld." if ended else "",
        )


def _reporter_name(rng: random.Random, reporter: str) -> str:
    return {
        WmoReport.Reporter.INFORMAL_CARER: rng.choice(["Dochter", "Zoon", "Buurvrouw", "Echtgenoot"]),
        WmoReport.Reporter.PROFESSIONAL: rng.choice(
            ["Huisarts", "Wijkverpleegkundige", "Praktijkondersteuner"]
        ),
        WmoReport.Reporter.REPRESENTATIVE: rng.choice(["Mentor", "Bewindvoerder"]),
    }.get(reporter, "Kennis van de inwoner")


def _ensure_every_phase(phases: list[str], ages: list[int], today: datetime.date) -> None:
    """Give every phase at least two reports and keep a few investigations overdue, by moving
    reports that are old enough (deterministic: the oldest suitable ones from the end)."""
    wanted = dict.fromkeys(S.values, 2)
    for phase, count in wanted.items():
        missing = count - phases.count(phase)
        for index in range(len(phases) - 1, -1, -1):
            if missing <= 0:
                break
            donor = phases[index]
            if donor != phase and ages[index] >= MIN_AGE[phase] and phases.count(donor) > wanted[donor]:
                phases[index] = phase
                missing -= 1
    overdue = sum(1 for phase, age in zip(phases, ages, strict=True) if phase == S.INVESTIGATION and age > 50)
    for index in range(len(phases)):
        if overdue >= 3:
            break
        if phases[index] == S.CLOSED and 50 < ages[index] < 120:
            phases[index] = S.INVESTIGATION
            overdue += 1


def _ensure_a_running_suspension(rng: random.Random, plans: list[Plan], today: datetime.date) -> None:
    """Suspend the newest running investigation when chance suspended none: with few open
    reports (a small demo, or a day whose ages fall that way) it happens often enough."""
    if any(plan.report.is_suspended for plan in plans):
        return
    for plan in reversed(plans):
        report = plan.report
        if report.status == S.INVESTIGATION:
            since = report.investigation_started_on
            _running_suspension(rng, plan, WmoSuspension.Phase.INVESTIGATION, since, today, report.consultant)
            return


def load(*, rng: random.Random, fake, stdout) -> None:
    desk = Desk.objects.filter(slug=DESK_SLUG).first()
    users = get_user_model().objects.filter(username__in=["consulent", "coordinator"])
    staff = {user.username: user for user in users}
    if desk is None or len(staff) < 2:
        stdout.write("Demo Wmo reports: skipped, the demo desk or its consultants are missing.")
        return
    if WmoReport.objects.filter(desk=desk).exists():
        stdout.write(f"Demo Wmo reports: skipped, {desk} already has Wmo reports.")
        return
    today = timezone.localdate()
    questions = list(
        Question.objects.filter(
            contact__desk=desk,
            outcome=Question.Outcome.WMO_REPORT,
            resident__isnull=False,
            resident__status=Resident.Status.ACTIVE,
            created_at__date__lte=today,
        )
        .select_related("resident", "contact__handled_by", "assigned_to")
        .order_by("-created_at", "-pk")[:MAX_REPORTS]
    )
    questions.reverse()  # oldest first
    if not questions:
        stdout.write("Demo Wmo reports: skipped, no questions with the outcome Wmo-melding.")
        return
    ages = [(today - timezone.localdate(question.created_at)).days for question in questions]
    phases = [_phase(rng, age) for age in ages]
    _ensure_every_phase(phases, ages, today)
    plans = [
        _plan(rng=rng, question=question, phase=phase, today=today, desk=desk, staff=staff)
        for question, phase in zip(questions, phases, strict=True)
    ]
    _ensure_a_running_suspension(rng, plans, today)
    _save(plans)
    reports = [plan.report for plan in plans]
    by_phase = {phase: sum(1 for report in reports if report.status == phase) for phase in S.values}
    overdue = sum(1 for report in reports if report.is_overdue(today))
    suspended = sum(1 for report in reports if report.is_suspended)
    summary = ", ".join(f"{S(phase).label.lower()} {count}" for phase, count in by_phase.items() if count)
    stdout.write(
        f"Demo Wmo reports at {desk}: {len(reports)} ({summary}); {overdue} over the deadline, "
        f"{suspended} suspended, {sum(1 for plan in plans if plan.trajectory)} with client support."
    )


def _moments(plan: Plan, now: datetime.datetime) -> list[datetime.datetime]:
    """A time of day for each step, in order, never after now; the report itself was made
    with its question."""
    moments: list[datetime.datetime] = []
    previous = plan.report.question.created_at
    for _from, to_status, day, _by, _note in plan.history:
        if to_status == S.REPORTED:
            moment = previous
        else:
            candidate = _moment(random.Random(day.toordinal() * 7 + len(moments)), day)
            moment = max(previous, min(candidate, now))
        moments.append(moment)
        previous = moment
    return moments


def _save(plans: list[Plan]) -> None:
    now = timezone.now()
    moments = {}
    for plan in plans:
        moments[id(plan)] = _moments(plan, now)
        plan.report.status_changed_at = moments[id(plan)][-1]
    WmoReport.objects.bulk_create([plan.report for plan in plans], batch_size=500)
    # bulk_create stamps created_at with now; each report was made with its question.
    for plan in plans:
        plan.report.created_at = plan.report.question.created_at
    WmoReport.objects.bulk_update([plan.report for plan in plans], ["created_at"], batch_size=500)
    requests, history, suspensions, trajectories = [], [], [], []
    for plan in plans:
        report = plan.report
        for support_type in plan.types:
            decision, what = plan.decisions.get(support_type, ("", ""))
            requests.append(
                WmoSupportRequest(
                    report=report,
                    support_type=support_type,
                    description=DESCRIPTIONS[support_type][0],
                    decision=decision,
                    decision_note=what[:300],
                )
            )
        for (from_status, to_status, _day, by, note), moment in zip(
            plan.history, moments[id(plan)], strict=True
        ):
            history.append(
                WmoStatusChange(
                    report=report,
                    from_status=from_status,
                    to_status=to_status,
                    note=note,
                    changed_by=by,
                    changed_at=moment,
                )
            )
        suspensions.extend(plan.suspensions)
        if plan.trajectory is not None:
            trajectories.append(plan.trajectory)
    WmoSupportRequest.objects.bulk_create(requests, batch_size=1000)
    WmoStatusChange.objects.bulk_create(history, batch_size=1000)
    WmoSuspension.objects.bulk_create(suspensions, batch_size=1000)
    SupportTrajectory.objects.bulk_create(trajectories, batch_size=1000)
