"""Demo referrals: agreements with the back-office partners and referrals in every state.

Open referrals come from open questions of the last weeks (some overdue), closed ones from
closed questions whose outcome was "referred". Idempotent: skipped when referrals exist.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from schakelpunt.contacts.models import Question
from schakelpunt.organisations.models import Organisation
from schakelpunt.referrals.deadlines import add_working_days, due_dates
from schakelpunt.referrals.models import Referral, ReferralAgreement, ReferralStatus, UnmetNeed
from schakelpunt.residents.models import Consent

S = Referral.Status
R = Referral.Reason

# Working days to accept / first contact / complete, per kind of partner.
AGREEMENT_DAYS = {
    Organisation.Type.HOUSING_CORPORATION: (3, 10, 40),
    Organisation.Type.CARE_PROVIDER: (2, 5, 20),
    Organisation.Type.WELFARE: (2, 5, 15),
    Organisation.Type.CARE_OFFICE: (3, 10, 30),
    Organisation.Type.CIZ: (5, 10, 30),
}

OUTCOMES = [
    "Huishoudelijke hulp gestart, twee uur per week.",
    "Intakegesprek gevoerd; begeleiding thuis start volgende maand.",
    "Aanvraag urgentieverklaring ingediend en toegekend.",
    "Inwoner doet mee aan de wekelijkse ontmoetingsochtend in de wijk.",
    "Schuldhulptraject gestart, eerste afspraak gepland.",
    "Mantelzorger heeft respijtzorg: één dag per week dagbesteding.",
    "Woningaanpassing (traplift) aangevraagd bij de gemeente.",
]
REASONS = [
    "Inwoner redt het huishouden niet meer sinds een heupoperatie.",
    "Huurachterstand van drie maanden; inwoner wil een betalingsregeling.",
    "Mantelzorger is overbelast en vraagt om ondersteuning.",
    "Inwoner is eenzaam en zoekt contact in de wijk.",
    "Woning is niet meer geschikt: trap is te zwaar.",
    "Inwoner wil hulp bij post en formulieren.",
]
# State of a closed referral, with its weight.
CLOSED_STATES = [(S.COMPLETED, 70), (S.REJECTED, 12), (S.FAILED, 8), (S.CANCELLED, 10)]


def _agreements(partners: list[Organisation]) -> dict[int, ReferralAgreement]:
    agreements = {}
    for organisation in partners:
        accept, first, complete = AGREEMENT_DAYS.get(organisation.type, (2, 5, 20))
        agreement, _ = ReferralAgreement.objects.get_or_create(
            organisation=organisation,
            category=None,
            valid_from=datetime.date(2025, 1, 1),
            defaults={"days_to_accept": accept, "days_to_first_contact": first, "days_to_complete": complete},
        )
        agreements[organisation.pk] = agreement
    return agreements


def _pick(rng: random.Random, weighted):
    return rng.choices([value for value, _ in weighted], weights=[weight for _, weight in weighted])[0]


def load(*, rng: random.Random, fake, stdout) -> None:
    if Referral.objects.exists():
        stdout.write("Demo referrals: skipped, there are referrals already.")
        return
    partners = list(
        Organisation.objects.filter(participations__is_back_office=True, is_active=True)
        .exclude(type=Organisation.Type.MUNICIPALITY)
        .distinct()
        .order_by("name")
    )
    if not partners:
        stdout.write("Demo referrals: skipped, no back-office partners.")
        return
    agreements = _agreements(partners)
    # The demo partner login works at Thuiszorg Tukkerland: it gets the most referrals.
    weights = [5 if organisation.name == "Thuiszorg Tukkerland" else 1 for organisation in partners]
    now = timezone.now()
    today = timezone.localdate(now)
    questions = Question.objects.filter(resident__isnull=False).select_related("contact", "resident")
    open_questions = list(
        questions.exclude(status=Question.Status.CLOSED)
        .filter(created_at__gte=now - datetime.timedelta(days=120))
        .order_by("pk")[:80]
    )
    closed_questions = list(
        questions.filter(status=Question.Status.CLOSED, outcome=Question.Outcome.REFERRED).order_by("pk")[
            :240
        ]
    )
    planned = [(question, None) for question in open_questions] + [
        (question, _pick(rng, CLOSED_STATES)) for question in closed_questions
    ]
    consents, referrals = [], []
    for question, closed_state in planned:
        organisation = rng.choices(partners, weights=weights)[0]
        created = question.created_at + datetime.timedelta(minutes=rng.randint(5, 40))
        scope = ["contact_details", "question"] + (["clarification"] if rng.random() < 0.5 else [])
        warm = rng.random() < 0.08
        consent = None
        if not warm:
            consent = Consent(
                resident=question.resident,
                purpose="Doorverwijzing",
                organisation=organisation,
                scope=scope,
                given_at=created - datetime.timedelta(minutes=2),
                recorded_by=question.assigned_to,
            )
            consents.append(consent)
        agreement = agreements[organisation.pk]
        referrals.append(
            (
                Referral(
                    question=question,
                    resident=question.resident,
                    referring_desk_id=question.contact.desk_id,
                    referred_by=question.assigned_to,
                    organisation=organisation,
                    reason=rng.choice(REASONS),
                    resident_wishes="Liefst hulp op doordeweekse ochtenden." if rng.random() < 0.4 else "",
                    urgency=_pick(rng, [("normal", 80), ("soon", 15), ("urgent", 5)]),
                    warm_handover=warm,
                    shared_data=scope,
                    agreement=agreement,
                    **due_dates(start=timezone.localdate(created), agreement=agreement),
                ),
                consent,
                created,
                closed_state,
            )
        )
    Consent.objects.bulk_create(consents)
    rows, statuses, unmet = [], [], []
    for referral, consent, created, closed_state in referrals:
        referral.consent = consent
        history = [("", S.REQUESTED, created, "")]
        if closed_state is None:
            state = _pick(rng, [(S.REQUESTED, 35), (S.ACCEPTED, 30), (S.IN_PROGRESS, 25), (S.ON_HOLD, 10)])
        else:
            state = closed_state
        moment = created
        if state in (S.ACCEPTED, S.IN_PROGRESS, S.ON_HOLD, S.COMPLETED, S.FAILED):
            moment = min(now, moment + datetime.timedelta(days=rng.randint(0, 3), hours=rng.randint(1, 6)))
            history.append((S.REQUESTED, S.ACCEPTED, moment, ""))
            referral.accepted_at = moment
        if state in (S.IN_PROGRESS, S.COMPLETED, S.FAILED) or (state == S.ON_HOLD and rng.random() < 0.5):
            moment = min(now, moment + datetime.timedelta(days=rng.randint(1, 5)))
            history.append((S.ACCEPTED, S.IN_PROGRESS, moment, ""))
            referral.first_contact_at = moment
        if state == S.ON_HOLD:
            moment = min(now, moment + datetime.timedelta(days=rng.randint(0, 3)))
            referral.held_from_status = history[-1][1]
            referral.on_hold_since = timezone.localdate(moment)
            history.append((history[-1][1], S.ON_HOLD, moment, "Inwoner is opgenomen in het ziekenhuis."))
        if state in (S.COMPLETED, S.FAILED, S.REJECTED, S.CANCELLED):
            moment = min(now, moment + datetime.timedelta(days=rng.randint(1, 20)))
            reason = {
                S.REJECTED: _pick(rng, [(R.NO_CAPACITY, 60), (R.NOT_ELIGIBLE, 30), (R.OTHER, 10)]),
                S.FAILED: _pick(rng, [(R.UNREACHABLE, 60), (R.DECLINED, 40)]),
                S.CANCELLED: R.DECLINED,
            }.get(state, "")
            referral.close_reason = reason
            referral.closed_at = moment
            if state == S.COMPLETED:
                referral.outcome = rng.choice(OUTCOMES)
            history.append((history[-1][1], state, moment, ""))
        referral.status = state
        referral.status_changed_at = history[-1][2]
        due = referral.current_due_date()
        if due is not None and due < today:
            referral.overdue_since = add_working_days(due, 1)
            referral.overdue_notified_on = referral.overdue_since
        rows.append((referral, created, history))
    Referral.objects.bulk_create([referral for referral, _, _ in rows])
    partner_users = {
        user.organisation_id: user
        for user in get_user_model().objects.filter(groups__name="Partner", organisation__isnull=False)
    }
    # bulk_create stamps them all with now; each was made shortly after its question.
    for referral, created, _history in rows:
        referral.created_at = created
    Referral.objects.bulk_update([referral for referral, _, _ in rows], ["created_at"], batch_size=500)
    for referral, _created, history in rows:
        partner_side = {S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED, S.FAILED, S.REJECTED, S.ON_HOLD}
        for from_status, to_status, moment, note in history:
            statuses.append(
                ReferralStatus(
                    referral=referral,
                    from_status=from_status,
                    to_status=to_status,
                    reason=referral.close_reason if to_status == referral.status else "",
                    note=note,
                    changed_by=(
                        partner_users.get(referral.organisation_id)
                        if to_status in partner_side
                        else referral.referred_by
                    ),
                    changed_at=moment,
                )
            )
        if referral.status == S.REJECTED and referral.close_reason in (R.NO_CAPACITY, R.NOT_ELIGIBLE):
            unmet.append(
                UnmetNeed(
                    question_id=referral.question_id,
                    referral=referral,
                    reason=referral.close_reason,
                    recorded_at=referral.closed_at,
                )
            )
    ReferralStatus.objects.bulk_create(statuses)
    UnmetNeed.objects.bulk_create(unmet)
    by_state = {state: sum(1 for r, _, _ in rows if r.status == state) for state in S.values}
    overdue = sum(1 for r, _, _ in rows if r.overdue_since)
    summary = ", ".join(f"{S(state).label.lower()} {count}" for state, count in by_state.items() if count)
    stdout.write(f"Demo referrals: {len(rows)} ({summary}); {overdue} over the deadline.")
