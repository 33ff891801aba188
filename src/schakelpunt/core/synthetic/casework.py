"""The work that follows a question: referrals to partners and Wmo reports, for the synthetic city.

A mixin of :class:`schakelpunt.core.synthetic.generator.Generator`. While a question is in memory,
a question whose outcome is "referred" gets its referrals (to the partner of the need, and for
some a second or third partner at once, so that there are about 0.4 referrals per contact as in
the design dataset), and a question whose outcome is "Wmo-melding" gets its report. Each one is
lived through forward in time, as the services would have left it: the partner accepts, makes
first contact, completes (or rejects, fails, puts on hold); the consultant investigates, receives
the application and decides (or refers to the CIZ, closes without application, sees it
withdrawn; deadlines suspended now and then). Whatever has not happened by now is left open, so
recent work is in the early states and older work mostly closed. A resident who dies or moves
away has their open work closed as the services do.

Every transition has its status row and its access-log row (which come out of the resident's
budget of access-log rows: the later reads make up the rest); deadlines come from the apps' own
deadline modules, cached per date.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import json
from array import array

from django.contrib.auth.models import Group

from schakelpunt.audit.models import AccessLog
from schakelpunt.contacts.models import Contact, FollowUp, Question
from schakelpunt.core.synthetic.writer import table_for
from schakelpunt.directory.models import Service
from schakelpunt.organisations.models import Organisation, Participation
from schakelpunt.referrals import demo as referrals_demo
from schakelpunt.referrals import workflow as referral_workflow
from schakelpunt.referrals.deadlines import add_working_days, working_days_between
from schakelpunt.referrals.models import Referral, ReferralAgreement, ReferralStatus, UnmetNeed
from schakelpunt.wmo import deadlines as wmo_deadlines
from schakelpunt.wmo import demo as wmo_demo
from schakelpunt.wmo.models import (
    SupportTrajectory,
    WmoReport,
    WmoStatusChange,
    WmoSupportRequest,
    WmoSuspension,
)

O = Question.Outcome  # noqa: E741
A = AccessLog.Action
RS = Referral.Status
RR = Referral.Reason
WS = WmoReport.Status
WT = WmoSupportRequest.SupportType
DAY = 86400
REFERRALS_PER_CONTACT = 0.4  # the design dataset: two million referrals on five million contacts
MOST_REFERRALS_PER_QUESTION = 3
PARTNER_USERS_PER_RESIDENTS = 40_000  # a partner organisation's team grows with the city
PARTNER_NETWORK = 172  # partners reach the application from their own networks: 172.16-31.x.x
FEEDBACK_AFTER_WORKING_DAYS = 5  # referrals.services: the desk checks with the resident afterwards
WISHES = [
    "Liefst hulp op doordeweekse ochtenden.",
    "Graag eerst telefonisch contact met de dochter.",
    "Wil graag iemand die Twents of Duits spreekt.",
    "Liever geen bezoek op maandag (dagbesteding).",
]
HOLD_NOTES = [
    "Inwoner is opgenomen in het ziekenhuis.",
    "Inwoner is een paar weken bij familie.",
    "Wacht op de uitslag van de huisarts.",
]
REPORTERS = {
    Contact.AskedBy.RESIDENT: WmoReport.Reporter.RESIDENT,
    Contact.AskedBy.PROFESSIONAL: WmoReport.Reporter.PROFESSIONAL,
}
SHARED = (
    json.dumps(["contact_details", "question"]),
    json.dumps(["contact_details", "question", "clarification"]),
)
CIZ_NOTE = "Langdurige zorg nodig: verwezen naar het CIZ voor een Wlz-indicatie."
CLIENT_SUPPORT_GOALS = "Samen met de inwoner de vraag helder krijgen en meegaan naar het gesprek."


class CaseWork:
    """Referrals and Wmo reports (see the module docstring); mixed into the Generator."""

    # --- set-up -------------------------------------------------------------------------------

    def _casework_tables(self) -> None:
        add, w = self.writer.add, table_for
        self.t_referral = add(
            w(
                Referral,
                [
                    "id", "question_id", "resident_id", "referring_desk_id", "referred_by_id",
                    "organisation_id", "service_id", "reason", "resident_wishes", "urgency", "consent_id",
                    "warm_handover", "shared_data", "status", "status_changed_at", "held_from_status",
                    "on_hold_since", "close_reason", "outcome", "agreement_id", "due_accept",
                    "due_first_contact", "due_complete", "accepted_at", "first_contact_at", "closed_at",
                    "overdue_since", "overdue_notified_on", "reminded_on", "version", "created_at",
                    "updated_at",
                ],
            )
        )  # fmt: skip
        self.t_referral_status = add(
            w(
                ReferralStatus,
                [
                    "id",
                    "referral_id",
                    "from_status",
                    "to_status",
                    "reason",
                    "note",
                    "changed_by_id",
                    "changed_at",
                ],
            )
        )
        self.t_unmet = add(w(UnmetNeed, ["id", "question_id", "referral_id", "reason", "recorded_at"]))
        self.t_wmo = add(
            w(
                WmoReport,
                [
                    "id", "resident_id", "question_id", "desk_id", "reported_on", "reporter", "reporter_name",
                    "summary", "registered_by_id", "client_support_offered", "client_support_accepted",
                    "status", "status_changed_at", "consultant_id", "investigation_started_on",
                    "personal_plan_received_on", "conversation_on", "conversation_report",
                    "investigation_completed_on", "application_received_on", "decision", "decision_note",
                    "decided_on", "ciz_referred_on", "ciz_outcome", "ciz_outcome_on", "ciz_note", "closed_on",
                    "close_reason", "due_personal_plan", "due_investigation", "due_decision",
                    "investigation_suspended_days", "decision_suspended_days", "suspended_since", "version",
                    "created_at", "updated_at",
                ],
            )
        )  # fmt: skip
        self.t_wmo_request = add(
            w(
                WmoSupportRequest,
                ["id", "report_id", "support_type", "description", "decision", "decision_note"],
            )
        )
        self.t_wmo_status = add(
            w(
                WmoStatusChange,
                ["id", "report_id", "from_status", "to_status", "note", "changed_by_id", "changed_at"],
            )
        )
        self.t_wmo_suspension = add(
            w(
                WmoSuspension,
                ["id", "report_id", "phase", "reason", "note", "started_on", "ended_on", "started_by_id"],
            )
        )
        self.t_trajectory = add(
            w(
                SupportTrajectory,
                [
                    "id", "report_id", "resident_id", "status", "requested_on", "supporter_id", "goals",
                    "ended_on", "end_reason", "created_at", "updated_at",
                ],
            )
        )  # fmt: skip

    CASEWORK_MODELS = (Referral, ReferralStatus, WmoReport, WmoStatusChange, WmoSupportRequest)

    def _casework_bounds(self, contacts: int) -> list[tuple]:
        """The most a part can write per contact (two questions, three referrals each, ...)."""
        referrals = 2 * MOST_REFERRALS_PER_QUESTION * contacts
        return [
            (self.t_referral, referrals),
            (self.t_referral_status, 7 * referrals),
            (self.t_unmet, referrals),
            (self.t_wmo, 2 * contacts),
            (self.t_wmo_request, 4 * contacts),
            (self.t_wmo_status, 12 * contacts),
            (self.t_wmo_suspension, 4 * contacts),
            (self.t_trajectory, 2 * contacts),
        ]

    def _partners(self) -> None:
        """The organisations that receive referrals: each desk's back-office partners and its
        municipality, with their agreements, their teams (partner users) and their services."""
        self.organisation_types = dict(Organisation.objects.values_list("pk", "type"))
        for desk in self.desks:
            municipality = min(desk.municipalities, key=lambda code: -desk.municipalities[code])
            desk.municipal_org_id = (
                Organisation.objects.filter(municipality__code=municipality)
                .order_by("pk")
                .values_list("pk", flat=True)
                .first()
            )
        by_desk: dict[int, list[int]] = {}
        for desk in self.desks:
            partners = list(
                Participation.objects.filter(
                    desk=desk.desk, is_back_office=True, organisation__is_active=True
                )
                .exclude(organisation__type=Organisation.Type.MUNICIPALITY)
                .order_by("organisation__name")
                .values_list("organisation_id", flat=True)
            )
            by_desk[desk.index] = partners
        self.partners_by_desk = by_desk
        receiving = {pk for partners in by_desk.values() for pk in partners}
        receiving |= {desk.municipal_org_id for desk in self.desks}
        for need in self.needs:
            pk = self.organisations.get(need.partner)
            if pk is not None and self.organisation_types.get(pk) != Organisation.Type.MUNICIPALITY:
                receiving.add(pk)
        self.receiving = sorted(receiving)
        # Agreements (working days to accept, make contact, complete) from before the window.
        start = datetime.date(self.days[0].year, 1, 1)
        for pk in self.receiving:
            accept, first, complete = referrals_demo.AGREEMENT_DAYS.get(
                self.organisation_types[pk], (2, 5, 20)
            )
            ReferralAgreement.objects.get_or_create(
                organisation_id=pk,
                category=None,
                valid_from=start,
                defaults={
                    "days_to_accept": accept,
                    "days_to_first_contact": first,
                    "days_to_complete": complete,
                },
            )
        self.agreements: dict[int, list[tuple[int, int, tuple[int, int, int]]]] = {}
        for agreement in ReferralAgreement.objects.filter(
            organisation_id__in=self.receiving, category__isnull=True
        ).order_by("valid_from"):
            self.agreements.setdefault(agreement.organisation_id, []).append(
                (
                    agreement.valid_from.toordinal(),
                    agreement.pk,
                    (agreement.days_to_accept, agreement.days_to_first_contact, agreement.days_to_complete),
                )
            )
        self._due_cache: dict[tuple, tuple] = {}
        self._wmo_due_cache: dict[tuple, datetime.date] = {}
        # The working days of the window and a year after (deadlines fall on them), found once.
        day, last = self.days[0] - datetime.timedelta(days=7), self.today + datetime.timedelta(days=400)
        self.workdays = array("i")
        while day < last:
            day = add_working_days(day, 1)
            self.workdays.append(day.toordinal())
        # Services of the social map per organisation (the directory's organisation is linked
        # to the participant): a referral names one of them, as the desk picks it on the map.
        sqlite = self.writer.vendor == "sqlite"
        services: dict[int, list] = {}
        for pk, participant in (
            Service.objects.filter(
                organization__participant_id__in=self.receiving, status=Service.Status.ACTIVE
            )
            .order_by("pk")
            .values_list("pk", "organization__participant_id")
        ):
            services.setdefault(participant, []).append(pk.hex if sqlite else pk)
        self.services_by_org = services
        self.support_types: dict[str, str] = {}
        self.open_wmo: dict[int, int] = {}  # resident -> day ordinal until which a report is open
        self.referrals_made = 0

    def _partner_users(self, wanted: list, residents: int, prefix: str) -> None:
        """Partner users to add to ``wanted`` (username, role, desk index, organisation name)."""
        size = max(2, min(25, residents // PARTNER_USERS_PER_RESIDENTS))
        names = dict(Organisation.objects.values_list("pk", "name"))
        for pk in self.receiving:
            slug = "".join(ch for ch in names[pk].lower() if ch.isalnum())[:14]
            for number in range(1, size + 1):
                wanted.append((f"{prefix}p-{slug}-{number:03d}", "partner", None, names[pk]))

    def _partner_staff(self) -> None:
        self.partner_staff: dict[int, list] = {}
        for member in self.staff.values():
            if member.role == "partner" and member.organisation_id in self.receiving:
                network = f"{PARTNER_NETWORK}.{16 + member.organisation_id % 16}"
                member.ip = f"{network}.{member.id // 250 % 250}.{member.id % 250 + 1}"
                self.partner_staff.setdefault(member.organisation_id, []).append(member)
        missing = [pk for pk in self.receiving if not self.partner_staff.get(pk)]
        if missing or not Group.objects.filter(name="Partner").exists():
            raise RuntimeError(f"partner organisations without users: {missing}")

    # --- after a question -----------------------------------------------------------------------

    def _during_contact(self, created: int, registered: int) -> int:
        """A moment while the question is open at the contact (a service refuses a closed one)."""
        moment = created + 30 + int(self.rng.random() * max(60, registered - created - 30))
        return min(moment, self.now - 120)

    def _step(self, after: int, days: float) -> int:
        """A moment in office hours ``days`` days after ``after`` (the next working day if need be)."""
        return self._working_moment(after + int(days * DAY))

    # --- referrals ------------------------------------------------------------------------------

    def _receiver(self, need, desk) -> int:
        pk = self.organisations.get(need.partner)
        if pk is None or self.organisation_types.get(pk) == Organisation.Type.MUNICIPALITY:
            return (
                desk.municipal_org_id
                if pk is not None
                else self.rng.choice(self.partners_by_desk[desk.index])
            )
        return pk

    def _due_dates(self, ordinal: int, organisation: int) -> tuple:
        """(agreement id, due accept, due first contact, due complete) for a referral made that day."""
        key = (ordinal, organisation)
        found = self._due_cache.get(key)
        if found is None:
            agreements = self.agreements.get(organisation, [])
            index = bisect.bisect_right([a[0] for a in agreements], ordinal) - 1
            agreement, days = (
                (agreements[index][1], agreements[index][2]) if index >= 0 else (None, (2, 5, 30))
            )
            found = (agreement, *(_date(self._add_working_days(ordinal, n)) for n in days))
            self._due_cache[key] = found
        return found

    def _add_working_days(self, ordinal: int, days: int) -> int:
        """referrals.deadlines.add_working_days on day ordinals, from the working days of the window."""
        if days <= 0:
            return ordinal
        workdays = self.workdays
        index = bisect.bisect_right(workdays, ordinal) + days - 1
        if ordinal >= workdays[0] and index < len(workdays):
            return workdays[index]
        return add_working_days(datetime.date.fromordinal(ordinal), days).toordinal()

    def _working_days_between(self, start: int, end: int) -> int:
        """referrals.deadlines.working_days_between on day ordinals (within the window)."""
        workdays = self.workdays
        if end <= start:
            return 0
        if start < workdays[0] or end >= workdays[-1]:
            return working_days_between(datetime.date.fromordinal(start), datetime.date.fromordinal(end))
        return bisect.bisect_right(workdays, end) - bisect.bisect_right(workdays, start)

    def _referrals(self, question, desk, need, person, handler, created, registered, text, clarification,
                   urgency) -> int:  # fmt: skip
        """The referrals of a question made at the contact; returns the moment the last one closed
        (or now, while one is open): the question closes only after that (contacts.services)."""
        rng = self.rng
        first = self._receiver(need, desk)
        due = REFERRALS_PER_CONTACT * self.contacts_made - self.referrals_made
        count = max(1, min(MOST_REFERRALS_PER_QUESTION, round(due)))
        others = [pk for pk in self.partners_by_desk[desk.index] if pk != first]
        receivers = [first, *rng.sample(others, min(count - 1, len(others)))]
        made = self._during_contact(created, registered)
        last = made
        for organisation in receivers:
            closed = self._referral(
                question, desk, need, person, handler, made, organisation, text, clarification, urgency
            )
            last = max(last, closed or self.now)
            made = min(made + 60 + int(rng.random() * 240), self.now - 120)
        return last

    def _referral(self, question, desk, need, person, handler, made, organisation, text, clarification,
                  urgency) -> int | None:  # fmt: skip
        """One referral, lived through until now; returns when it closed (None: still open)."""
        rng = self.rng
        random_ = rng.random
        now, today = self.now, self.today.toordinal()
        until = self.until[person - self.base]
        self.referrals_made += 1
        referral_id = self.t_referral.take_id()
        behalf = f"residents.resident#{person}"
        ordinal = self._ordinal(made)
        agreement, due_accept, due_first, due_complete = self._due_dates(ordinal, organisation)
        shared = SHARED[random_() < 0.5]  # contact details and the question, half with the clarification
        warm = random_() < 0.08
        consent = None
        if not warm:
            consent = self._consent(
                person, made - 90, purpose=f"Doorverwijzing: {need.topic}", organisation=organisation,
                recorder=handler, given_by="",
            )  # fmt: skip
        team = self.partner_staff[organisation]
        partner = team[int(random_() * len(team))]
        history = [("", RS.REQUESTED, made, handler, "", "")]
        state = {"status": RS.REQUESTED, "accepted": None, "first_contact": None, "closed": None,
                 "held_from": "", "hold_since": None, "reason": "", "outcome": ""}  # fmt: skip
        dues = [due_accept, due_first, due_complete]
        stopped = False

        def leave_hold(moment):
            """Off hold by any move, as the service does: the deadlines move by the time on hold."""
            if state["hold_since"] is not None:
                shift = self._working_days_between(state["hold_since"], self._ordinal(moment))
                dues[:] = [_date(self._add_working_days(day.toordinal(), shift)) for day in dues]
            state["held_from"], state["hold_since"] = "", None

        def move(to_status, moment, user, reason="", note=""):
            """The next transition, unless it lies after now or after the resident left."""
            nonlocal stopped
            if stopped:
                return False
            if self._ordinal(moment) >= until:
                # The register reported a death (the system cancels) or a move (the desk decides).
                gone = self._midnight(until) + 10 * 3600
                if gone < now:
                    from_status = state["status"]
                    if self.deceased[person - self.base]:
                        history.append((from_status, RS.CANCELLED, gone, None, RR.DECEASED,
                                        "Inwoner is overleden (bericht uit de BRP)."))  # fmt: skip
                        state["reason"] = RR.DECEASED
                    else:  # the desk withdraws it the same morning (before the question closes)
                        leave = gone + rng.randint(10, 60) * 60
                        history.append((from_status, RS.CANCELLED, leave, handler, RR.OTHER,
                                        "Inwoner is verhuisd uit de regio."))  # fmt: skip
                        state["reason"] = RR.OTHER
                    state["status"], state["closed"] = RS.CANCELLED, history[-1][2]
                    leave_hold(history[-1][2])
                stopped = True
                return False
            if moment >= now:
                stopped = True
                return False
            history.append((state["status"], to_status, moment, user, reason, note))
            if to_status == RS.ACCEPTED and state["accepted"] is None:
                state["accepted"] = moment
            if to_status == RS.IN_PROGRESS and state["first_contact"] is None:
                state["first_contact"] = moment
            if to_status in referral_workflow.CLOSED_STATES:
                state["closed"], state["reason"] = moment, reason
            state["status"] = to_status
            return True

        def hold(moment):
            """On hold for a while (in hospital, say), then back: the deadlines move by the time."""
            back_to = state["status"]
            if not move(RS.ON_HOLD, moment, partner, note=rng.choice(HOLD_NOTES)):
                return False
            state["held_from"], state["hold_since"] = back_to, self._ordinal(moment)
            resume = self._step(moment, rng.randint(5, 30))
            if not move(back_to, resume, partner):
                return False
            leave_hold(resume)
            return True

        self._access(ordinal, made, handler, A.CREATE, "referrals.referral", referral_id, "referral", behalf)
        accept_days = dues[0].toordinal() - ordinal
        fate = random_()
        if fate < 0.10:
            answered = self._step(made, rng.randint(0, accept_days + 1))
            reason = _weighted(rng, ((RR.NO_CAPACITY, 60), (RR.NOT_ELIGIBLE, 30), (RR.OTHER, 10)))
            move(
                RS.REJECTED,
                answered,
                partner,
                reason,
                "Past niet in ons aanbod." if reason == RR.OTHER else "",
            )
        elif fate < 0.14:
            move(RS.CANCELLED, self._step(made, rng.randint(1, 5)), handler, RR.DECLINED,
                 "Inwoner wil het toch zelf regelen.")  # fmt: skip
        else:
            late = random_() < 0.1
            accepted = self._step(made, rng.randint(0, accept_days) + (rng.randint(1, 6) if late else 0))
            if move(RS.ACCEPTED, accepted, partner):
                moment = accepted
                if random_() < 0.05:
                    ok = hold(self._step(moment, rng.randint(1, 4)))
                    moment = history[-1][2]
                else:
                    ok = True
                short = random_() < 0.15
                if ok and not short:
                    contact_days = max(1, dues[1].toordinal() - self._ordinal(moment))
                    moment = self._step(
                        moment, rng.randint(1, contact_days) + (rng.randint(1, 8) if late else 0)
                    )
                    ok = move(RS.IN_PROGRESS, moment, partner)
                    if ok and random_() < 0.04:
                        ok = hold(self._step(moment, rng.randint(2, 10)))
                        moment = history[-1][2]
                if ok:
                    complete_days = max(2, dues[2].toordinal() - self._ordinal(moment))
                    extra = rng.randint(1, 25) if random_() < 0.15 else 0
                    moment = self._step(moment, rng.randint(1, complete_days) + extra)
                    end = random_()
                    if end < 0.82:
                        move(RS.COMPLETED, moment, partner)
                        state["outcome"] = rng.choice(referrals_demo.OUTCOMES)
                    elif end < 0.94:
                        move(
                            RS.FAILED,
                            moment,
                            partner,
                            _weighted(rng, ((RR.UNREACHABLE, 60), (RR.DECLINED, 40))),
                        )
                    else:
                        move(RS.CANCELLED, moment, handler, RR.DECLINED, "Inwoner ziet er toch van af.")
        status = state["status"]
        # The rows: the status history, what a partner's close leaves behind, the referral itself.
        table = self.t_referral_status
        access = self._access
        for from_status, to_status, moment, user, reason, note in history:
            reason = reason if to_status in referral_workflow.NEEDS_REASON else ""
            user_id = user.id if user else None
            table.rows.append(
                (table.take_id(), referral_id, from_status, to_status, reason, note, user_id, moment)
            )
            if from_status and user is not None:
                day = self._ordinal(moment)
                if user is partner and to_status == RS.ACCEPTED:  # the partner reads it first
                    access(
                        day, moment - 300, user, A.READ, "referrals.referral", referral_id, "referral", behalf
                    )
                access(day, moment, user, A.CHANGE, "referrals.referral", referral_id, "referral", behalf)
        closed = state["closed"]
        last_by = history[-1][3]
        if status in (RS.REJECTED, RS.COMPLETED, RS.FAILED) and last_by is partner:
            if status == RS.REJECTED and state["reason"] in referral_workflow.UNMET_REASONS:
                self.t_unmet.rows.append(
                    (self.t_unmet.take_id(), question, referral_id, state["reason"], closed)
                )
            note = {
                RS.COMPLETED: "Verwijzing %(pk)s is afgerond: is de hulp aangekomen?",
                RS.FAILED: "Verwijzing %(pk)s is niet gelukt: wat nu?",
                RS.REJECTED: "Verwijzing %(pk)s is afgewezen: wat nu?",
            }[status] % {"pk": referral_id}
            check = self._add_working_days(self._ordinal(closed), FEEDBACK_AFTER_WORKING_DAYS)
            done_at = None
            if check < today - 3 and random_() < 0.9:
                done_at = min(now - 60, self._working_moment(self._midnight(check) + 9 * 3600))
            follow = self.t_follow_up
            follow.rows.append(
                (follow.take_id(), question, FollowUp.Kind.CHECK_IN, _date(check), handler.id, note,
                 FollowUp.Status.DONE if done_at else FollowUp.Status.PLANNED,
                 rng.choice(_CHECK_RESULTS) if done_at else "", done_at, closed, done_at or closed)
            )  # fmt: skip
        overdue = None
        if status in (RS.REQUESTED, RS.ACCEPTED, RS.IN_PROGRESS):
            if status == RS.REQUESTED:
                current = dues[0]
            else:
                current = dues[1] if state["first_contact"] is None else dues[2]
            if current.toordinal() < today:
                overdue = _date(min(self._add_working_days(current.toordinal(), 1), today))
        last = history[-1][2]
        wishes = rng.choice(WISHES) if random_() < 0.3 else ""
        close_reason = state["reason"] if status in referral_workflow.CLOSED_STATES else ""
        self.t_referral.rows.append(
            (referral_id, question, person, desk.pk, handler.id, organisation,
             self._referral_service(organisation), clarification or text, wishes, urgency, consent, warm,
             shared, status, last, state["held_from"], _date(state["hold_since"]), close_reason,
             state["outcome"], agreement, *dues, state["accepted"], state["first_contact"], closed, overdue,
             overdue, None, len(history), made, last)
        )  # fmt: skip
        return closed

    def _referral_service(self, organisation: int):
        services = self.services_by_org.get(organisation)
        if not services or self.rng.random() < 0.25:
            return None
        return services[int(self.rng.random() * len(services))]

    # --- Wmo reports ----------------------------------------------------------------------------

    def _wmo_due(self, ordinal: int, kind: str, suspended: int = 0) -> datetime.date:
        key = (ordinal, kind, suspended)
        found = self._wmo_due_cache.get(key)
        if found is None:
            start = datetime.date.fromordinal(ordinal)
            if kind == "plan":
                found = wmo_deadlines.personal_plan_deadline(start)
            elif kind == "investigation":
                found = wmo_deadlines.investigation_deadline(start, suspended_days=suspended)
            else:
                found = wmo_deadlines.decision_deadline(start, suspended_days=suspended)
            self._wmo_due_cache[key] = found
        return found

    def _support_types_of(self, need) -> str:
        found = self.support_types.get(need.code)
        if found is None:
            words = " ".join([need.topic, *need.asks, *need.clarifications]).lower()
            found = next((kind for word, kind in wmo_demo.TOPIC_TYPES if word in words), WT.OTHER)
            self.support_types[need.code] = found
        return found

    def _wmo_report(self, q, desk, need, person, handler, created, registered, asked_by, asker_name, text,
                    clarification, again) -> None:  # fmt: skip
        rng = self.rng
        random_ = rng.random
        now, today = self.now, self.today.toordinal()
        made = self._during_contact(created, registered)
        ordinal = self._ordinal(made)
        if self.open_wmo.get(person, 0) > ordinal or (again and person in self.open_wmo):
            return  # a report of this resident is still open, or the question is about the last one
        until = self.until[person - self.base]
        if q.outcome == "":
            q.outcome = O.WMO_REPORT  # wmo_report_create marks an open question
        report_id = self.t_wmo.take_id()
        behalf = f"residents.resident#{person}"
        offered = random_() < 0.93
        accepted = _weighted(rng, ((True, 25), (False, 65), (None, 10))) if offered else None
        first_type = self._support_types_of(need)
        types = [first_type] + ([wmo_demo.SECOND_TYPE[first_type]] if random_() < 0.25 else [])
        reporter = REPORTERS.get(asked_by)
        if reporter is None:  # a representative: the legal one, or an informal carer
            reporter = (
                WmoReport.Reporter.INFORMAL_CARER
                if "," not in asker_name
                else WmoReport.Reporter.REPRESENTATIVE
            )
        consultants = desk.staff["consulent"] or desk.staff["coordinator"]
        if q.assigned.role in ("consulent", "coordinator"):
            consultant = q.assigned
        elif random_() < 0.72 or not desk.staff["coordinator"]:
            consultant = rng.choice(consultants)
        else:
            consultant = rng.choice(desk.staff["coordinator"])
        who = "mevrouw" if self.female[person - self.base] else "meneer"
        what = wmo_demo.DESCRIPTIONS[first_type][0].lower() or "ondersteuning"
        r = {
            "status": WS.REPORTED, "consultant": None, "investigation_started_on": None, "plan": None,
            "conversation_on": None, "conversation_report": "", "completed": None, "received": None,
            "decision": "", "decision_note": "", "decided_on": None, "ciz_on": None, "ciz_outcome": "",
            "ciz_outcome_on": None, "ciz_note": "", "closed_on": None, "close_reason": "",
            "inv_days": 0, "dec_days": 0, "suspended_since": None, "changes": 0,
        }  # fmt: skip
        history = [("", WS.REPORTED, made, handler, "")]
        suspensions: list[list] = []  # [phase, reason, note, start ordinal, end ordinal or None, by]
        decisions: dict[str, tuple[str, str]] = {}
        access = self._access
        stopped = False

        def log(moment, user, action=A.CHANGE):
            access(self._ordinal(moment), moment, user, action, "wmo.wmoreport", report_id, "wmo", behalf)

        def reached(moment) -> bool:
            """Whether a step at ``moment`` happens: before now, and before the resident left
            (then the system closes the report, as wmo_reports_close_for_resident does)."""
            nonlocal stopped
            if stopped:
                return False
            if self._ordinal(moment) >= until:  # the register's news comes first
                stopped = True
                gone = self._midnight(until) + 10 * 3600
                if gone < now:
                    deceased = self.deceased[person - self.base]
                    reason = WmoReport.CloseReason.DECEASED if deceased else WmoReport.CloseReason.MOVED_AWAY
                    label = "Inwoner overleden" if deceased else "Inwoner verhuisd"
                    for suspension in suspensions:
                        if suspension[4] is None:
                            suspension[4] = until
                            days = until - suspension[3]
                            key = (
                                "inv_days"
                                if suspension[0] == WmoSuspension.Phase.INVESTIGATION
                                else "dec_days"
                            )
                            r[key] += days
                    r["suspended_since"] = None
                    history.append((r["status"], WS.CLOSED, gone, None, label))
                    r["status"], r["closed_on"], r["close_reason"] = WS.CLOSED, until, reason
                return False
            if moment >= now:
                stopped = True
                return False
            return True

        def step(to_status, moment, user, note=""):
            if not reached(moment):
                return False
            history.append((r["status"], to_status, moment, user, note))
            r["status"] = to_status
            log(moment, user)
            return True

        def suspend(phase, since_moment, days_before):
            """A suspension of the running deadline; ended (it moved the deadline) or running now."""
            begin = self._step(since_moment, rng.randint(*days_before))
            if not reached(begin):
                return since_moment
            reason = _weighted(rng, ((WmoSuspension.Reason.INFORMATION, 55),
                                     (WmoSuspension.Reason.RESIDENT_REQUEST, 30),
                                     (WmoSuspension.Reason.MEDICAL_ADVICE, 15)))  # fmt: skip
            start = self._ordinal(begin)
            record = [phase, reason, wmo_demo.SUSPENSION_NOTES[reason], start, None, r["consultant"]]
            suspensions.append(record)
            log(begin, r["consultant"])
            end = self._step(begin, rng.randint(5, 20))
            if not reached(end):
                if r["status"] != WS.CLOSED:
                    r["suspended_since"] = start
                return end
            record[4] = self._ordinal(end)
            days = record[4] - start
            r["inv_days" if phase == WmoSuspension.Phase.INVESTIGATION else "dec_days"] += days
            log(end, r["consultant"])
            return end

        log(made, handler, A.CREATE)
        fate = random_()
        if fate < 0.03:  # withdrawn before anyone picked it up
            step(
                WS.WITHDRAWN,
                self._step(made, rng.randint(2, 12)),
                handler,
                rng.choice(wmo_demo.WITHDRAWN_NOTES),
            )
            if r["status"] == WS.WITHDRAWN:
                r["closed_on"], r["close_reason"] = self._ordinal(history[-1][2]), WmoReport.CloseReason.OTHER
        else:
            picked = self._step(made, rng.randint(1, 6))
            if reached(picked):
                r["consultant"] = consultant
                r["investigation_started_on"] = self._ordinal(picked)
                log(max(made, picked - 600), consultant, A.READ)
                step(WS.INVESTIGATION, picked, consultant)
            moment = picked
            if r["status"] == WS.INVESTIGATION and random_() < 0.15:
                moment = suspend(WmoSuspension.Phase.INVESTIGATION, moment, (2, 8))
            if r["status"] == WS.INVESTIGATION and r["suspended_since"] is None and random_() < 0.3:
                plan = self._step(made, rng.randint(2, 7))
                if reached(plan):
                    r["plan"] = self._ordinal(plan)
                    log(plan, consultant)
            if r["status"] == WS.INVESTIGATION and r["suspended_since"] is None:
                conversation = self._step(moment, rng.randint(3, 16))
                if reached(conversation):
                    r["conversation_on"] = self._ordinal(conversation)
                    r["conversation_report"] = rng.choice(wmo_demo.CONVERSATIONS).format(
                        wie=who, Wie=who.capitalize(), wat=what
                    )
                    log(conversation, consultant)
                    moment = conversation
            if r["conversation_on"] is not None and r["status"] == WS.INVESTIGATION:
                path = random_()
                if path < 0.06:  # long-term care: the CIZ decides on the Wlz
                    referred = self._step(moment, rng.randint(1, 7))
                    if step(WS.CIZ, referred, consultant, CIZ_NOTE):
                        r["ciz_on"] = r["completed"] = self._ordinal(referred)
                        r["ciz_outcome"] = WmoReport.CizOutcome.PENDING
                        outcome_at = self._step(referred, rng.randint(20, 45))
                        if reached(outcome_at):
                            r["ciz_outcome"] = _weighted(
                                rng, ((WmoReport.CizOutcome.GRANTED, 75), (WmoReport.CizOutcome.REFUSED, 25))
                            )
                            r["ciz_outcome_on"], r["ciz_note"] = (
                                self._ordinal(outcome_at),
                                "Besluit van het CIZ ontvangen.",
                            )
                            log(outcome_at, consultant)
                            closing = self._step(outcome_at, rng.randint(0, 5))
                            if step(WS.CLOSED, closing, consultant):
                                r["closed_on"], r["close_reason"] = (
                                    self._ordinal(closing),
                                    WmoReport.CloseReason.CIZ,
                                )
                elif path < 0.14:  # no application: helped otherwise
                    closing = self._step(moment, rng.randint(1, 10))
                    if step(WS.CLOSED, closing, consultant):
                        r["conversation_report"] = wmo_demo.NO_APPLICATION.format(wie=who)
                        r["completed"] = r["closed_on"] = self._ordinal(closing)
                        r["close_reason"] = WmoReport.CloseReason.NO_APPLICATION
                elif path < 0.18:  # withdrawn during the investigation
                    closing = self._step(moment, rng.randint(1, 14))
                    if step(WS.WITHDRAWN, closing, consultant, rng.choice(wmo_demo.WITHDRAWN_NOTES)):
                        r["closed_on"], r["close_reason"] = (
                            self._ordinal(closing),
                            WmoReport.CloseReason.OTHER,
                        )
                else:
                    late = rng.randint(2, 12 if random_() < 0.85 else 30)
                    received = self._step(moment, late)
                    if step(WS.APPLICATION, received, consultant):
                        r["received"] = r["completed"] = self._ordinal(received)
                        moment = received
                        if random_() < 0.12:
                            moment = suspend(WmoSuspension.Phase.DECISION, moment, (1, 6))
                        if r["status"] == WS.APPLICATION and r["suspended_since"] is None:
                            decided = self._step(moment, rng.randint(3, 13 if random_() < 0.9 else 20))
                            for kind in types:
                                decision = _weighted(rng, ((WmoReport.Decision.GRANTED, 76),
                                                           (WmoReport.Decision.PARTLY, 9),
                                                           (WmoReport.Decision.REFUSED, 15)))  # fmt: skip
                                granted = decision != WmoReport.Decision.REFUSED
                                what_ = rng.choice(wmo_demo.GRANTED[kind] if granted else wmo_demo.REFUSED)
                                decisions[kind] = (decision, what_)
                            if step(WS.DECIDED, decided, consultant):
                                values = {d for d, _w in decisions.values()}
                                D = WmoReport.Decision
                                r["decision"] = (
                                    D.GRANTED
                                    if values == {D.GRANTED}
                                    else D.REFUSED
                                    if values == {D.REFUSED}
                                    else D.PARTLY
                                )
                                r["decision_note"] = " ".join(w for _d, w in decisions.values())[:2000]
                                r["decided_on"] = self._ordinal(decided)
                                closing = self._step(decided, rng.randint(0, 10))
                                if step(WS.CLOSED, closing, consultant):
                                    r["closed_on"], r["close_reason"] = (
                                        self._ordinal(closing),
                                        WmoReport.CloseReason.DECIDED,
                                    )
                            else:
                                decisions.clear()
        status = r["status"]
        if status not in WmoReport.OPEN_STATUSES:
            self.open_wmo[person] = r["closed_on"] or today
        else:
            self.open_wmo[person] = 10**7
        # The rows.
        table = self.t_wmo_status
        for from_status, to_status, moment, user, note in history:
            table.rows.append((table.take_id(), report_id, from_status, to_status, note,
                               user.id if user else None, moment))  # fmt: skip
        for kind in types:
            decision, what_ = decisions.get(kind, ("", ""))
            self.t_wmo_request.rows.append(
                (
                    self.t_wmo_request.take_id(),
                    report_id,
                    kind,
                    wmo_demo.DESCRIPTIONS[kind][0],
                    decision,
                    what_[:300],
                )
            )
        for phase, reason, note, start, end, by in suspensions:
            self.t_wmo_suspension.rows.append(
                (
                    self.t_wmo_suspension.take_id(),
                    report_id,
                    phase,
                    reason,
                    note,
                    _date(start),
                    _date(end),
                    by.id,
                )
            )
        reported_on = ordinal
        if accepted:
            if status not in WmoReport.OPEN_STATUSES:
                t_status, ended = SupportTrajectory.Status.ENDED, r["closed_on"]
            elif today - reported_on < 10:
                t_status, ended = SupportTrajectory.Status.REQUESTED, None
            else:
                t_status, ended = SupportTrajectory.Status.RUNNING, None
            updated = max(made + 30, self._midnight(ended) + 10 * 3600) if ended else made + 30
            self.t_trajectory.rows.append(
                (self.t_trajectory.take_id(), report_id, person, t_status, _date(reported_on), None,
                 CLIENT_SUPPORT_GOALS, _date(ended), "Melding afgehandeld." if ended else "", made + 30,
                 min(updated, now - 60))
            )  # fmt: skip
        last = history[-1][2]
        received = r["received"]
        summary = clarification or text
        reporter_name = ""
        if reporter != WmoReport.Reporter.RESIDENT:
            reporter_name = asker_name or wmo_demo._reporter_name(rng, reporter)
        consultant_id = r["consultant"].id if r["consultant"] else None
        self.t_wmo.rows.append(
            (report_id, person, q.id, desk.pk, _date(reported_on), reporter,
             reporter_name, summary, handler.id, offered, accepted if offered else None, status, last,
             consultant_id, _date(r["investigation_started_on"]), _date(r["plan"]),
             _date(r["conversation_on"]), r["conversation_report"], _date(r["completed"]), _date(received),
             r["decision"], r["decision_note"], _date(r["decided_on"]), _date(r["ciz_on"]), r["ciz_outcome"],
             _date(r["ciz_outcome_on"]), r["ciz_note"], _date(r["closed_on"]), r["close_reason"],
             self._wmo_due(reported_on, "plan"), self._wmo_due(reported_on, "investigation", r["inv_days"]),
             self._wmo_due(received, "decision", r["dec_days"]) if received else None,
             r["inv_days"], r["dec_days"], _date(r["suspended_since"]), len(history) + len(suspensions),
             made, max(last, made))
        )  # fmt: skip


_CHECK_RESULTS = [
    "Inwoner is tevreden: de hulp is gestart.",
    "Hulp loopt; geen nieuwe vragen.",
    "Inwoner niet bereikt; later opnieuw bellen.",
    "Andere oplossing gezocht met de inwoner.",
]


def _date(ordinal):
    return datetime.date.fromordinal(ordinal) if ordinal else None


def _weighted(rng, options):
    values = [value for value, _weight in options]
    cumulative = list(itertools.accumulate(weight for _value, weight in options))
    return values[bisect.bisect_left(cumulative, rng.random() * cumulative[-1])]
