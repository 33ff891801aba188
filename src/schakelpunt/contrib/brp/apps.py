from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrpConfig(AppConfig):
    name = "schakelpunt.contrib.brp"
    label = "brp"
    verbose_name = _("Basisregistratie Personen (BRP)")
