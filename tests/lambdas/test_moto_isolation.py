"""Each test starts from one known Secrets Manager: the connected-app secret, pointing at the test's own service, and
nothing else; what one test writes, the next does not see."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sccac.testing.interaction_service import LocalInteractionService
from tests.lambdas.conftest import SECRET_NAME


@pytest.mark.parametrize("mine", ["probe-a", "probe-b"])
def test_a_secret_written_in_one_test_is_not_seen_by_the_next(secrets_client: Any, service: LocalInteractionService,
                                                              mine: str) -> None:
    # Whichever of the two runs second would find the other's secret if the state were shared.
    assert [s["Name"] for s in secrets_client.list_secrets()["SecretList"]] == [SECRET_NAME]
    secret = json.loads(secrets_client.get_secret_value(SecretId=SECRET_NAME)["SecretString"])
    assert secret["loginUrl"] == service.base_url
    secrets_client.create_secret(Name=mine, SecretString="{}")
    secrets_client.put_secret_value(SecretId=SECRET_NAME, SecretString="{}")

