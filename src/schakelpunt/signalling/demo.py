"""Demo signals at the Zorgloket Enschede: one in every state, the two from the source
documents among them, with the demo's own unmet needs linked as evidence; then the automatic
proposals the demo's unmet needs give.

Written with the models directly (demo rows: no access-log rows, no e-mail). Idempotent:
skipped when there are signals.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from schakelpunt.contacts.models import LifeDomain, Question
from schakelpunt.organisations.models import Desk, Organisation
from schakelpunt.referrals.models import UnmetNeed
from schakelpunt.signalling.models import Signal, SignalQuestion, SignalStatus, SignalUnmetNeed
from schakelpunt.signalling.services import signals_propose

S = Signal.Status
K = Signal.Kind
R = Question.UnmetReason
DESK_SLUG = "zorgloket-enschede"
DEMO_THRESHOLD = 8


@dataclass(frozen=True)
class DemoSignal:
    title: str
    description: str
    kind: str
    domain: str | None
    reason: str
    addressee: str | None  # organisation name; None: the municipality
    raised_by: str  # demo user name
    days_ago: int
    # The moves after the proposal: (status, note), made by the coordinator (sent,
    # dismissed) or by the addressee (the policy officer, or the partner login).
    steps: tuple[tuple[str, str], ...]
    evidence: int = 0  # at most this many matching questions (and unmet needs) as evidence


SIGNALS = [
    DemoSignal(
        "Geen personenalarmering voor inwoners zonder netwerk",
        "Inwoners die alleen wonen en geen familie of buren in de buurt hebben, krijgen geen "
        "personenalarmering: de aanbieder vraagt drie contactpersonen die binnen een kwartier "
        "kunnen komen, en professionele opvolging van het alarm is er in Enschede niet. Juist "
        "deze inwoners vallen en liggen dan lang op de grond.",
        K.GAP,
        "veiligheid",
        R.NOT_AVAILABLE,
        None,
        "frontoffice",
        150,
        (
            (S.SENT, ""),
            (S.ACKNOWLEDGED, "Herkend; we zoeken het uit met de zorgaanbieders."),
            (
                S.ACTION_PLANNED,
                "De gemeente koopt met de zorgverzekeraar professionele alarmopvolging in voor "
                "inwoners zonder netwerk; start gepland in het eerste kwartaal.",
            ),
        ),
        evidence=40,
    ),
    DemoSignal(
        "Wijkspreekuren zijn niet laagdrempelig",
        "Op de wijkspreekuren in de wijkgebouwen komen weinig inwoners. Wie er wel komt, zegt "
        "dat een apart spreekuur op vaste uren een drempel is: inwoners lopen liever binnen "
        "waar ze al komen (de bibliotheek, het buurthuis, de huisarts). De inwoners voor wie de "
        "spreekuren bedoeld zijn, bereiken we er zo niet mee.",
        K.ACCESS,
        None,
        "",
        None,
        "coordinator",
        60,
        (
            (S.SENT, ""),
            (
                S.ACKNOWLEDGED,
                "Herkend. We bespreken met Welzijn Twente Samen spreekuren op plekken waar "
                "inwoners al komen.",
            ),
        ),
    ),
    DemoSignal(
        "Geen plek voor huishoudelijke hulp binnen vier weken",
        "Inwoners die na een ziekenhuisopname huishoudelijke hulp nodig hebben, wachten vier "
        "weken of langer: de teams zitten vol.",
        K.GAP,
        "huishouden",
        R.NO_CAPACITY,
        "Thuiszorg Tukkerland",
        "consulent",
        12,
        ((S.SENT, ""),),
        evidence=20,
    ),
    DemoSignal(
        "Wachtlijst voor dagbesteding voor mensen met dementie",
        "Mantelzorgers van mensen met dementie wachten maanden op dagbesteding dicht bij huis; "
        "een aantal kan daardoor niet blijven werken.",
        K.GAP,
        "dagbesteding",
        R.WAITING_LIST,
        None,
        "coordinator",
        300,
        (
            (S.SENT, ""),
            (S.ACKNOWLEDGED, ""),
            (S.ACTION_PLANNED, "Subsidie voor twee extra groepen dagbesteding bij Zorggroep Dinkeldal."),
            (
                S.NEW_SUPPLY,
                "Twee nieuwe groepen dagbesteding in Enschede-Oost, met vervoer; de wachttijd is gehalveerd.",
            ),
        ),
        evidence=25,
    ),
    DemoSignal(
        "Geen hulp bij het huishouden in de avond en het weekend",
        "Mantelzorgers vragen om hulp in de avond en het weekend, als zij zelf niet kunnen. Dat "
        "aanbod is er niet.",
        K.GAP,
        "huishouden",
        R.NOT_AVAILABLE,
        "Thuiszorg Tukkerland",
        "frontoffice",
        90,
        (
            (S.SENT, ""),
            (
                S.DECLINED,
                "Hulp in de avond en het weekend valt buiten onze opdracht. Het hoort bij de "
                "inkoop van de Wmo: wij sturen het door naar de gemeente.",
            ),
        ),
        evidence=10,
    ),
    DemoSignal(
        "Vrijwillige chauffeurs volgeboekt op doordeweekse ochtenden",
        "Inwoners die wekelijks naar het ziekenhuis moeten, vinden op doordeweekse ochtenden "
        "geen vrijwillige chauffeur meer.",
        K.GAP,
        "vervoer",
        R.NO_CAPACITY,
        "Welzijn Twente Samen",
        "frontoffice",
        5,
        (),
        evidence=15,
    ),
    DemoSignal(
        "Lange wachttijd voor een eerste gesprek over schulden",
        "Inwoners met schulden wachten drie weken op een eerste gesprek.",
        K.ACCESS,
        "financien",
        R.WAITING_LIST,
        None,
        "consulent",
        40,
        (
            (
                S.DISMISSED,
                "Al bekend bij de gemeente en onderdeel van het lopende verbeterplan schuldhulpverlening.",
            ),
        ),
        evidence=5,
    ),
]


def _evidence(desk: Desk, spec: DemoSignal, before: datetime.datetime, taken: set[int]):
    if not spec.evidence or not spec.domain:
        return [], []
    questions = [
        question
        for question in Question.objects.filter(
            contact__desk=desk,
            outcome=Question.Outcome.NO_SUPPLY,
            unmet_reason=spec.reason,
            domains__code=spec.domain,
            contact__started_at__lt=before,
        )
        .select_related("contact")
        .order_by("-contact__started_at", "-pk")[: spec.evidence]
        if question.pk not in taken
    ]
    needs = list(
        UnmetNeed.objects.filter(
            referral__referring_desk=desk,
            reason=spec.reason,
            question__domains__code=spec.domain,
            recorded_at__lt=before,
        )
        .exclude(question_id__in=taken)
        .order_by("-recorded_at", "-pk")[: spec.evidence]
    )
    return questions, needs


def load(*, rng: random.Random, fake, stdout) -> None:
    if Signal.objects.exists():
        stdout.write("Demo signals: skipped, there are signals already.")
        return
    desk = Desk.objects.filter(slug=DESK_SLUG).prefetch_related("municipalities").first()
    users = {user.username: user for user in get_user_model().objects.filter(is_active=True)}
    needed = {"frontoffice", "consulent", "coordinator", "beleid", "partner"}
    if desk is None or not needed <= set(users):
        stdout.write("Demo signals: skipped, the demo desk or its users are missing.")
        return
    municipality = desk.municipalities.order_by("name").first()
    organisations = {organisation.name: organisation for organisation in Organisation.objects.all()}
    domains = {domain.code: domain for domain in LifeDomain.objects.all()}
    now = timezone.now()
    taken: set[int] = set()
    for spec in SIGNALS:
        created = now - datetime.timedelta(days=spec.days_ago, hours=rng.randint(1, 6))
        questions, needs = _evidence(desk, spec, created, taken)
        taken |= {question.pk for question in questions} | {need.question_id for need in needs}
        dates = [timezone.localdate(q.contact.started_at) for q in questions]
        dates += [timezone.localdate(n.recorded_at) for n in needs]
        dates = dates or [timezone.localdate(created)]
        addressee = organisations.get(spec.addressee) if spec.addressee else None
        raised_by = users[spec.raised_by]
        signal = Signal.objects.create(
            title=spec.title,
            description=spec.description,
            kind=spec.kind,
            life_domain=domains.get(spec.domain) if spec.domain else None,
            unmet_reason=spec.reason,
            municipality=municipality,
            desk=desk,
            period_start=min(dates),
            period_end=max(dates),
            addressed_to=addressee,
            origin=Signal.Origin.MANUAL,
            created_by=raised_by,
        )
        rows = [SignalStatus(signal=signal, to_status=S.PROPOSED, changed_by=raised_by, changed_at=created)]
        moment, state = created, S.PROPOSED
        answerer = users["partner"] if spec.addressee == "Thuiszorg Tukkerland" else users["beleid"]
        for to_status, note in spec.steps:
            moment = min(now, moment + datetime.timedelta(days=rng.randint(2, 12), hours=rng.randint(1, 5)))
            actor = users["coordinator"] if to_status in (S.SENT, S.DISMISSED) else answerer
            rows.append(
                SignalStatus(
                    signal=signal,
                    from_status=state,
                    to_status=to_status,
                    note=note,
                    changed_by=actor,
                    changed_at=moment,
                )
            )
            if to_status == S.SENT:
                signal.sent_at = moment
            if note and to_status not in (S.SENT, S.DISMISSED):
                signal.answer = note
            if to_status == S.DECLINED:
                signal.decline_reason = note
            if to_status in Signal.CLOSED_STATUSES:
                signal.closed_at = moment
            state = to_status
        SignalStatus.objects.bulk_create(rows)
        SignalQuestion.objects.bulk_create(
            SignalQuestion(signal=signal, question=question, linked_by=raised_by, linked_at=created)
            for question in questions
        )
        SignalUnmetNeed.objects.bulk_create(
            SignalUnmetNeed(signal=signal, unmet_need=need, linked_by=raised_by, linked_at=created)
            for need in needs
        )
        Signal.objects.filter(pk=signal.pk).update(
            status=state,
            status_changed_at=moment,
            sent_at=signal.sent_at,
            answer=signal.answer,
            decline_reason=signal.decline_reason,
            closed_at=signal.closed_at,
            created_at=created,
            updated_at=moment,
        )
    # The demo's year of contacts is thin per district: look back the whole year, with a
    # higher bar than the default, so that the proposals show without flooding the list.
    proposals = signals_propose(period_days=365, threshold=DEMO_THRESHOLD, notify=False)
    states = ", ".join(
        f"{S(spec.steps[-1][0] if spec.steps else S.PROPOSED).label.lower()}" for spec in SIGNALS
    )
    stdout.write(f"Demo signals: {len(SIGNALS)} ({states}); {len(proposals)} proposed automatically.")
