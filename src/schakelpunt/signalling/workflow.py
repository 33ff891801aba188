"""The signal lifecycle as a table.

A signal starts as a proposal at the desk (raised by an employee, or proposed automatically
when unmet needs pile up). The desk's coordinator sends it to the addressee (the municipality
or a partner organisation) or decides not to; the addressee answers it until it ends in new
supply or is declined with a reason.

One service (:func:`schakelpunt.signalling.services.signal_transition`) performs every
transition: it locks the row, checks this table and who may make the move, appends a status
row and queues the e-mail after the commit.
"""

from django.utils.translation import gettext_lazy as _

from schakelpunt.signalling.models import Signal

S = Signal.Status

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    # The desk decides: send it to the addressee, or not (a proposal that is not a signal
    # after all: a coincidence, or already known and being handled).
    S.PROPOSED: {S.SENT, S.DISMISSED},
    # The addressee may skip "acknowledged" when the answer already holds a plan, and may
    # decline at once (it is not theirs to solve, or they do not see the gap).
    S.SENT: {S.ACKNOWLEDGED, S.ACTION_PLANNED, S.DECLINED},
    # Acknowledged to new supply without a planned step: a partner that simply adds capacity.
    S.ACKNOWLEDGED: {S.ACTION_PLANNED, S.NEW_SUPPLY, S.DECLINED},
    # A plan can still fall through: then the addressee declines with the reason why.
    S.ACTION_PLANNED: {S.NEW_SUPPLY, S.DECLINED},
    # Ends. A dismissed proposal is not proposed again for the same evidence (its unmet
    # needs stay linked to it); a new pile of unmet needs makes a new proposal.
    S.NEW_SUPPLY: set(),
    S.DECLINED: set(),
    S.DISMISSED: set(),
}

# Who makes which move: the desk (its coordinator) sends or dismisses its own proposals;
# the addressee answers what was sent to them.
DESK_MOVES = frozenset({S.SENT, S.DISMISSED})
ADDRESSEE_MOVES = frozenset({S.ACKNOWLEDGED, S.ACTION_PLANNED, S.NEW_SUPPLY, S.DECLINED})
MOVES_BY_SIDE = {"desk": DESK_MOVES, "addressee": ADDRESSEE_MOVES}

# Moves that need a note, and what the note is for (also the form's label).
NEEDS_NOTE = {
    S.DISMISSED: _("Waarom wordt dit voorstel niet doorgezet?"),
    S.ACTION_PLANNED: _("Welke actie is gepland, door wie en wanneer?"),
    S.NEW_SUPPLY: _("Welk aanbod is er gekomen?"),
    S.DECLINED: _("Reden van afwijzen"),
}
# Moves whose note is the addressee's answer, shown on the signal.
ANSWERS = frozenset({S.ACKNOWLEDGED, S.ACTION_PLANNED, S.NEW_SUPPLY, S.DECLINED})

TRANSITION_LABELS = {
    S.SENT: _("Versturen"),
    S.DISMISSED: _("Niet doorzetten"),
    S.ACKNOWLEDGED: _("Erkennen"),
    S.ACTION_PLANNED: _("Actie gepland"),
    S.NEW_SUPPLY: _("Nieuw aanbod gerealiseerd"),
    S.DECLINED: _("Afwijzen met reden"),
}
MOVE_ORDER = [S.SENT, S.ACKNOWLEDGED, S.ACTION_PLANNED, S.NEW_SUPPLY, S.DECLINED, S.DISMISSED]


def allowed(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED_TRANSITIONS.get(from_status, set())
