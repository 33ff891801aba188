"""The register as an actor: who "did" an automatic change, in the history and the access log."""

from django.contrib.auth import get_user_model

REGISTER_USERNAME = "brp-register"


def register_actor():
    """The system user for changes made by the population register; it cannot log in."""
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=REGISTER_USERNAME,
        defaults={"first_name": "BRP", "last_name": "(automatisch)", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
