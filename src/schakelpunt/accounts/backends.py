from django.contrib.auth.backends import ModelBackend as DjangoModelBackend


class ModelBackend(DjangoModelBackend):
    """Django's backend, loading the user's organisation with the user (every page shows it)."""

    def get_user(self, user_id):
        from schakelpunt.accounts.models import User

        try:
            user = User._default_manager.select_related("organisation").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
