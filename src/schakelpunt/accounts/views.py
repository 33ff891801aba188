from django.contrib.auth import views as auth_views

from schakelpunt.accounts.forms import LoginForm
from schakelpunt.core.access import public_rule


class LoginView(auth_views.LoginView):
    access_rule = public_rule("people must be able to log in")
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    access_rule = public_rule("logging out must always work, also for an expired session")


login = LoginView.as_view()
logout = LogoutView.as_view()
