"""The synthetic city: residents, their contacts and questions, the referrals and Wmo reports
that follow (``casework``), and the access log, day by day.

Time runs forward: for every day of the window the generator draws that day's contacts
(channels, opening hours, seasons and weekdays as in the demo), registers residents at their
first contact, lets earlier residents come back (often within a few weeks), settles each
question (closed at once, later, or still open), and writes the access-log rows those actions
leave, in timestamp order. So ids follow time, as in a real installation, and a resident's
rows lie scattered through the tables the way they would after years of use.

The distributions, texts and helpers come from the demo loaders (``residents.demo``,
``contacts.demo``, ``organisations.demo``); this module only scales them up and writes plain
tuples through :mod:`schakelpunt.core.synthetic.writer`.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import json
import math
import random
import time
import types
from array import array
from collections.abc import Callable
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from faker.providers.address.nl_NL import Provider as DutchAddresses
from faker.providers.person.nl_NL import Provider as DutchNames

from schakelpunt.accounts.models import User
from schakelpunt.audit.models import AccessLog
from schakelpunt.contacts import demo as contacts_demo
from schakelpunt.contacts.models import (
    Assessment,
    AssessmentDomain,
    AssessmentInstrument,
    AssessmentScore,
    Contact,
    FollowUp,
    LifeDomain,
    Question,
    QuestionChange,
)
from schakelpunt.core.synthetic.casework import CaseWork
from schakelpunt.core.synthetic.writer import BulkWriter, table_for
from schakelpunt.organisations.demo import DISTRICTS
from schakelpunt.organisations.models import Desk, Location, OpeningHours, Organisation
from schakelpunt.residents import demo as residents_demo
from schakelpunt.residents.models import Consent, Representation, Resident

Ch = Contact.Channel
O = Question.Outcome  # noqa: E741
R = Question.UnmetReason
A = AccessLog.Action
DAY = 86400
NEVER = 10**7  # a day ordinal after every real date

# The roles of the demo's staff (contacts.demo.HANDLERS names them by user name) and their groups.
ROLE_GROUPS = {
    "frontoffice": "Frontoffice",
    "vrijwilliger": "Vrijwilliger",
    "consulent": "Consulent",
    "coordinator": "Coördinator",
}
ROLE_SHARE = {"frontoffice": 0.45, "vrijwilliger": 0.25, "consulent": 0.22, "coordinator": 0.08}
RESIDENTS_PER_STAFF = 6000  # a large desk: about 170 staff for a million residents
OTHER_ROLES = {"privacy": "Privacyfunctionaris", "beleid": "Beleidsmedewerker", "partner": "Partner"}
USERNAME_PREFIX = "synth-"
VOLUNTEER_ORGANISATION = "Welzijn Twente Samen"
# Synthetic BSNs: eight-digit prefixes 99000000-99989999 plus the eleven-test digit, so the
# demo's range (9999xxxx) and the official BRP test persons (99999xxxx) stay free.
BSN_FIRST, BSN_COUNT, BSN_STRIDE = 99000000, 990000, 104729
# Yearly chances that the register reports a death (by age) or a move out of the region.
DEATH_PER_YEAR = ((85, 0.06), (75, 0.025), (0, 0.003))
MOVE_PER_YEAR = 0.015
RESIDENTS_PER_POSTCODE = 40  # about twenty addresses of two people under one six-character postcode
URGENCIES = list(Question.Urgency)
RETURN_WINDOW_DAYS = 56  # people come back within eight weeks, as in the demo
LATER_READ_DAYS = 28  # later looks at a file happen within four weeks of the contact
PROGRESS_SECONDS = 30  # how often a long run says how far it got
CONSENT_SCOPE = json.dumps(
    sorted([Consent.Scope.CONTACT_DETAILS, Consent.Scope.QUESTION, Consent.Scope.CLARIFICATION])
)


class _FastNames:
    """The handful of Faker methods the demo helpers call, from Faker's Dutch lists, without Faker's cost."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.female = list(DutchNames.first_names_female)
        self.male = list(DutchNames.first_names_male)
        self.last = list(DutchNames.last_names)
        self.suffixes = list(DutchAddresses.street_suffixes)

    def first_name_female(self) -> str:
        return self.rng.choice(self.female)

    def first_name_male(self) -> str:
        return self.rng.choice(self.male)

    def first_name(self) -> str:
        return self.rng.choice(self.female if self.rng.random() < 0.5 else self.male)

    def last_name(self) -> str:
        return self.rng.choice(self.last)

    def street_name(self) -> str:  # Faker's nl_NL format: {{first_name}}{{street_suffix}}
        return self.first_name() + self.rng.choice(self.suffixes)


class _Staff:
    """One generated staff member, as the contact and access-log rows need them."""

    __slots__ = ("desk", "id", "ip", "organisation_id", "role", "roles", "username")

    def __init__(self, user: User, role: str, desk: int, ip: str):
        self.id, self.username, self.role, self.desk = user.pk, user.username, role, desk
        self.roles = ROLE_GROUPS.get(role) or OTHER_ROLES[role]
        self.organisation_id, self.ip = user.organisation_id, ip


class _Desk:
    def __init__(self, index: int, desk: Desk, municipality_shares: dict[str, int]):
        self.index, self.pk, self.desk = index, desk.pk, desk
        self.municipalities = municipality_shares
        self.staff: dict[str, list[_Staff]] = {role: [] for role in ROLE_GROUPS}
        self.main_location: int | None = None
        self.district_location: int | None = None
        self.windows: dict[str, list[tuple[int, int, int, float]]] = {}
        # Residents registered here, for weighted picks: cumulative weights and their ids.
        self.cumulative = array("d")
        self.members = array("q")
        self.recent: list[tuple[int, int]] = []  # (day ordinal, resident id), oldest first
        self.recent_start = 0
        self.target = 0  # residents to register at this desk
        self.created = 0


class Generator(CaseWork):
    def __init__(
        self,
        *,
        residents: int,
        years: int,
        seed: int,
        contacts_per_resident: float,
        access_log_per_resident: float,
        batch_rows: int,
        defer_indexes: bool,
        log: Callable[[str], None],
        shard: int = 0,
        shards: int = 1,
    ):
        """One generator makes the whole city, or one of ``shards`` parts of it (see ``generate``)."""
        self.n_residents, self.years, self.seed = residents, years, seed
        self.n_contacts = round(residents * contacts_per_resident)
        self.n_access = round(residents * access_log_per_resident)
        self.access_per_contact = self.n_access / max(1, self.n_contacts)
        self.batch_rows, self.log = batch_rows, log
        self.shard, self.shards = shard, shards
        # Each part has its own stream of chances; one part alone keeps the seed as it is.
        self.rng = random.Random(seed if shards == 1 else seed * 1000 + shard)  # noqa: S311 - not secrets
        self.names = _FastNames(self.rng)
        self.tz = ZoneInfo(settings.TIME_ZONE)
        today = datetime.datetime.now(self.tz).date()
        self.today = today
        self._midnights: dict[int, int] = {}
        self.now = self._midnight(today.toordinal())
        start = today - datetime.timedelta(days=round(years * 365.25))
        self.days = [start + datetime.timedelta(days=offset) for offset in range((today - start).days)]
        tables = [
            Resident,
            Representation,
            Consent,
            Contact,
            Question,
            Question.domains.through,
            QuestionChange,
            FollowUp,
            Assessment,
            AssessmentScore,
            *CaseWork.CASEWORK_MODELS,
            AccessLog,
        ]
        self.writer = BulkWriter(defer=[m._meta.db_table for m in tables] if defer_indexes else (), log=log)
        self.started = time.monotonic()

    # --- set-up -------------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        """The whole city in this process."""
        self.prepare()
        self.simulate()
        self.log("Rebuilding indexes and statistics ...")
        self.writer.finish()
        return self.counts()

    def counts(self) -> dict[str, int]:
        counts = {table.name: table.written for table in self.writer.tables}
        counts["seconds"] = round(time.monotonic() - self.started)
        return counts

    def prepare(self) -> None:
        self._tables()
        self._load_reference()
        self._partners()
        self._staff()
        self._street_plan()
        self._calendar()
        self._taken_bsns()

    def id_blocks(self) -> dict[str, list[int]]:
        """For each table, the first id of each part: blocks big enough for what a part can write."""
        contacts = int(self.n_contacts / self.shards * 1.02) + 1000
        residents = sum(desk.full_target for desk in self.desks) // self.shards + 100
        most_domains = max(len(need.domains) for need in self.needs)
        # At most: two questions per contact, three changes and three follow-ups per question (and
        # a check per referral), two measurements per home visit with thirteen scores each; a
        # consent per referral (see casework for the rest).
        bounds = [
            (self.t_resident, residents),
            (self.t_representation, residents),
            (self.t_consent, residents + 8 * contacts),
            (self.t_contact, contacts),
            (self.t_question, 2 * contacts),
            (self.t_domain, 2 * most_domains * contacts),
            (self.t_change, 6 * contacts),
            (self.t_follow_up, 12 * contacts),
            (self.t_assessment, 2 * contacts),
            (self.t_score, 26 * contacts),
            *self._casework_bounds(contacts),
        ]
        return {
            table.name: [table.next_id + part * bound for part in range(self.shards + 1)]
            for table, bound in bounds
        }

    def use_id_blocks(self, blocks: dict[str, list[int]]) -> None:
        for table in self.writer.tables:
            if table.name in blocks:
                table.next_id = blocks[table.name][self.shard]
                table.limit = blocks[table.name][self.shard + 1] - 1

    def simulate(self) -> None:
        """Day by day through the window; the rows go to the database as they are made."""
        self.writer.start()
        # What later contacts need to know of a resident, by id - base (ids are handed out in order).
        self.base = self.t_resident.next_id
        self.birth, self.until, self.female = array("i"), array("i"), bytearray()
        self.deceased = bytearray()
        self.display: list[str] = []
        self.asked_packed = array("i")  # the last four needs asked, 6 bits each
        self.representatives: dict[int, tuple[str, bool]] = {}
        self.measured: set[int] = set()
        self.handler_weights: dict[tuple, tuple[list[str], list[float]]] = {}
        self.draws: dict[tuple, tuple[list, list[float]]] = {}
        if self.shard == 0:
            self.log(
                f"Generating {self.n_residents:,} residents, about {self.n_contacts:,} contacts and "
                f"{self.n_access:,} access-log rows over {self.years} years "
                f"({self.days[0]:%d-%m-%Y} to {self.days[-1]:%d-%m-%Y}), on {self.writer.vendor}"
                + (f", in {self.shards} processes." if self.shards > 1 else ".")
            )
        self.access_rows_made = 0
        self.contacts_made = 0
        self.buckets: dict[int, list[tuple]] = {}
        self.logged_at = 0.0
        for day_index, day in enumerate(self.days):
            self._day(day_index, day)
            self._close_day(day.toordinal())
            if self.writer.buffered() >= self.batch_rows:
                self._flush(day)
        for desk in self.desks:
            while desk.created < desk.target:  # the few the calendar had no room for
                self._register(desk, self.now - 3600, handler=self._any_staff(desk), with_partner=False)
        for ordinal in sorted(self.buckets):
            self._close_day(ordinal)
        self._flush(self.days[-1], last=True)
        self.writer.drain()

    def _tables(self) -> None:
        add, w = self.writer.add, table_for
        self.t_resident = add(
            w(
                Resident,
                [
                    "id", "bsn", "given_names", "surname_prefix", "surname", "birth_date", "street",
                    "house_number", "house_number_addition", "postcode", "town", "municipality_id",
                    "district_id", "phone", "email", "preferred_channel", "is_secret", "status",
                    "status_date", "registered_desk_id", "version", "created_at", "updated_at",
                ],
            )
        )  # fmt: skip
        self.t_representation = add(
            w(
                Representation,
                [
                    "id", "resident_id", "kind", "representative_id", "name", "phone", "email",
                    "valid_from", "valid_until", "created_at", "updated_at",
                ],
            )
        )  # fmt: skip
        self.t_consent = add(
            w(
                Consent,
                [
                    "id", "resident_id", "purpose", "organisation_id", "scope", "legal_basis", "given_at",
                    "given_by", "recorded_by_id", "withdrawn_at", "withdrawn_recorded_by_id",
                    "created_at", "updated_at",
                ],
            )
        )  # fmt: skip
        self.t_contact = add(
            w(
                Contact,
                [
                    "id", "desk_id", "location_id", "channel", "started_at", "duration_minutes",
                    "handled_by_id", "asked_by", "asker_name", "resident_id", "created_at", "updated_at",
                ],
            )
        )  # fmt: skip
        self.t_question = add(
            w(
                Question,
                [
                    "id", "contact_id", "resident_id", "question_text", "clarification", "health_notes",
                    "urgency", "status", "outcome", "unmet_reason", "answer", "minutes_spent",
                    "assigned_to_id", "closed_at", "version", "created_at", "updated_at",
                ],
            )
        )  # fmt: skip
        self.t_domain = add(w(Question.domains.through, ["id", "question_id", "lifedomain_id"]))
        self.t_change = add(w(QuestionChange, ["id", "question_id", "changed_at", "changed_by_id", "fields"]))
        self.t_follow_up = add(
            w(
                FollowUp,
                [
                    "id", "question_id", "kind", "due_date", "assigned_to_id", "note", "status", "result",
                    "done_at", "created_at", "updated_at",
                ],
            )
        )  # fmt: skip
        self.t_assessment = add(
            w(
                Assessment,
                ["id", "instrument_id", "resident_id", "question_id", "assessed_at", "assessed_by_id"],
            )
        )
        self.t_score = add(w(AssessmentScore, ["id", "assessment_id", "domain_id", "score"]))
        self._casework_tables()
        # Numbered by the database in the order written (time order): ids follow time.
        self.t_access = add(
            w(
                AccessLog,
                [
                    "timestamp", "user_id", "username", "roles", "organisation_id", "action", "object_type",
                    "object_id", "result", "ip_address", "purpose", "on_behalf_of",
                ],
                auto_id=True,
            )
        )  # fmt: skip

    def _load_reference(self) -> None:
        self.domains = dict(LifeDomain.objects.values_list("code", "pk"))
        self.organisations = dict(Organisation.objects.values_list("name", "pk"))
        instrument = AssessmentInstrument.objects.filter(code="zrm").first()
        self.zrm_instrument = instrument.pk if instrument else None
        self.zrm = dict(AssessmentDomain.objects.filter(instrument=instrument).values_list("code", "pk"))
        self.districts = {}
        from schakelpunt.organisations.models import District, Municipality

        self.municipality_ids = dict(Municipality.objects.values_list("code", "pk"))
        self.district_ids = dict(District.objects.values_list("code", "pk"))
        shares = residents_demo.MUNICIPALITY_SHARE
        self.desks: list[_Desk] = []
        for index, desk in enumerate(
            Desk.objects.filter(slug__in=[d["slug"] for d in _demo_desks()]).order_by("slug")
        ):
            codes = [code for code in desk.municipalities.values_list("code", flat=True) if code in shares]
            self.desks.append(_Desk(index, desk, {code: shares[code] for code in codes}))
        total = sum(sum(d.municipalities.values()) for d in self.desks)
        assigned = 0
        for desk in self.desks:
            desk.full_target = round(self.n_residents * sum(desk.municipalities.values()) / total)
            assigned += desk.full_target
        self.desks[0].full_target += self.n_residents - assigned
        for desk in self.desks:  # this part's share of the desk's residents
            share, rest = divmod(desk.full_target, self.shards)
            desk.target = share + (1 if self.shard < rest else 0)
        # Needs as the demo weighs them, per age band, and the ones asked anonymously.
        needs = contacts_demo.NEEDS
        self.needs = needs
        self.need_number = {need.code: number for number, need in enumerate(needs, start=1)}
        self.needs_by_age = [
            list(itertools.accumulate(need.ages[band] + 0.001 for need in needs)) for band in range(3)
        ]
        anonymous = [need for need in needs if need.anonymous]
        self.anonymous_needs = (anonymous, list(itertools.accumulate(need.anonymous for need in anonymous)))

    def _staff(self) -> None:
        """Staff per desk in proportion to its residents; existing generated staff are reused."""
        groups = {group.name: group for group in Group.objects.all()}
        missing_groups = [
            name for name in [*ROLE_GROUPS.values(), *OTHER_ROLES.values()] if name not in groups
        ]
        if missing_groups:
            raise RuntimeError(f"Roles missing (load the roles fixture first): {missing_groups}")
        password = make_password(None)  # unusable: benchmarks log in with sessions, not passwords
        existing = {user.username: user for user in User.objects.filter(username__startswith=USERNAME_PREFIX)}
        wanted: list[tuple[str, str, int | None, str]] = []  # username, role, desk index, organisation
        for desk in self.desks:
            size = max(len(ROLE_SHARE), round(desk.full_target / RESIDENTS_PER_STAFF))
            municipality = min(desk.municipalities, key=lambda code: -desk.municipalities[code])
            municipal_org = (
                Organisation.objects.filter(municipality__code=municipality).order_by("pk").first()
            )
            for role, share in ROLE_SHARE.items():
                for number in range(1, max(1, round(size * share)) + 1):
                    organisation = VOLUNTEER_ORGANISATION if role == "vrijwilliger" else municipal_org.name
                    wanted.append(
                        (
                            f"{USERNAME_PREFIX}{desk.desk.slug[:12]}-{role}-{number:03d}",
                            role,
                            desk.index,
                            organisation,
                        )
                    )
        for role in OTHER_ROLES:
            wanted.append((f"{USERNAME_PREFIX}{role}", role, None, "Gemeente Enschede"))
        self._partner_users(wanted, self.n_residents, USERNAME_PREFIX)
        new_users = []
        for username, _role, _desk, organisation in wanted:
            if username not in existing:
                first = self.names.first_name()
                prefix, last = residents_demo.split_surname(self.names.last_name())
                new_users.append(
                    User(
                        username=username,
                        first_name=first,
                        last_name=" ".join(part for part in (prefix, last) if part),
                        email=f"{username}@schakelpunt.example",
                        password=password,
                        organisation_id=self.organisations.get(organisation),
                    )
                )
        User.objects.bulk_create(new_users)
        users = {user.username: user for user in User.objects.filter(username__startswith=USERNAME_PREFIX)}
        group_links, desk_links = [], []
        have_groups = set(
            User.groups.through.objects.filter(user__in=users.values()).values_list("user_id", flat=True)
        )
        have_desks = set(
            User.desks.through.objects.filter(user__in=users.values()).values_list("user_id", flat=True)
        )
        self.staff: dict[int, _Staff] = {}
        for username, role, desk_index, _organisation in wanted:
            user = users[username]
            group = groups[ROLE_GROUPS.get(role) or OTHER_ROLES[role]]
            if user.pk not in have_groups:
                group_links.append(User.groups.through(user_id=user.pk, group_id=group.pk))
            everywhere = [desk.pk for desk in self.desks]
            desk_pks = everywhere if desk_index is None else [self.desks[desk_index].pk]
            if user.pk not in have_desks and role != "partner":
                desk_links.extend(User.desks.through(user_id=user.pk, desk_id=pk) for pk in desk_pks)
            index = desk_index if desk_index is not None else 0
            ip = f"10.{50 + index}.{(user.pk // 250) % 250}.{user.pk % 250 + 1}"
            member = _Staff(user, role, index, ip)
            self.staff[user.pk] = member
            if desk_index is not None:
                self.desks[desk_index].staff[role].append(member)
        User.groups.through.objects.bulk_create(group_links)
        User.desks.through.objects.bulk_create(desk_links)
        self._partner_staff()
        self.log(f"Staff: {len(self.staff)} generated users ({len(new_users)} new).")

    def _street_plan(self) -> None:
        """Per district, six-character postcodes on streets, as many as the number of residents needs.

        The same in every part (its own seed, the whole city's numbers): a postcode is on one street.
        """
        rng = random.Random(self.seed)  # noqa: S311 - not secrets
        names = _FastNames(rng)
        plan: dict[str, list[tuple[str, str, int, int]]] = {}
        for desk in self.desks:
            desk_total = sum(desk.municipalities.values())
            for code, share in desk.municipalities.items():
                districts = DISTRICTS[code]
                for district_code, _name, areas in districts:
                    people = desk.full_target * share / desk_total / len(districts) / len(areas)
                    postcodes = max(8, min(380, math.ceil(people / RESIDENTS_PER_POSTCODE)))
                    per_postcode = max(12, math.ceil(people / postcodes / 1.8))
                    entries = []
                    for area in areas:
                        used: set[str] = set()
                        for _ in range(postcodes):
                            if rng.random() < 0.5:
                                street = names.street_name()
                            else:
                                street = rng.choice(residents_demo.COMMON_STREETS)
                            letters = residents_demo._postcode_letters(rng, used)
                            first = rng.choice([1, 1, 1, 21, 41, 61, 101])
                            entries.append((f"{area} {letters}", street, first, per_postcode))
                    plan[district_code] = entries
        self.street_plan = plan

    def _calendar(self) -> None:
        """Per desk and channel, the moments contacts can happen, weighted by season and weekday."""
        closed = {
            day
            for day, name in holidays.country_holidays(
                "NL", years=sorted({d.year for d in self.days}), language="nl"
            ).items()
            if name not in contacts_demo.OPEN_HOLIDAYS
        }
        self.closed = {day.toordinal() for day in closed}
        any_time = [(weekday, datetime.time(0), datetime.time(23, 59), 1.0) for weekday in range(7)]
        visits = [(weekday, *contacts_demo.HOME_VISIT_HOURS, 1.0) for weekday in range(5)]
        streams = []  # (desk, channel, location, weekday -> windows, channel weight)
        channel_total = sum(contacts_demo.CHANNEL_SHARE.values())
        for desk in self.desks:
            locations = list(Location.objects.filter(desk=desk.desk, is_active=True).order_by("pk"))
            hours = list(OpeningHours.objects.filter(location__in=locations).order_by("pk"))
            office = [h for h in hours if h.kind == OpeningHours.Kind.OPENING]
            district = [h for h in hours if h.kind == OpeningHours.Kind.DISTRICT]
            desk.main_location = office[0].location_id if office else (locations[0].pk if locations else None)
            desk.district_location = district[0].location_id if district else None
            office_windows = [
                (h.weekday, h.opens, h.closes, 0.3 if "afspraak" in h.note else 1.0) for h in office
            ]
            windows = {
                Ch.PHONE: ([w for w in office_windows if w[3] == 1.0], None),
                Ch.DESK: (office_windows, desk.main_location),
                Ch.EMAIL: (any_time, None),
                Ch.ONLINE: (any_time, None),
                Ch.HOME_VISIT: (visits, None),
                Ch.DISTRICT_HOURS: (
                    [(h.weekday, h.opens, h.closes, 1.0) for h in district],
                    desk.district_location,
                ),
            }
            desk_share = desk.full_target / max(1, self.n_residents)
            for channel, (channel_windows, location) in windows.items():
                if channel_windows:
                    share = contacts_demo.CHANNEL_SHARE[channel] / channel_total
                    streams.append((desk, channel, location, channel_windows, desk_share * share))
        # Total weight per stream over the whole window, so each option's expected count follows.
        self.streams = []
        for desk, channel, location, channel_windows, share in streams:
            total = sum(
                self._option_weight(channel, day, window)
                for day in self.days
                for window in self._windows_on(channel, channel_windows, day)
            )
            if total:
                contacts = self.n_contacts / self.shards  # this part's share
                self.streams.append((desk, channel, location, channel_windows, contacts * share / total))
        # Residents register at their first contact: many in the first years, fewer later on.
        self.named_expected: dict[tuple[int, int], float] = {}
        weights = {desk.index: [] for desk in self.desks}
        for day_index, day in enumerate(self.days):
            growth = 1.6 - 1.2 * day_index / max(1, len(self.days) - 1)
            per_desk = dict.fromkeys(weights, 0.0)
            for desk, channel, _location, channel_windows, factor in self.streams:
                for window in self._windows_on(channel, channel_windows, day):
                    named = 1 - contacts_demo.ANONYMOUS_SHARE[channel]
                    per_desk[desk.index] += self._option_weight(channel, day, window) * factor * named
            for index, value in per_desk.items():
                weights[index].append(value * growth)
        self.new_cumulative = {}
        for desk in self.desks:
            total = sum(weights[desk.index]) or 1.0
            self.new_cumulative[desk.index] = list(
                itertools.accumulate(w * desk.target / total for w in weights[desk.index])
            )
        self.expected_so_far = 0.0
        self.contacts_so_far = 0

    def _windows_on(self, channel, channel_windows, day: datetime.date):
        always = channel in (Ch.EMAIL, Ch.ONLINE)
        weekday = day.weekday()
        if not always and (weekday >= 5 or day.toordinal() in self.closed):
            return []
        return [window for window in channel_windows if window[0] == weekday]

    @staticmethod
    def _option_weight(channel, day: datetime.date, window) -> float:
        weekday, opens, closes, factor = window
        always = channel in (Ch.EMAIL, Ch.ONLINE)
        length = (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)
        season = contacts_demo.SEASON[day.month] * contacts_demo.WEEKDAY_LOAD[weekday]
        return season * factor * (1 if always else length / 480)

    def _taken_bsns(self) -> None:
        self.taken_bsns = set(
            Resident.objects.filter(bsn__startswith="99")
            .values_list("bsn", flat=True)
            .iterator(chunk_size=10000)
        )
        # The positions seed + k * stride (k = 0 .. BSN_COUNT - 1) visit the range once each; every
        # part takes its own stretch of k, so parts never hand out the same number.
        self.bsn_max_tries = BSN_COUNT // self.shards
        self.bsn_position = (self.seed + self.shard * self.bsn_max_tries * BSN_STRIDE) % BSN_COUNT
        self.bsn_tries = 0

    # --- one day ------------------------------------------------------------------------------

    def _day(self, day_index: int, day: datetime.date) -> None:
        rng = self.rng
        ordinal = day.toordinal()
        slots = []
        for desk, channel, location, channel_windows, factor in self.streams:
            for window in self._windows_on(channel, channel_windows, day):
                self.expected_so_far += self._option_weight(channel, day, window) * factor
                count = round(self.expected_so_far) - self.contacts_so_far
                self.contacts_so_far += max(0, count)
                for _ in range(count):
                    started = contacts_demo._start(rng, channel, day, window[1], window[2]).timestamp()
                    median, spread, shortest, longest = contacts_demo.DURATION[channel]
                    duration = max(shortest, min(longest, round(rng.lognormvariate(0, spread) * median)))
                    slots.append((int(started), desk.index, channel, location, duration))
        slots.sort(key=lambda slot: slot[0])
        # Who comes: anonymous or named; of the named, some come for the first time today.
        named = {desk.index: [] for desk in self.desks}
        kind = bytearray(len(slots))  # 0 anonymous, 1 returning, 2 first time
        for position, (_started, desk_index, channel, _location, _duration) in enumerate(slots):
            if rng.random() >= contacts_demo.ANONYMOUS_SHARE[channel]:
                named[desk_index].append(position)
                kind[position] = 1
        for desk in self.desks:
            due = round(self.new_cumulative[desk.index][day_index]) - desk.created
            positions = named[desk.index]
            for position in rng.sample(positions, max(0, min(due, len(positions)))):
                kind[position] = 2
        for position, (started, desk_index, channel, location, duration) in enumerate(slots):
            desk = self.desks[desk_index]
            handler = self._handler(desk, channel, started, ordinal)
            person, new = None, False
            if kind[position] == 2 and desk.created < desk.target:
                person, new = self._register(desk, started, handler=handler, with_partner=True), True
            elif kind[position]:
                person = self._pick(desk, ordinal, channel)
            self._contact(desk, ordinal, started, channel, location, duration, handler, person, new=new)

    def _handler(self, desk: _Desk, channel: str, started: int, ordinal: int) -> _Staff:
        """Who handles the contact: by channel and the roles' working days (contacts.demo)."""
        weekday = (ordinal + 6) % 7
        evening = channel == Ch.DESK and (started - self._midnight(ordinal)) // 3600 >= 18
        key = (desk.index, channel, weekday, evening)
        choice = self.handler_weights.get(key)
        if choice is None:
            weights = {
                role: weight
                for role, weight in contacts_demo.HANDLERS[channel].items()
                if weekday in contacts_demo.WORKDAYS[role] or channel in (Ch.EMAIL, Ch.ONLINE)
            }
            if evening:
                weights = {"frontoffice": 1, "coordinator": 1}
            weights = {role: weight for role, weight in weights.items() if desk.staff[role]} or {
                "frontoffice": 1
            }
            choice = self.handler_weights[key] = (list(weights), list(itertools.accumulate(weights.values())))
        roles, cumulative = choice
        role = roles[bisect.bisect_left(cumulative, self.rng.random() * cumulative[-1])]
        return self.rng.choice(desk.staff[role] or desk.staff["frontoffice"])

    def _any_staff(self, desk: _Desk) -> _Staff:
        return self.rng.choice(desk.staff["frontoffice"])

    # --- residents ----------------------------------------------------------------------------

    def _register(self, desk: _Desk, moment: int, *, handler: _Staff, with_partner: bool) -> int:
        """A resident registered at their first contact (``moment``); returns their id."""
        rng = self.rng
        ordinal = self._ordinal(moment)
        codes = list(desk.municipalities)
        code = rng.choices(codes, weights=[desk.municipalities[c] for c in codes])[0]
        district_code = rng.choice([c for c, _n, _a in DISTRICTS[code]])
        postcode, street, first, count = rng.choice(self.street_plan[district_code])
        (low, high), _weight = rng.choices(
            residents_demo.AGE_BANDS, weights=[weight for _band, weight in residents_demo.AGE_BANDS]
        )[0]
        age = rng.randint(low, high)
        birth = ordinal - int(age * 365.25) - rng.randint(0, 364)
        number = rng.randrange(first, first + count)
        addition = rng.choice(["A", "B", "-1", "-2"]) if rng.random() < 0.08 else ""
        resident_id = self._resident_row(
            desk,
            moment,
            code,
            district_code,
            birth,
            age,
            postcode,
            street,
            number,
            addition,
            migration=rng.random() < 0.07,
        )
        person = self.person
        if with_partner and age >= 65 and rng.random() < 0.07 and desk.created < desk.target:
            partner_birth = max(birth + rng.randint(-6 * 365, 6 * 365), 0)
            partner_birth = min(partner_birth, ordinal - 60 * 365)
            partner_age = (ordinal - partner_birth) // 365
            partner_id = self._resident_row(
                desk, moment, code, district_code, partner_birth, partner_age, postcode, street, number,
                addition, migration=False, female=not person.female, phone=person.phone,
                channel=person.preferred_channel,
            )  # fmt: skip
            self._representation(
                resident_id, moment, kind=Representation.Kind.INFORMAL_CARER, representative=partner_id
            )
            partner = self.person
            self.representatives[resident_id] = (f"{partner.given_names} {self.display[-1]}", True)
        else:
            self._carers(resident_id, moment, age, person)
        if rng.random() < 0.3:
            self._consent(
                resident_id,
                moment,
                purpose="Vastleggen en delen binnen het loket voor de afhandeling van mijn vraag",
                organisation=None,
                recorder=handler,
                given_by="",
            )
        return resident_id

    def _resident_row(
        self, desk, moment, code, district_code, birth, age, postcode, street, number, addition,
        *, migration, female=None, phone=None, channel=None,
    ) -> int:  # fmt: skip
        rng = self.rng
        table = self.t_resident
        resident_id = table.take_id()
        if female is None:
            female = rng.random() < (0.6 if age >= 65 else 0.55)
        birth_date = datetime.date.fromordinal(birth)
        given = residents_demo._given_names(
            rng=rng, fake=self.names, birth_year=birth_date.year, female=female, migration=migration
        )
        prefix, surname = residents_demo._surname(rng=rng, fake=self.names, migration=migration)
        person = types.SimpleNamespace(
            given_names=given,
            surname_prefix=prefix,
            surname=surname,
            birth_date=birth_date,
            phone="",
            email="",
            preferred_channel="",
            is_secret=False,
            female=female,
        )
        residents_demo._contact_details(person, rng=rng, age=age, municipality_code=code)
        if phone is not None:
            person.phone, person.preferred_channel = phone, channel
        # What the register will have told by today: a death or a move out of the region.
        death = next(chance for minimum, chance in DEATH_PER_YEAR if age >= minimum)
        rate = (death + MOVE_PER_YEAR) / 365.25
        until = self._ordinal(moment) + 30 + int(rng.expovariate(rate))
        status, status_date, updated = Resident.Status.ACTIVE, None, moment + 60
        if until < self.today.toordinal() - 7:
            status = (
                Resident.Status.DECEASED
                if rng.random() < death / (death + MOVE_PER_YEAR)
                else Resident.Status.MOVED_AWAY
            )
            status_date = datetime.date.fromordinal(until)
            updated = self._midnight(until + 1) + 10 * 3600
        else:
            until = NEVER
        bsn = self._bsn() if rng.random() < 0.6 else ""
        table.rows.append(
            (
                resident_id, bsn, given, prefix, surname, birth_date, street, number, addition, postcode,
                residents_demo._town(code), self.municipality_ids[code], self.district_ids[district_code],
                person.phone, person.email, person.preferred_channel, rng.random() < 0.01, status,
                status_date,
                desk.pk, 1, moment + 60, updated,
            )
        )  # fmt: skip
        weight = min(rng.paretovariate(2.2), 4.0) * (1.6 if age >= 75 else 1.2 if age >= 65 else 1.0)
        desk.cumulative.append((desk.cumulative[-1] if desk.cumulative else 0.0) + weight)
        desk.members.append(resident_id)
        desk.created += 1
        self.birth.append(birth)
        self.female.append(female)
        self.until.append(until)
        self.deceased.append(status == Resident.Status.DECEASED)
        self.display.append(" ".join(part for part in (prefix, surname) if part))
        self.asked_packed.append(0)
        self.person = person
        return resident_id

    def _carers(self, resident_id: int, moment: int, age: int, person) -> None:
        """Children as informal carers, a few legal representatives (as in residents.demo)."""
        rng = self.rng
        draw = rng.random()
        if age >= 75 and draw < 0.22:
            female = rng.random() < 0.65
            if rng.random() < 0.6:
                prefix, last = person.surname_prefix, person.surname
            else:
                prefix, last = residents_demo.split_surname(self.names.last_name())
            first = rng.choice(residents_demo.MIDDLE_FEMALE if female else residents_demo.MIDDLE_MALE)
            name = " ".join(part for part in (first, prefix, last) if part)
            ascii_name = residents_demo._ascii(prefix + last)
            email = f"{residents_demo._ascii(first)}.{ascii_name}@{rng.choice(residents_demo.EMAIL_DOMAINS)}"
            kind = Representation.Kind.INFORMAL_CARER if rng.random() < 0.8 else Representation.Kind.FAMILY
            self._representation(
                resident_id, moment, kind=kind, name=name, phone=f"06-{rng.randint(10**7, 10**8 - 1)}",
                email=email if rng.random() < 0.6 else "",
            )  # fmt: skip
            self.representatives[resident_id] = (name, False)
        elif draw > 0.975:
            organisation = rng.choice(residents_demo.LEGAL_REPRESENTATIVES)
            prefix, last = residents_demo.split_surname(self.names.last_name())
            initial = rng.choice("ABCDEGHJKLMPRSTW")
            person_name = " ".join(part for part in (f"{initial}.", prefix, last) if part)
            self._representation(
                resident_id, moment, kind=Representation.Kind.LEGAL, name=f"{person_name}, {organisation}",
                phone=f"053-{rng.randint(10**6, 10**7 - 1)}",
                since=self._ordinal(moment) - rng.randint(30, 900),
            )  # fmt: skip

    def _representation(
        self, resident_id, moment, *, kind, representative=None, name="", phone="", email="", since=None
    ):
        table = self.t_representation
        valid_from = datetime.date.fromordinal(since or self._ordinal(moment))
        table.rows.append(
            (
                table.take_id(),
                resident_id,
                kind,
                representative,
                name,
                phone,
                email,
                valid_from,
                None,
                moment + 90,
                moment + 90,
            )
        )

    def _consent(self, resident_id, moment, *, purpose, organisation, recorder: _Staff, given_by: str) -> int:
        rng = self.rng
        scope = CONSENT_SCOPE
        withdrawn, withdrawn_by, updated = None, None, moment + 120
        if rng.random() < 0.03:
            later = moment + rng.randint(1, 400) * DAY
            if later < self.now:
                withdrawn, withdrawn_by, updated = later, recorder.id, later
        table = self.t_consent
        consent_id = table.take_id()
        table.rows.append(
            (consent_id, resident_id, purpose, organisation, scope, "", moment, given_by, recorder.id,
             withdrawn, withdrawn_by, moment + 120, updated)
        )  # fmt: skip
        return consent_id

    def _bsn(self) -> str:
        """A unique synthetic BSN that passes the eleven-test, or "" when the range is used up."""
        while self.bsn_tries < self.bsn_max_tries:
            self.bsn_tries += 1
            self.bsn_position = (self.bsn_position + BSN_STRIDE) % BSN_COUNT
            digits = str(BSN_FIRST + self.bsn_position)
            check = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
            number = f"{digits}{check}"
            if check < 10 and number not in self.taken_bsns:
                return number
        return ""

    def _pick(self, desk: _Desk, ordinal: int, channel: str) -> int | None:
        """Someone seen in the last weeks coming back, or any resident of the desk, by weight."""
        rng = self.rng
        recent = desk.recent
        while desk.recent_start < len(recent) and ordinal - recent[desk.recent_start][0] > RETURN_WINDOW_DAYS:
            desk.recent_start += 1
        if desk.recent_start > 200_000:
            del recent[: desk.recent_start]
            desk.recent_start = 0
        returning = 0.7 if channel == Ch.HOME_VISIT else 0.2
        if desk.recent_start < len(recent) and rng.random() < returning:
            resident_id = recent[rng.randrange(desk.recent_start, len(recent))][1]
            if self.until[resident_id - self.base] > ordinal:
                return resident_id
        if not desk.members:
            return None
        cumulative, total = desk.cumulative, desk.cumulative[-1]
        for _ in range(30):
            resident_id = desk.members[bisect.bisect_left(cumulative, rng.random() * total)]
            if self.until[resident_id - self.base] > ordinal:
                return resident_id
        return None

    # --- contacts and questions ---------------------------------------------------------------

    def _contact(self, desk, ordinal, started, channel, location, duration, handler, person, *, new) -> None:
        rng = self.rng
        AskedBy = Contact.AskedBy
        asked_by, asker_name = AskedBy.ANONYMOUS, ""
        if person is not None:
            asked_by = AskedBy.RESIDENT
            draw = rng.random()
            name, _is_partner = self.representatives.get(person, ("", False))
            if person in self.representatives and draw < 0.4 and channel != Ch.HOME_VISIT:
                asked_by = AskedBy.REPRESENTATIVE
                asker_name = name or self._partner_name(person)
            elif draw > 0.95 and channel in (Ch.PHONE, Ch.EMAIL):
                professional = rng.choice(contacts_demo.PROFESSIONALS)
                asker_name = f"{self.names.first_name()} {self.names.last_name()}, {professional}"
                asked_by = AskedBy.PROFESSIONAL
        registered = started + duration * 60
        table = self.t_contact
        contact_id = table.take_id()
        table.rows.append(
            (contact_id, desk.pk, location, channel, started, duration, handler.id, asked_by, asker_name,
             person, registered, registered)
        )  # fmt: skip
        self.contacts_made += 1
        log = self._access
        for offset in range(
            1 + (rng.random() < 0.5) + (rng.random() < 0.2) if person else rng.random() < 0.4
        ):
            log(ordinal, started - 40 + offset * 8, handler, A.SEARCH, "residents.resident", "", "intake", "")
        if person is not None:
            behalf = f"residents.resident#{person}"
            if new:
                log(ordinal, started + 50, handler, A.CREATE, "residents.resident", person, "intake", "")
            else:
                log(ordinal, started + 20, handler, A.READ, "residents.resident", person, "intake", "")
            log(ordinal, registered, handler, A.CREATE, "contacts.contact", contact_id, "intake", behalf)
            desk.recent.append((ordinal, person))
        count = 2 if rng.random() < (0.45 if channel == Ch.HOME_VISIT else 0.28) else 1
        used: set[str] = set()
        questions = []
        for index in range(count):
            need, again = self._need(person, ordinal, asked_by, used, first=index == 0)
            used.add(need.code)
            questions.append(
                self._question(desk, ordinal, contact_id, started, registered, channel, handler, person,
                               asked_by, asker_name, need, again, index, count)
            )  # fmt: skip
        if person is not None:
            asked = self._asked(person)
            for need in (question[1] for question in questions):
                if need in asked:
                    asked.remove(need)
                asked.append(need)
            packed = 0
            for need in asked[-4:]:
                packed = (packed << 6) | self.need_number[need.code]
            self.asked_packed[person - self.base] = packed
            if channel == Ch.HOME_VISIT and handler.role == "consulent":
                self._assessment(person, ordinal, started, duration, handler, questions[0])
            self._later_reads(desk, ordinal, started, handler, person, [q[0] for q in questions])

    def _asked(self, person: int) -> list:
        """The needs a resident asked about before, oldest first (at most four)."""
        packed, asked = self.asked_packed[person - self.base], []
        while packed:
            asked.append(self.needs[(packed & 63) - 1])
            packed >>= 6
        asked.reverse()
        return asked

    def _partner_name(self, person: int) -> str:
        return ("mevrouw " if self.female[person - self.base] else "meneer ") + self.display[
            person - self.base
        ]

    def _need(self, person, ordinal, asked_by, used, *, first):
        rng = self.rng
        speaks_for = asked_by in (Contact.AskedBy.REPRESENTATIVE, Contact.AskedBy.PROFESSIONAL)
        if person is None:
            needs, cumulative = self.anonymous_needs
        else:
            asked = self._asked(person)
            earlier = [need for need in asked if need.code not in used]
            if earlier:
                if first and rng.random() < 0.3:
                    return earlier[-1], True
                if rng.random() < (0.5 if len(asked) >= 3 else 0.2):
                    return rng.choice(earlier), True
            age = (ordinal - self.birth[person - self.base]) // 365
            needs, cumulative = self.needs, self.needs_by_age[0 if age < 40 else 1 if age < 65 else 2]
        for _ in range(20):
            need = needs[bisect.bisect_left(cumulative, rng.random() * cumulative[-1])]
            if need.code not in used and (need.about or not speaks_for):
                return need, person is not None and need in self._asked(person)
        return next(need for need in self.needs if need.code not in used and need.about), False

    def _fills(self, person, ordinal: int) -> dict[str, str]:
        rng = self.rng
        female = self.female[person - self.base] if person is not None else rng.random() < 0.6
        if person is not None and (ordinal - self.birth[person - self.base]) // 365 >= 65:
            relatie = "man" if female else "vrouw"
        else:
            relatie = rng.choice(["moeder", "moeder", "vader", "schoonmoeder"])
        month = datetime.date.fromordinal(ordinal - rng.randint(14, 120)).month
        return {
            "relatie": relatie,
            "partnerrol": "man" if female else "vrouw",
            "jaren": str(rng.randint(2, 9)),
            "weken": str(rng.choice([6, 8, 10, 12, 16, 26])),
            "maand": contacts_demo.MONTHS[month - 1],
        }

    def _question(self, desk, ordinal, contact_id, started, registered, channel, handler, person, asked_by,
                  asker_name, need, again, index, count):  # fmt: skip
        rng = self.rng
        fills = self._fills(person, ordinal)
        speaks_for = asked_by in (Contact.AskedBy.REPRESENTATIVE, Contact.AskedBy.PROFESSIONAL)
        if again:
            text = rng.choice(need.again or contacts_demo.GENERIC_AGAIN)
        elif speaks_for and need.about and person is not None:
            if asked_by == Contact.AskedBy.REPRESENTATIVE and "," not in asker_name:
                partner = self.representatives.get(person, ("", False))[1]
                female = self.female[person - self.base]
                wie = (
                    ("mijn vrouw" if female else "mijn man")
                    if partner
                    else ("mijn moeder" if female else "mijn vader")
                )
            else:
                wie = self._partner_name(person)
            text = rng.choice(need.about).replace("{Wie}", wie[0].upper() + wie[1:])
        else:
            text = rng.choice(need.asks)
        text = text.format(topic=need.topic, **fills)
        clarification = ""
        if again:
            clarification = "Vervolg op een eerder contact over dit onderwerp."
        elif rng.random() < (0.5 if person is None else 0.85):
            clarification = contacts_demo._sentence(rng.choice(need.clarifications).format(**fills))
        health = ""
        if need.health and person is not None and handler.role != "vrijwilliger" and rng.random() < 0.35:
            health = rng.choice(need.health).format(**fills)
        urgency = self._draw(("urgency", need.code), lambda: dict(zip(URGENCIES, need.urgency, strict=True)))
        outcome = self._outcome(need, again=again, anonymous=person is None)
        unmet = ""
        if outcome == O.NO_SUPPLY:
            unmet = self._draw(("unmet", need.code), lambda: need.unmet)
        question_id = self.t_question.take_id()
        created = started + index + 1
        state = types.SimpleNamespace(
            id=question_id, status=Question.Status.OPEN, outcome="", unmet="", answer="", closed_at=None,
            minutes=max(2, (registered - started) // 60 // count), assigned=handler, updated=created,
            changes=0,
        )  # fmt: skip
        referred_until = None  # the question stays open while a partner works one of its referrals
        if outcome == O.REFERRED and person is not None:
            referred_until = self._referrals(
                question_id, desk, need, person, handler, created, registered, text, clarification, urgency
            )
        self._settle(state, desk, ordinal, started, registered, handler, person, need, outcome, unmet, fills,
                     referred_until)  # fmt: skip
        if outcome == O.WMO_REPORT and person is not None and state.outcome in ("", O.WMO_REPORT):
            self._wmo_report(state, desk, need, person, handler, created, registered, asked_by, asker_name,
                             text, clarification, again)  # fmt: skip
        self.t_question.rows.append(
            (question_id, contact_id, person, text, clarification, health, urgency, state.status,
             state.outcome, state.unmet, state.answer, state.minutes, state.assigned.id, state.closed_at,
             1 + state.changes, created, state.updated)
        )  # fmt: skip
        for code in need.domains:
            if code in self.domains:
                self.t_domain.rows.append((self.t_domain.take_id(), question_id, self.domains[code]))
        return question_id, need

    def _outcome(self, need, *, again: bool, anonymous: bool) -> str:
        def weights() -> dict:
            found = dict(need.outcomes)
            if again:  # coming back: mostly information, else what this need can lead to
                usual = (O.INFORMATION, O.ADVICE)
                found = {
                    k: v for k, v in contacts_demo.AGAIN_OUTCOMES.items() if k in need.outcomes or k in usual
                }
            if anonymous:  # without a name there is no Wmo report and no referral
                found.pop(O.WMO_REPORT, None)
                found.pop(O.REFERRED, None)
                found[O.INFORMATION] = found.get(O.INFORMATION, 0) + 10
            return found

        return self._draw(("outcome", need.code, again, anonymous), weights)

    def _draw(self, key: tuple, weights: Callable[[], dict]):
        """A weighted draw, with the cumulative weights worked out once per key."""
        found = self.draws.get(key)
        if found is None:
            options = weights()
            found = self.draws[key] = (list(options), list(itertools.accumulate(options.values())))
        values, cumulative = found
        return values[bisect.bisect_left(cumulative, self.rng.random() * cumulative[-1])]

    def _answer(self, need, outcome: str, unmet: str, fills: dict[str, str]) -> str:
        values = {"topic": need.topic, "partner": need.partner, "elsewhere": need.elsewhere, **fills}
        if outcome == O.NO_SUPPLY:
            template = need.unmet_answer or contacts_demo.UNMET_ANSWERS[unmet]
        else:
            template = self.rng.choice(contacts_demo.ANSWERS[outcome])
        return contacts_demo._sentence(template.format(**values))

    def _settle(
        self,
        q,
        desk,
        ordinal,
        started,
        registered,
        handler,
        person,
        need,
        outcome,
        unmet,
        fills,
        not_before=None,
    ) -> None:
        """When the question closed (if it has), and the history and follow-ups it left (contacts.demo)."""
        rng, now = self.rng, self.now
        if person is None or rng.random() < contacts_demo.CLOSED_AT_ONCE[outcome]:
            closing = registered
        else:
            days = rng.randint(1, contacts_demo.CLOSING_DAYS.get(outcome, 10))
            closing = self._working_moment(started + days * DAY)
        if not_before is not None and closing < not_before + 600:  # after the partners reported back
            closing = self._working_moment(not_before + 600 + rng.randint(0, 2) * DAY)
        stale = person is not None and rng.random() < 0.002  # forgotten: work for the coordinator
        until = self.until[person - self.base] if person is not None else NEVER
        if until != NEVER and self._ordinal(closing) >= until:
            closing = self._working_moment(self._midnight(until + rng.randint(1, 4)) + 9 * 3600)
            if closing < now:
                deceased = rng.random() < 0.7
                outcome, unmet = (O.DECEASED, "") if deceased else (O.SIGNPOSTED, "")
                answer = (
                    "Inwoner is overleden (bericht uit de BRP)."
                    if deceased
                    else "Inwoner is verhuisd uit de regio; gewezen op het loket van de nieuwe gemeente."
                )
                self._close_later(
                    q, desk, registered, closing, outcome, unmet, answer, person, via_waiting=False
                )
                return
        if not stale and closing <= now:
            answer = self._answer(need, outcome, unmet, fills)
            if closing == registered:
                q.status, q.outcome, q.unmet, q.answer, q.closed_at = (
                    Question.Status.CLOSED,
                    outcome,
                    unmet,
                    answer,
                    closing,
                )
            else:
                if (
                    outcome == O.WMO_REPORT
                    and handler.role in ("frontoffice", "vrijwilliger")
                    and rng.random() < 0.4
                ):
                    consultants = desk.staff["consulent"]
                    if consultants:
                        to = rng.choice(consultants)
                        moment = min(now - 60, self._working_moment(registered + 2 * 3600))
                        self._change(q, moment, q.assigned, {"assigned_to": [q.assigned.id, to.id]}, person)
                        q.assigned = to
                via_waiting = (closing - registered) >= 2 * DAY and rng.random() < 0.5
                self._close_later(
                    q, desk, registered, closing, outcome, unmet, answer, person, via_waiting=via_waiting
                )
            self._after_closing(q, desk, person, closing, until)
            return
        waiting = rng.random() < (0.6 if outcome in (O.REFERRED, O.WMO_REPORT, O.NO_SUPPLY) else 0.25)
        if waiting:
            moment = min(now - 60, self._working_moment(registered + rng.randint(0, 2) * DAY))
            self._change(q, moment, q.assigned, {"status": ["open", "waiting"]}, person)
            q.status = Question.Status.WAITING
        if rng.random() < 0.75:
            due = self._working_day(self._ordinal(registered) + rng.randint(3, 14))
            today = self.today.toordinal()
            created = registered
            if due < today - 2 and rng.random() < 0.8:
                done_at = min(now - 60, self._working_moment(self._midnight(due) + 9 * 3600))
                self._follow_up(q, FollowUp.Kind.CALL_BACK, due, created, done_at=done_at)
                due = self._working_day(due + rng.randint(7, 21))
                created = done_at
            status = FollowUp.Status.CANCELLED if until != NEVER and due >= until else FollowUp.Status.PLANNED
            self._follow_up(q, FollowUp.Kind.CALL_BACK, due, created, status=status)

    def _close_later(
        self, q, desk, registered, closing, outcome, unmet, answer, person, *, via_waiting
    ) -> None:
        closer = q.assigned
        if via_waiting:
            moment = self._working_moment(registered + DAY)
            self._change(q, min(moment, closing), closer, {"status": ["open", "waiting"]}, person)
        before = "waiting" if via_waiting else q.status
        fields = {"status": [before, "closed"], "outcome": ["", outcome], "answer": ["", answer]}
        if unmet:
            fields["unmet_reason"] = ["", unmet]
        self._change(q, closing, closer, fields, person)
        q.status, q.outcome, q.unmet, q.answer, q.closed_at = (
            Question.Status.CLOSED,
            outcome,
            unmet,
            answer,
            closing,
        )
        q.minutes += self.rng.randint(5, 45)
        if self.rng.random() < 0.4 and outcome != O.DECEASED:
            self._follow_up(q, FollowUp.Kind.CALL_BACK, self._ordinal(closing), registered, done_at=closing)

    def _after_closing(self, q, desk, person, closing, until) -> None:
        """A check whether the help arrived: after a referral, a Wmo report or a waiting list."""
        rng = self.rng
        if person is None:
            return
        chance, weeks, assignee = 0.0, (2, 4), q.assigned
        if q.outcome == O.WMO_REPORT:  # (after a referral, the referral plans the check: casework)
            chance = 0.25
            assignee = rng.choice(desk.staff["consulent"]) if desk.staff["consulent"] else q.assigned
        elif q.outcome == O.NO_SUPPLY and q.unmet == R.WAITING_LIST:
            chance, weeks = 0.4, (6, 10)
        if rng.random() >= chance:
            return
        due = self._working_day(self._ordinal(closing) + 7 * rng.randint(*weeks))
        today = self.today.toordinal()
        if until != NEVER and due >= until:
            self._follow_up(
                q, FollowUp.Kind.CHECK_IN, due, closing, assignee=assignee, status=FollowUp.Status.CANCELLED,
                result="Vervallen: bericht uit de BRP.", updated=self._midnight(until) + 9 * 3600,
            )  # fmt: skip
        elif due < today - 3 and rng.random() < 0.95:
            done_at = min(self.now - 60, self._working_moment(self._midnight(due) + 9 * 3600))
            self._follow_up(
                q, FollowUp.Kind.CHECK_IN, due, closing, assignee=assignee, done_at=done_at,
                result=rng.choice(contacts_demo.CHECK_IN_RESULTS),
            )  # fmt: skip
        else:
            self._follow_up(q, FollowUp.Kind.CHECK_IN, due, closing, assignee=assignee)

    def _change(self, q, moment: int, user: _Staff, fields: dict, person) -> None:
        table = self.t_change
        table.rows.append((table.take_id(), q.id, moment, user.id, json.dumps(fields, ensure_ascii=False)))
        q.changes += 1
        q.updated = max(q.updated, moment)
        if person is not None:
            self._access(
                self._ordinal(moment), moment, user, A.CHANGE, "contacts.question", q.id, "intake",
                f"residents.resident#{person}",
            )  # fmt: skip

    def _follow_up(self, q, kind, due: int, created: int, *, done_at=None, assignee=None, status=None,
                   result=None, updated=None) -> None:  # fmt: skip
        rng = self.rng
        if kind == FollowUp.Kind.CHECK_IN:
            note = "Nagaan of de hulp is aangekomen."
        else:
            note = rng.choice(contacts_demo.CALL_BACK_NOTES)
        if done_at is not None:
            status = FollowUp.Status.DONE
            result = result or rng.choice(contacts_demo.CALL_BACK_RESULTS)
        table = self.t_follow_up
        table.rows.append(
            (table.take_id(), q.id, kind, datetime.date.fromordinal(due), (assignee or q.assigned).id, note,
             status or FollowUp.Status.PLANNED, result or "", done_at, created, updated or done_at or created)
        )  # fmt: skip

    def _assessment(self, person, ordinal, started, duration, handler, question) -> None:
        """ZRM measurements at home visits, a second one months later for some (as in contacts.demo)."""
        rng = self.rng
        if self.zrm_instrument is None or person in self.measured or rng.random() >= 0.5:
            return
        self.measured.add(person)
        question_id, need = question
        focus = contacts_demo.ZRM_FOCUS.get(need.domains[0], "")
        age = (ordinal - self.birth[person - self.base]) // 365
        scores = contacts_demo._zrm_scores(rng, age, focus, self.zrm)
        first = started + duration * 30
        measurements = [(first, question_id, handler, scores)]
        later = first + 7 * DAY * rng.randint(8, 20)
        if later < self.now and rng.random() < 0.4 and self._ordinal(later) < self.until[person - self.base]:
            improved = dict(scores)
            for code in rng.sample(sorted(improved), k=3) + ([focus] if focus in improved else []):
                improved[code] = min(5, improved[code] + 1)
            moment = self._working_moment(later)
            if moment < self.now:
                measurements.append((moment, None, handler, improved))
        for moment, question_id, assessor, values in measurements:
            assessment_id = self.t_assessment.take_id()
            self.t_assessment.rows.append(
                (assessment_id, self.zrm_instrument, person, question_id, moment, assessor.id)
            )
            for code, score in values.items():
                self.t_score.rows.append((self.t_score.take_id(), assessment_id, self.zrm[code], score))

    # --- the access log -----------------------------------------------------------------------

    def _access(self, ordinal, moment, user: _Staff, action, object_type, object_id, purpose, behalf,
                result=AccessLog.Result.SUCCESS) -> None:  # fmt: skip
        """One access-log row, kept with its day until that day is over (then sorted by time)."""
        if moment >= self.now:
            return
        bucket = self.buckets.get(ordinal)
        if bucket is None:
            bucket = self.buckets[ordinal] = []
        # The object id goes in as a number: both databases store it as text (a varchar column).
        bucket.append(
            (moment, user.id, user.username, user.roles, user.organisation_id, action, object_type, object_id,
             result, user.ip, purpose, behalf)
        )  # fmt: skip
        self.access_rows_made += 1

    def _later_reads(self, desk, ordinal, started, handler, person, question_ids) -> None:
        """Later looks at the file, so that the log holds about the rows per resident asked for."""
        rng = self.rng
        random_ = rng.random
        due = self.access_per_contact * self.contacts_made - self.access_rows_made
        extra = min(60, max(0, round(due)))
        if not extra:
            return
        behalf = f"residents.resident#{person}"
        staff = desk.staff["frontoffice"] + desk.staff["consulent"] + desk.staff["coordinator"]
        access = self._access
        for _ in range(extra):
            # Mostly in the days right after the contact, during office hours.
            day = self._working_day(ordinal + min(LATER_READ_DAYS, int(rng.expovariate(0.25))))
            moment = self._midnight(day) + 32400 + int(random_() * 27000)
            if moment <= started:
                moment = started + 60 + int(random_() * 3600)
            user = handler if random_() < 0.5 or not staff else staff[int(random_() * len(staff))]
            draw = random_()
            if draw < 0.003 and len(self.desks) > 1:  # someone of another desk tries: refused, and logged
                other = self.desks[(desk.index + 1) % len(self.desks)].staff["frontoffice"]
                stranger = other[int(random_() * len(other))] if other else user
                access(day, moment, stranger, A.READ, "residents.resident", person, "timeline", "",
                       AccessLog.Result.REFUSED)  # fmt: skip
            elif draw < 0.55:
                access(day, moment, user, A.READ, "residents.resident", person, "timeline", "")
            elif draw < 0.85:
                question = question_ids[int(random_() * len(question_ids))]
                access(day, moment, user, A.READ, "contacts.question", question, "question", behalf)
            else:
                access(day, moment, user, A.SEARCH, "contacts.question", "", "intake", behalf)

    def _close_day(self, ordinal: int) -> None:
        """The day's access-log rows go to the writer in time order (the database numbers them)."""
        bucket = self.buckets.pop(ordinal, None)
        if bucket:
            bucket.sort(key=_first)
            self.t_access.rows.extend(bucket)

    def _flush(self, day: datetime.date, *, last: bool = False) -> None:
        """Hand the buffered rows to the writer; say how far it got every half minute."""
        self.writer.flush()
        elapsed = time.monotonic() - self.started
        if not (last or elapsed - self.logged_at >= PROGRESS_SECONDS):
            return
        self.logged_at = elapsed
        made = sum(table.written for table in self.writer.tables)
        self.log(
            f"  {day:%Y-%m-%d}: {self.t_resident.written:,} residents, {self.t_contact.written:,} contacts, "
            f"{self.t_question.written:,} questions, {self.t_referral.written:,} referrals, "
            f"{self.t_wmo.written:,} Wmo reports, {self.t_access.written:,} access-log rows "
            f"({made / max(elapsed, 0.001):,.0f} rows/s, {elapsed:.0f} s)"
        )

    # --- time -----------------------------------------------------------------------------------

    def _midnight(self, ordinal: int) -> int:
        """Local midnight of a day, as epoch seconds (cached: daylight saving time is respected)."""
        cache = self._midnights
        value = cache.get(ordinal)
        if value is None:
            day = datetime.date.fromordinal(ordinal)
            value = cache[ordinal] = int(
                datetime.datetime.combine(day, datetime.time(0), tzinfo=self.tz).timestamp()
            )
        return value

    def _ordinal(self, moment: int) -> int:
        return datetime.datetime.fromtimestamp(moment, self.tz).toordinal()

    @staticmethod
    def _working_day(ordinal: int) -> int:
        while (ordinal + 6) % 7 >= 5:
            ordinal += 1
        return ordinal

    def _working_moment(self, moment: int) -> int:
        """During office hours on the same or the next working day, never before ``moment``."""
        ordinal = self._working_day(self._ordinal(moment))
        random_ = self.rng.random
        chosen = self._midnight(ordinal) + 32400 + int(random_() * 451) * 60
        return chosen if chosen >= moment else moment + 300 + int(random_() * 56) * 60


def _first(row: tuple) -> int:
    return row[0]


def _demo_desks() -> list[dict]:
    from schakelpunt.organisations.demo import DESKS

    return DESKS
