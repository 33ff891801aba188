"""Permissions and roles come with one query per request, and mean what Django's backend says."""

import pytest
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schakelpunt.accounts.models import User

pytestmark = pytest.mark.django_db


def fresh(user) -> User:
    return User.objects.get(pk=user.pk)


def test_permissions_and_roles_are_read_in_one_query(user_for):
    user = fresh(user_for("Frontoffice"))
    with CaptureQueriesContext(connection) as queries:
        assert user.has_perm("contacts.view_question")
        assert not user.has_perm("audit.view_accesslog")
        assert user.role_names == ["Frontoffice"]
    assert len(queries) == 1


def test_they_are_the_same_as_djangos_own_including_direct_permissions(user_for):
    user = user_for("Frontoffice")
    user.groups.add(*user_for("Partner").groups.all())
    audit_log = Permission.objects.get(content_type__app_label="audit", codename="view_accesslog")
    user.user_permissions.add(audit_log)
    ours, django = fresh(user), fresh(user)
    assert ours.get_all_permissions() == DjangoModelBackend().get_all_permissions(django)
    assert ours.get_user_permissions() == {"audit.view_accesslog"}
    assert ours.get_group_permissions() == DjangoModelBackend().get_group_permissions(django)
    assert ours.role_names == sorted(group.name for group in django.groups.all())
    assert ours.role_names == ["Frontoffice", "Partner"]


def test_a_user_without_roles_has_no_permissions_and_no_roles(user_for):
    user = fresh(user_for("Frontoffice"))
    user.groups.clear()
    user = fresh(user)
    assert user.get_all_permissions() == set()
    assert user.role_names == []


def test_an_inactive_user_has_no_permissions_but_keeps_their_roles(user_for):
    user = user_for("Frontoffice")
    User.objects.filter(pk=user.pk).update(is_active=False)
    user = fresh(user)
    assert not user.has_perm("contacts.view_question")
    assert user.role_names == ["Frontoffice"]


def test_a_role_without_permissions_is_still_a_role(user_for):
    user = user_for("Frontoffice")
    empty = Group.objects.create(name="Zonder rechten")
    user.groups.add(empty)
    user = fresh(user)
    assert user.get_group_permissions() == DjangoModelBackend().get_group_permissions(fresh(user))
    assert user.role_names == ["Frontoffice", "Zonder rechten"]  # read with the permissions
