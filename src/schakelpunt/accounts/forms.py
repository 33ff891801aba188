from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Deze combinatie van gebruikersnaam en wachtwoord kennen we niet. "
            "Let op: na enkele mislukte pogingen wordt inloggen tijdelijk geblokkeerd."
        ),
        "inactive": _("Dit account is niet actief. Neem contact op met de functioneel beheerder."),
    }

    username = forms.CharField(
        label=_("Gebruikersnaam"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
