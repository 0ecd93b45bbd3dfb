from __future__ import annotations

import pytest
import responses

from python_tasks import support
from tests.salesforce.fake_org import FakeOrg


@pytest.fixture
def org(monkeypatch):
    """An org behind simple-salesforce's real HTTP; every task's `self.sf` talks to it. Deploys go through
    CumulusCI's own Deploy task and Metadata API calls, answered by the fake org after it checks each file
    against the Metadata API schema; ``deployed`` lists the folders deployed, in order."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        fake = FakeOrg(mock)
        fake.deployed = []
        monkeypatch.setattr("cumulusci.tasks.salesforce.BaseSalesforceApiTask._init_api", lambda self, base_url=None: fake.sf)
        # An org config given to create_task would otherwise refresh its token against the real login server.
        monkeypatch.setattr("cumulusci.tasks.salesforce.BaseSalesforceTask._update_credentials", lambda self: None)
        monkeypatch.setattr("cumulusci.salesforce_api.metadata.time.sleep", lambda seconds: None)  # status polls
        real_deploy = support.deploy_folder

        def deploy(task, path):
            real_deploy(task, path)
            problems = fake.last_deploy_problems
            assert problems == [], f"the org would refuse the deploy of {path}: {problems}"
            fake.deployed.append(path)

        monkeypatch.setattr("python_tasks.support.deploy_folder", deploy)
        yield fake
