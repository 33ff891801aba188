"""The phases of a Wmo report as a table.

One service (:func:`schakelpunt.wmo.services.wmo_report_transition`) performs every move: it
locks the row, checks this table and what the move needs, stamps the dates and deadlines,
appends a status row and queues the notifications. Suspending and resuming a deadline is not a
phase change (see ``wmo_report_suspend`` / ``wmo_report_resume``).
"""

from django.utils.translation import gettext_lazy as _

from schakelpunt.wmo.models import WmoReport

S = WmoReport.Status

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    # A consultant picks the report up and the investigation starts. Long-term care may be
    # obvious at once (the CIZ decides on the Wlz, not the municipality).
    S.REPORTED: {S.INVESTIGATION, S.APPLICATION, S.CIZ, S.WITHDRAWN},
    # The investigation ends in an application, in no application (the resident is helped
    # otherwise: closed), or shows that long-term care is needed (CIZ).
    S.INVESTIGATION: {S.APPLICATION, S.CIZ, S.CLOSED, S.WITHDRAWN},
    # Wmo 2015 art. 2.3.5 lid 2: the resident may apply when the investigation was not completed
    # within six weeks; the edge REPORTED → APPLICATION above exists for that case only and the
    # service refuses it before the investigation deadline has passed.
    S.APPLICATION: {S.DECIDED, S.CIZ, S.WITHDRAWN},
    # After the decision the report is closed (objection and appeal run outside this system).
    S.DECIDED: {S.CLOSED},
    # The CIZ's outcome is recorded on the report; then it is closed.
    S.CIZ: {S.CLOSED},
    S.CLOSED: set(),
    S.WITHDRAWN: set(),
}

# The one move outside this table: when the population register reports that the resident died
# or moved away, ``wmo_reports_close_for_resident`` closes an open report from any phase, as the
# system (no user), with the reason "deceased" or "moved away". The municipality's duty ends
# there; nobody should be asked to finish an investigation for a resident who is not there.

OPEN_STATES = frozenset(WmoReport.OPEN_STATUSES)
CLOSED_STATES = frozenset({S.CLOSED, S.WITHDRAWN})

# What each move needs (checked in the service, with a message per missing item):
# - INVESTIGATION: an assigned consultant.
# - APPLICATION: the date the application was received; from INVESTIGATION also the
#   conversation's date and report (Wmo 2015 art. 2.3.2 lid 8: the resident gets the written
#   report of the investigation).
# - DECIDED: a decision per support type asked for, the date, and what was decided.
# - CIZ: the date of the referral to the CIZ.
# - CLOSED from CIZ: the CIZ's outcome; from INVESTIGATION: the conversation's report and the
#   reason "no application".
# - WITHDRAWN: a note (who withdrew and why).
REQUIREMENTS = {
    S.INVESTIGATION: ("consultant",),
    S.APPLICATION: ("application_received_on",),
    S.DECIDED: ("decision", "decided_on", "decision_note"),
    S.CIZ: ("ciz_referred_on",),
    S.CLOSED: (),
    S.WITHDRAWN: ("note",),
}

TRANSITION_LABELS = {
    S.INVESTIGATION: _("Oppakken: onderzoek starten"),
    S.APPLICATION: _("Aanvraag ontvangen"),
    S.DECIDED: _("Besluit vastleggen"),
    S.CIZ: _("Doorverwijzen naar het CIZ (Wlz)"),
    S.CLOSED: _("Afsluiten"),
    S.WITHDRAWN: _("Melding intrekken"),
}


def allowed(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED_TRANSITIONS.get(from_status, set())
