from django.core.management.base import BaseCommand, CommandError

from oneroof.fhir import auth
from oneroof.fhir.models import ApiClient
from oneroof.fhir.scopes import InvalidScope


class Command(BaseCommand):
    help = (
        "Change what a registered API system may do, with effect on the tokens it already "
        "holds: narrow its scopes, end its tokens, give it a new secret, or switch it off."
    )

    def add_arguments(self, parser):
        parser.add_argument("client_id", help="The client_id that create_api_client printed")
        parser.add_argument(
            "--scope",
            action="append",
            default=[],
            help="Replace its scopes with these (repeatable). Tokens it holds lose at once any "
            "scope it no longer has",
        )
        parser.add_argument(
            "--revoke-tokens", action="store_true", help="End every token it holds now"
        )
        parser.add_argument(
            "--new-secret",
            action="store_true",
            help="Give it a new secret (printed once) and end every token it holds",
        )
        state = parser.add_mutually_exclusive_group()
        state.add_argument(
            "--deactivate", action="store_true", help="Switch it off and end its tokens"
        )
        state.add_argument("--activate", action="store_true", help="Switch it on again")

    def handle(self, *args, client_id, scope, revoke_tokens, new_secret, **options):
        client = ApiClient.objects.filter(client_id=client_id).first()
        if client is None:
            raise CommandError(f"No API client has the client_id {client_id!r}")
        if not (
            scope or revoke_tokens or new_secret or options["deactivate"] or options["activate"]
        ):
            raise CommandError(
                "Say what to change: --scope, --revoke-tokens, --new-secret, --deactivate or "
                "--activate"
            )
        if scope:
            try:
                auth.change_scopes(client, " ".join(scope))
            except InvalidScope as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"scopes:        {client.scopes}")
        if options["deactivate"] or options["activate"]:
            auth.set_active(client, bool(options["activate"]))
            self.stdout.write(f"active:        {'yes' if client.active else 'no'}")
        if new_secret:
            self.stdout.write(f"client_secret: {auth.new_secret(client)}")
        if revoke_tokens:
            self.stdout.write(f"tokens ended:  {auth.revoke_tokens(client)}")
