"""What the desk keeps of its coupling with the population register.

- :class:`RegisterLink`: per resident, the BSN it follows in the register, whether the follow
  indication is active, and the register's timestamp of the last change applied (order safety:
  an older change never overwrites a newer one).
- :class:`RegisterChange`: every change the register made to a resident, appended, never
  edited: the resident's history "done by the register".
- :class:`SyncRun`: one run of the sync or of a file import, with its counts: the daily summary.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from schakelpunt.core.access import VisibleQuerySet


class RegisterLink(models.Model):
    resident = models.OneToOneField(
        "residents.Resident",
        verbose_name=_("inwoner"),
        on_delete=models.PROTECT,
        related_name="register_link",
    )
    followed_bsn = models.CharField(_("gevolgd BSN"), max_length=9, blank=True)
    following = models.BooleanField(_("volgindicatie actief"), default=False)
    follow_started_on = models.DateField(_("volgindicatie sinds"), null=True, blank=True)
    follow_ended_on = models.DateField(_("volgindicatie beëindigd op"), null=True, blank=True)
    last_change_at = models.DateTimeField(_("laatste wijziging uit het BRP"), null=True, blank=True)
    last_checked_at = models.DateTimeField(_("laatst vergeleken met het BRP"), null=True, blank=True)

    class Meta:
        verbose_name = _("koppeling met het BRP")
        verbose_name_plural = _("koppelingen met het BRP")
        indexes = [models.Index(fields=["followed_bsn"], name="brp_link_bsn")]

    def __str__(self) -> str:
        return f"{self.resident_id}"


class RegisterChange(models.Model):
    """One automatic change to a resident, done by the register. No BSN in ``details``."""

    class Kind(models.TextChoices):
        MOVED = "moved", _("Verhuisd binnen de regio")
        MOVED_AWAY = "moved_away", _("Verhuisd uit de regio")
        EMIGRATED = "emigrated", _("Geëmigreerd")
        DECEASED = "deceased", _("Overleden")
        SECRECY_SET = "secrecy_set", _("Geheimhouding ingesteld")
        SECRECY_LIFTED = "secrecy_lifted", _("Geheimhouding opgeheven")
        NAME = "name", _("Naam gewijzigd")
        BSN = "bsn", _("BSN gewijzigd")
        BIRTH_DATE = "birth_date", _("Geboortedatum gewijzigd")
        RETURNED = "returned", _("Teruggekeerd in de regio")

    resident = models.ForeignKey(
        "residents.Resident",
        verbose_name=_("inwoner"),
        on_delete=models.PROTECT,
        related_name="register_changes",
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    effective_on = models.DateField(_("ingangsdatum"), null=True, blank=True)
    register_changed_at = models.DateTimeField(_("tijdstip in het BRP"))
    applied_at = models.DateTimeField(_("verwerkt op"), auto_now_add=True)
    source = models.CharField(_("bron"), max_length=20)
    details = models.JSONField(_("details"), default=dict)
    run = models.ForeignKey(
        "brp.SyncRun",
        verbose_name=_("verwerking"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="changes",
    )

    class Meta:
        verbose_name = _("wijziging uit het BRP")
        verbose_name_plural = _("wijzigingen uit het BRP")
        ordering = ["-applied_at", "-id"]
        indexes = [models.Index(fields=["resident", "-applied_at"], name="brp_change_resident")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.resident_id})"


class SyncRunQuerySet(VisibleQuerySet):
    def visible_to(self, user) -> "SyncRunQuerySet":
        if user.is_authenticated and user.has_perm("brp.view_syncrun"):
            return self.all()
        return self.none()


class SyncRun(models.Model):
    class Kind(models.TextChoices):
        SYNC = "sync", _("Wijzigingen opgehaald")
        IMPORT = "import", _("Bestand ingelezen")

    class Status(models.TextChoices):
        RUNNING = "running", _("Bezig")
        DONE = "done", _("Klaar")
        PARTIAL = "partial", _("Klaar, met fouten")
        FAILED = "failed", _("Mislukt")

    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("begonnen"))
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    since = models.DateField(_("wijzigingen vanaf"), null=True, blank=True)
    counts = models.JSONField(_("aantallen"), default=dict)
    errors = models.JSONField(_("fouten"), default=list, help_text=_("Zonder BSN: regelnummers en redenen."))
    source_name = models.CharField(_("bestand"), max_length=200, blank=True)

    objects = SyncRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("verwerking van BRP-wijzigingen")
        verbose_name_plural = _("verwerkingen van BRP-wijzigingen")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M}"
