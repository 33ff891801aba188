from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from schakelpunt.accounts.forms import LoginForm
from schakelpunt.core.access import public, public_rule


class LoginView(auth_views.LoginView):
    access_rule = public_rule("people must be able to log in")
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    access_rule = public_rule("logging out must always work, also for an expired session")


login = LoginView.as_view()
logout = LogoutView.as_view()


@public("hands over to the one login page")
def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin site's login: anonymous users go to the one login page; a logged-in user
    who is not staff is refused here (sending them to the login page would bounce them
    straight back to the admin site, for ever)."""
    if request.user.is_authenticated:
        if request.user.is_staff:
            return redirect("admin:index")
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next", "/beheer/"))
