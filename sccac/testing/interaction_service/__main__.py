"""``python -m sccac.testing.interaction_service --config service.json [--port 8085]``."""

from sccac.testing.interaction_service.server import main

main()
