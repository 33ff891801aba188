"""The referral lifecycle as a table: the FHIR Task states used for social-care referrals.

One service (:func:`schakelpunt.referrals.services.referral_transition`) performs every
transition: it locks the row, checks this table and who may make the move, appends a status
row and queues the notifications.
"""

from django.utils.translation import gettext_lazy as _

from schakelpunt.referrals.models import Referral

S = Referral.Status

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    S.REQUESTED: {S.ACCEPTED, S.REJECTED, S.ON_HOLD, S.CANCELLED},
    # An accepted referral may be completed at once: a short intervention needs no
    # separate "in progress" step.
    S.ACCEPTED: {S.IN_PROGRESS, S.COMPLETED, S.FAILED, S.ON_HOLD, S.CANCELLED},
    S.IN_PROGRESS: {S.COMPLETED, S.FAILED, S.ON_HOLD, S.CANCELLED},
    # On hold returns to the state it came from (checked in the service), or ends.
    S.ON_HOLD: {S.REQUESTED, S.ACCEPTED, S.IN_PROGRESS, S.CANCELLED},
    S.REJECTED: set(),
    S.COMPLETED: set(),
    S.FAILED: set(),
    S.CANCELLED: set(),
}

OPEN_STATES = frozenset({S.REQUESTED, S.ACCEPTED, S.IN_PROGRESS, S.ON_HOLD})
CLOSED_STATES = frozenset({S.REJECTED, S.COMPLETED, S.FAILED, S.CANCELLED})

# Who makes which move: the receiving partner works the referral; the referring desk can
# only withdraw it. Either side can put it on hold (the resident is in hospital, say).
PARTNER_MOVES = frozenset({S.ACCEPTED, S.REJECTED, S.IN_PROGRESS, S.COMPLETED, S.FAILED, S.ON_HOLD})
DESK_MOVES = frozenset({S.CANCELLED, S.ON_HOLD})
SYSTEM_MOVES = frozenset({S.CANCELLED})
MOVES_BY_SIDE = {"partner": PARTNER_MOVES, "desk": DESK_MOVES, "system": SYSTEM_MOVES}
RESUME = "resume"  # leaving on hold: back to the state before, by either side

# Moves that need a reason code, and moves that need an outcome.
NEEDS_REASON = frozenset({S.REJECTED, S.FAILED, S.CANCELLED})
NEEDS_OUTCOME = frozenset({S.COMPLETED})

# Rejections that mean the resident's need is not met by the supply.
UNMET_REASONS = frozenset({Referral.Reason.NO_CAPACITY, Referral.Reason.NOT_ELIGIBLE})

TRANSITION_LABELS = {
    S.ACCEPTED: _("Accepteren"),
    S.REJECTED: _("Afwijzen"),
    S.IN_PROGRESS: _("In behandeling nemen"),
    S.COMPLETED: _("Afronden met resultaat"),
    S.FAILED: _("Afsluiten: niet gelukt"),
    S.ON_HOLD: _("Pauzeren"),
    S.CANCELLED: _("Intrekken"),
    RESUME: _("Hervatten"),
}


def allowed(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED_TRANSITIONS.get(from_status, set())
