from django.utils.translation import gettext_lazy as _


class ConflictError(Exception):
    """Someone else saved the same object since it was opened: nothing was overwritten."""

    default_message = _(
        "Iemand anders heeft dit intussen gewijzigd. Uw wijzigingen zijn niet opgeslagen: "
        "open het opnieuw om de nieuwe versie te zien en voer uw wijziging dan opnieuw in."
    )

    def __init__(self, message=None):
        super().__init__(str(message or self.default_message))
