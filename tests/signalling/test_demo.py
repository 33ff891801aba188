import pytest
from django.core.management import call_command

from schakelpunt.contacts import demo as contacts_demo
from schakelpunt.residents import demo as residents_demo
from schakelpunt.signalling.models import Signal, SignalQuestion, SignalStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_demo(monkeypatch):
    monkeypatch.setattr(residents_demo, "RESIDENTS", 400)
    monkeypatch.setattr(contacts_demo, "CONTACTS", 1500)


def test_demo_signals_cover_every_state_and_load_once():
    call_command("demo_data")
    counts = (Signal.objects.count(), SignalStatus.objects.count(), SignalQuestion.objects.count())
    assert set(Signal.objects.values_list("status", flat=True)) == set(Signal.Status.values)
    titles = set(Signal.objects.values_list("title", flat=True))
    assert {
        "Geen personenalarmering voor inwoners zonder netwerk",
        "Wijkspreekuren zijn niet laagdrempelig",
    } <= titles
    alarm = Signal.objects.get(title="Geen personenalarmering voor inwoners zonder netwerk")
    assert alarm.status == Signal.Status.ACTION_PLANNED and alarm.addressed_to is None
    assert alarm.questions.filter(unmet_reason="not_available", domains__code="veiligheid").count() > 0
    # Consistent with the rules: the history ends in the status, a sent signal has its date,
    # a declined one its reason, and nothing is linked twice.
    for signal in Signal.objects.prefetch_related("status_history"):
        assert list(signal.status_history.all())[-1].to_status == signal.status
        assert (signal.sent_at is None) == (
            signal.status in (Signal.Status.PROPOSED, Signal.Status.DISMISSED)
        )
        assert signal.period_start <= signal.period_end
    call_command("demo_data")
    assert (Signal.objects.count(), SignalStatus.objects.count(), SignalQuestion.objects.count()) == counts
