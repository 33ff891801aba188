"""Serve the BRP simulator: ``schakelpunt brp_simulator [--port 5010] [--script FILE]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from schakelpunt.contrib.brp.simulator import SimulatorServer, SimulatorState, load_script


class Command(BaseCommand):
    help = (
        "Serve the BRP API Personen 2.x and the BRP Update API on 127.0.0.1 from the RvIG test set "
        "(for the demo and tests; never in production)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=5010)
        parser.add_argument("--host", default="127.0.0.1", help="Loopback only, unless you know why.")
        parser.add_argument("--api-key", default="", help="Require this X-API-KEY (default: none).")
        parser.add_argument(
            "--script", type=Path, help="JSON file with changes to apply at start (see simulator.py)."
        )

    def handle(self, *args, port, host, api_key, script, **options):
        state = SimulatorState()
        if script:
            try:
                count = state.apply_all(load_script(script.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError) as error:
                raise CommandError(f"Script not applied: {error}") from None
            self.stdout.write(f"{count} change(s) from {script} applied.")
        server = SimulatorServer((host, port), state=state, api_key=api_key, verbose=options["verbosity"] > 1)
        self.stdout.write(
            f"BRP simulator with {len(state.persons)} persons on {server.url}/haalcentraal/api/brp/personen "
            f"and {server.update_url}/ (stop with Ctrl+C)"
        )
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
