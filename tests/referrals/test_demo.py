import pytest
from django.core.management import call_command

from schakelpunt.contacts import demo as contacts_demo
from schakelpunt.contacts.models import Question
from schakelpunt.referrals.models import Referral, ReferralStatus, UnmetNeed
from schakelpunt.residents import demo as residents_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_demo(monkeypatch):
    monkeypatch.setattr(residents_demo, "RESIDENTS", 400)
    monkeypatch.setattr(contacts_demo, "CONTACTS", 1500)


def test_demo_referrals_cover_every_state_and_load_once():
    call_command("demo_data")
    counts = (Referral.objects.count(), ReferralStatus.objects.count(), UnmetNeed.objects.count())
    assert set(Referral.objects.values_list("status", flat=True)) == set(Referral.Status.values)
    assert Referral.objects.filter(overdue_since__isnull=False).exists()
    assert Referral.objects.filter(organisation__name="Thuiszorg Tukkerland").count() > counts[0] / 4
    assert UnmetNeed.objects.exists()
    # Consistent with the rules: an open referral belongs to an open question, a completed one
    # has an outcome, every referral has consent or a warm hand-over, and its status history
    # ends in its status.
    assert not Referral.objects.open().filter(question__status=Question.Status.CLOSED).exists()
    assert not Referral.objects.filter(status="completed", outcome="").exists()
    assert not Referral.objects.filter(consent__isnull=True, warm_handover=False).exists()
    for referral in Referral.objects.prefetch_related("status_history")[:50]:
        assert list(referral.status_history.all())[-1].to_status == referral.status
    call_command("demo_data")
    assert (Referral.objects.count(), ReferralStatus.objects.count(), UnmetNeed.objects.count()) == counts
