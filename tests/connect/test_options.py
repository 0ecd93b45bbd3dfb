"""wiring_options_from: `sccac connect`'s flags and the wire_connect task's options read into WiringOptions by one
function, by the same names; text from `cci task run -o` reads as the CLI's typed values do."""

from __future__ import annotations

from pathlib import Path

import pytest

from sccac.connect.errors import ConnectUsageError
from sccac.connect.options import wiring_options_from
from sccac.connect.run import WiringOptions
from sccac.errors import SccacUsageError


def test_text_values_read_as_the_typed_ones():
    from_task = wiring_options_from({"instance_id": "acme", "mapping": "m.yml", "retry_count": "4", "rate": "0.5",
                                     "transcription": "False", "quick_connects": "no", "create_queues": "True",
                                     "sam_stack": "ignored: not a wiring option", "out": "w.json"})
    from_cli = wiring_options_from({"instance_id": "acme", "mapping": Path("m.yml"), "retry_count": 4, "rate": 0.5,
                                    "transcription": False, "quick_connects": False, "create_queues": True})
    assert from_task == from_cli == WiringOptions(instance_id="acme", mapping_path=Path("m.yml"), retry_count=4, rate=0.5,
                                                  transcription=False, quick_connects=False, create_queues=True)


def test_blank_is_the_default():
    assert wiring_options_from({"instance_id": "acme", "name_prefix": "", "burst": None}) == WiringOptions(instance_id="acme")


def test_every_unreadable_value_at_once():
    with pytest.raises(ConnectUsageError) as info:
        wiring_options_from({"retry_count": "three", "rate": "fast", "offline": "maybe"})
    assert isinstance(info.value, SccacUsageError)
    assert str(info.value) == ("instance_id: missing: give the Connect instance id, ARN or alias; "
                               "retry_count: 'three' is not a whole number; rate: 'fast' is not a number; "
                               "offline: 'maybe' is not true or false")
