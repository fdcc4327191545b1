from django.core.management.base import BaseCommand, CommandError

from oneroof.fhir.auth import register_client
from oneroof.fhir.scopes import InvalidScope
from oneroof.workforce.models import Organisation


class Command(BaseCommand):
    help = (
        "Register a system that may call the FHIR API with OAuth2 client credentials. "
        "Prints its client id and secret; the secret is shown this once."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The system's name, as residents will read it")
        parser.add_argument(
            "--scope",
            action="append",
            required=True,
            help="A SMART system scope it may have, e.g. system/Patient.read (repeatable)",
        )
        parser.add_argument("--client-id", default="", help="Defaults to a random id")
        parser.add_argument(
            "--organisation",
            default="",
            help="For an organisation's system (an optician's, a practice's): its ODS code. It "
            "then sends referrals only from that organisation's practitioners, and reads only "
            "people its professionals have a relationship with and what it made itself",
        )

    def handle(self, *args, name, scope, client_id, organisation, **options):
        where = None
        if organisation:
            where = Organisation.objects.filter(ods_code=organisation).first()
            if where is None:
                raise CommandError(f"No organisation has the ODS code {organisation!r}")
        try:
            client, secret = register_client(
                name=name, scopes=" ".join(scope), client_id=client_id, organisation=where
            )
        except InvalidScope as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"client_id:     {client.client_id}")
        self.stdout.write(f"client_secret: {secret}")
        self.stdout.write(f"scopes:        {client.scopes}")
