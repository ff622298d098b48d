"""Runs schemathesis against the real service: a fresh database, the debug binary, a
backoffice token, a little data for the stateful phase to find, then `st run` with a fixed
seed and every check; then a client generated from the document runs the README's flow
(client_flow.py). Exits with schemathesis' status, or fails on the client. Arguments go to
`st run`."""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "browser"))

from orderpath import PASSWORD, TARGET, Service  # noqa: E402

import client_flow  # noqa: E402

SEED = os.environ.get("ORDERPATH_CONTRACT_SEED", "1")
MAX_EXAMPLES = os.environ.get("ORDERPATH_CONTRACT_MAX_EXAMPLES", "10")


def seed(api):
    """A customer with an open cart, a plain product, and a cable sold on two drums."""
    customer = api.customer()
    api.product()
    api.cable_with_drums()
    api.cart(customer)


def main():
    logs = TARGET / "contract-logs"
    logs.mkdir(parents=True, exist_ok=True)
    service = Service(logs)
    try:
        service.start()
        seed(service.api)
        command = [
            str(Path(sys.executable).parent / "st"),
            "--config-file", str(HERE.parents[1] / "schemathesis.toml"),
            "run", service.url + "/api-docs/openapi.json",
            "--url", service.url,
            "--header", f"Authorization: Bearer {service.api.token}",
            "--checks", "all",
            "--phases", "examples,coverage,fuzzing,stateful",
            "--max-examples", MAX_EXAMPLES,
            "--seed", SEED,
            # No example database: a run depends on its seed only, not on earlier runs.
            "--generation-database", "none",
            "--no-color",
            *sys.argv[1:],
        ]
        status = subprocess.run(command, cwd=logs, env=dict(os.environ, NO_COLOR="1")).returncode
        client_flow.check(service, TARGET / "contract-client", PASSWORD)
        return status
    finally:
        service.stop()


if __name__ == "__main__":
    sys.exit(main())
