"""The access log in the shape of NEN 7513: who did what with whose data, when, from where.

Rows are only ever added. On PostgreSQL a trigger refuses UPDATE and DELETE (migration
0002); the application has no code path that changes a row.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schakelpunt.core.access import VisibleQuerySet


class AccessLogQuerySet(VisibleQuerySet):
    def visible_to(self, user) -> "AccessLogQuerySet":
        if user.is_authenticated and user.has_perm("audit.view_accesslog"):
            return self.all()
        return self.none()


class AccessLog(models.Model):
    class Action(models.TextChoices):
        READ = "read", _("Inzien")
        SEARCH = "search", _("Zoeken")
        CREATE = "create", _("Aanmaken")
        CHANGE = "change", _("Wijzigen")
        DELETE = "delete", _("Verwijderen")
        EXPORT = "export", _("Exporteren")

    class Result(models.TextChoices):
        SUCCESS = "success", _("Toegestaan")
        REFUSED = "refused", _("Geweigerd")

    timestamp = models.DateTimeField(_("tijdstip (UTC)"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        # The index accesslog_user (user, -timestamp) serves every lookup by user; a second
        # index of the user alone would only cost each appended row another index entry.
        db_index=False,
        # No foreign-key constraint in the database (on PostgreSQL, migration 0005): checking it
        # locks the user's row at the commit of every page that reads personal data. The row
        # keeps the user name and roles as they were; PROTECT still holds in the application.
        db_constraint=False,
    )
    username = models.CharField(_("gebruikersnaam"), max_length=150, blank=True)
    roles = models.CharField(_("rollen"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,  # as for ``user``
    )
    action = models.CharField(_("handeling"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("soort gegeven"), max_length=100)
    object_id = models.CharField(_("kenmerk"), max_length=64, blank=True)
    result = models.CharField(_("resultaat"), max_length=16, choices=Result.choices, default=Result.SUCCESS)
    ip_address = models.GenericIPAddressField(_("herkomst (IP-adres)"), null=True, blank=True)
    purpose = models.CharField(
        _("doel"),
        max_length=64,
        blank=True,
        help_text=_("Waarvoor de gegevens zijn gebruikt, als code (bijvoorbeeld 'intake')."),
    )
    on_behalf_of = models.CharField(
        _("namens"),
        max_length=100,
        blank=True,
        help_text=_("Soort en kenmerk van de persoon namens wie is gehandeld, als bekend."),
    )

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("toegangslogregel")
        verbose_name_plural = _("toegangslog")
        default_permissions = ("view",)
        permissions = [("export_accesslog", _("Kan het toegangslog exporteren"))]
        ordering = ["-timestamp", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-timestamp"], name="accesslog_object"),
            models.Index(fields=["user", "-timestamp"], name="accesslog_user"),
        ]

    def __str__(self) -> str:
        when = f"{self.timestamp:%Y-%m-%d %H:%M:%S}"
        return f"{when} {self.username} {self.action} {self.object_type}#{self.object_id}"
