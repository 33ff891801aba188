from django.http import HttpRequest

from schakelpunt.core.navigation import items_for


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    return {"navigation": items_for(user, request.path)}
