from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A staff member, volunteer or partner employee. Residents have no account."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
        help_text=_("De organisatie waarvoor deze gebruiker werkt."),
    )
    desks = models.ManyToManyField(
        "organisations.Desk",
        verbose_name=_("loketten"),
        related_name="staff",
        blank=True,
        help_text=_("De loketten waar deze gebruiker werkt."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    @property
    def role_names(self) -> list[str]:
        """The names of the user's groups; read with the permissions when those were loaded."""
        cached = getattr(self, "_role_names", None)
        if cached is not None:
            return list(cached)
        return sorted(group.name for group in self.groups.all())
