from functools import cache

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection


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
    roles, group_perms, user_perms = set(), set(), set()
    with connection.cursor() as cursor:
        cursor.execute(_permissions_sql(), [user.pk, user.pk])
        for group_name, app_label, codename in cursor.fetchall():
            if group_name is not None:
                roles.add(group_name)
            if codename is not None:
                (group_perms if group_name is not None else user_perms).add(f"{app_label}.{codename}")
    user._group_perm_cache = group_perms
    user._user_perm_cache = user_perms
    user._role_names = sorted(roles)


@cache
def _permissions_sql() -> str:
    """The query of ``load_permissions_and_roles``: (group name, app label, codename) rows.

    A row per permission of each of the user's groups (a group without permissions gives one
    row without a permission, so that its name is still a role), then a row per permission of
    the user's own with no group name. SQL text from the models' names, the user as a
    parameter: every request reads it, and building it with the ORM cost a millisecond of
    processor time per request, ten times the query. ``tests/accounts/test_permissions_query.py``
    holds it to Django's own backend.
    """
    from schakelpunt.accounts.models import User

    quote = connection.ops.quote_name

    def name(model, field: str | None = None) -> str:
        """The quoted table of ``model``, or the quoted column of its ``field``."""
        return quote(model._meta.get_field(field).column if field else model._meta.db_table)

    user_groups, own, group_permissions = (
        User.groups.through,
        User.user_permissions.through,
        Group.permissions.through,
    )
    group_id, permission_id = name(Group, "id"), name(Permission, "id")
    codename, app_label = name(Permission, "codename"), name(ContentType, "app_label")
    content_type = (
        f"{name(ContentType)} ct ON ct.{name(ContentType, 'id')} = p.{name(Permission, 'content_type')}"
    )
    return (
        f"SELECT g.{name(Group, 'name')}, ct.{app_label}, p.{codename} FROM {name(user_groups)} ug "  # noqa: S608
        f"JOIN {name(Group)} g ON g.{group_id} = ug.{name(user_groups, 'group')} "
        f"LEFT JOIN {name(group_permissions)} gp ON gp.{name(group_permissions, 'group')} = g.{group_id} "
        f"LEFT JOIN {name(Permission)} p ON p.{permission_id} = gp.{name(group_permissions, 'permission')} "
        f"LEFT JOIN {content_type} "
        f"WHERE ug.{name(user_groups, 'user')} = %s "
        "UNION ALL "
        f"SELECT NULL, ct.{app_label}, p.{codename} FROM {name(own)} up "
        f"JOIN {name(Permission)} p ON p.{permission_id} = up.{name(own, 'permission')} "
        f"JOIN {content_type} "
        f"WHERE up.{name(own, 'user')} = %s"
    )
