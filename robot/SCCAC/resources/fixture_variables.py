"""Robot variables from the offline fixtures, so the org suites name the same agents and queues as the offline run.

``Variables    ../../resources/fixture_variables.py`` gives:

- ``@{AGENTS}``: the staffing fixture's agent names (each an org user with that Alias: create_robot_agents);
- ``@{MAPPED_OMNI_QUEUES}``: the Omni-Queues the mapping fixture maps, in file order;
- ``&{CONNECT_QUEUE_OF}``: Omni-Queue developer name -> Connect queue name.

Other fixtures: ``Variables    fixture_variables.py    staffing=<file>    mapping=<file>``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_STAFFING = HERE / "offline" / "staffing.yml"
DEFAULT_MAPPING = HERE / "offline" / "queue_mappings.yml"


def get_variables(staffing: str = "", mapping: str = "") -> dict[str, Any]:
    from sccac.mappings.reader import read_mapping_file
    from sccac.offline.staffing import read_staffing

    agents = read_staffing(Path(staffing or DEFAULT_STAFFING)).agents
    entries = read_mapping_file(Path(mapping or DEFAULT_MAPPING)).entries
    return {
        "LIST__AGENTS": [agent.name for agent in agents],
        "LIST__MAPPED_OMNI_QUEUES": [entry.omni_queue for entry in entries],
        "DICT__CONNECT_QUEUE_OF": {entry.omni_queue: entry.connect_queue for entry in entries},
    }


