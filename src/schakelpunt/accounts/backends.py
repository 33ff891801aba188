from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import CharField, Value


class ModelBackend(DjangoModelBackend):
    """Django's backend, with fewer queries per request.

    The user is loaded with their organisation (every page shows it). The permissions from
    the user's groups, the user's own permissions and the names of the groups (the roles an
    access-log row keeps) are read in one query instead of three; they are kept on the user
    object for the request, as Django keeps permissions.
    """

    def get_user(self, user_id):
        from schakelpunt.accounts.models import User

        try:
            user = User._default_manager.select_related("organisation").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def _get_permissions(self, user_obj, obj, from_name):
        if (
            user_obj.is_active
            and not user_obj.is_anonymous
            and not user_obj.is_superuser
            and obj is None
            and not hasattr(user_obj, f"_{from_name}_perm_cache")
        ):
            load_permissions_and_roles(user_obj)
        return super()._get_permissions(user_obj, obj, from_name)


def load_permissions_and_roles(user) -> None:
    """Fill Django's permission caches and the role names of ``user`` with one query."""
    through_groups = (
        Group.objects.filter(user=user)
        .order_by()
        .values_list("name", "permissions__content_type__app_label", "permissions__codename")
    )
    own = (
        Permission.objects.filter(user=user)
        .order_by()
        .annotate(group_name=Value(None, output_field=CharField()))
        .values_list("group_name", "content_type__app_label", "codename")
    )
    roles, group_perms, user_perms = set(), set(), set()
    for group_name, app_label, codename in through_groups.union(own, all=True):
        if group_name is not None:
            roles.add(group_name)
        if codename is not None:
            (group_perms if group_name is not None else user_perms).add(f"{app_label}.{codename}")
    user._group_perm_cache = group_perms
    user._user_perm_cache = user_perms
    user._role_names = sorted(roles)
