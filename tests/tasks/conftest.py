from __future__ import annotations

import pytest
import responses

from tests.salesforce.fake_org import FakeOrg


@pytest.fixture
def org(monkeypatch):
    """An org behind simple-salesforce's real HTTP; every task's `self.sf` talks to it; deploys are recorded."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        fake = FakeOrg(mock)
        fake.deployed = []
        monkeypatch.setattr("cumulusci.tasks.salesforce.BaseSalesforceApiTask._init_api", lambda self, base_url=None: fake.sf)
        # An org config given to create_task would otherwise refresh its token against the real login server.
        monkeypatch.setattr("cumulusci.tasks.salesforce.BaseSalesforceTask._update_credentials", lambda self: None)
        monkeypatch.setattr("python_tasks.support.deploy_folder", lambda task, path: fake.deployed.append(path))
        yield fake
