from django.core.management.base import BaseCommand, CommandError

from schakelpunt.organisations.models import Organisation
from schakelpunt.referrals.models import ApiToken
from schakelpunt.referrals.services import api_token_issue, api_token_revoke


class Command(BaseCommand):
    help = (
        "Issue an API key for a partner organisation's own system (shown once), list keys, or "
        "revoke one. The key acts as the organisation's API account, with the partner role."
    )

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="Name or id of the participating organisation.")
        parser.add_argument("--name", default="Koppeling", help="What the key is for (shown in lists).")
        parser.add_argument("--list", action="store_true", help="List the organisation's keys.")
        parser.add_argument("--revoke", metavar="PREFIX", help="Revoke the key that starts with PREFIX.")

    def _organisation(self, value: str) -> Organisation:
        query = (
            Organisation.objects.filter(pk=int(value))
            if value.isdigit()
            else Organisation.objects.filter(name=value)
        )
        organisation = query.first()
        if organisation is None:
            raise CommandError(f"Organisatie niet gevonden: {value!r}")
        return organisation

    def handle(self, *args, organisation, name, list=False, revoke=None, **options):
        organisation = self._organisation(organisation)
        tokens = ApiToken.objects.filter(account__organisation=organisation)
        if list:
            for token in tokens.order_by("created_at"):
                state = f"ingetrokken {token.revoked_at:%d-%m-%Y}" if token.revoked_at else "actief"
                used = f"{token.last_used_on:%d-%m-%Y}" if token.last_used_on else "nooit"
                self.stdout.write(f"{token.key_prefix}…  {token.name}  ({state}; laatst gebruikt: {used})")
            return
        if revoke:
            if not api_token_revoke(organisation=organisation, prefix=revoke):
                raise CommandError(f"Geen actieve sleutel die begint met {revoke!r}.")
            self.stdout.write(self.style.SUCCESS("Sleutel ingetrokken."))
            return
        _token, key = api_token_issue(organisation=organisation, name=name)
        self.stdout.write(f"API-sleutel voor {organisation.name} (wordt maar één keer getoond):")
        self.stdout.write(key)
