from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "schakelpunt.accounts"
    label = "accounts"
    verbose_name = _("Gebruikers en rollen")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from schakelpunt.accounts.middleware import note_login

        user_logged_in.connect(note_login, dispatch_uid="schakelpunt.accounts.note_login")
