"""Deploys in the task tests go through CumulusCI's Deploy task and the Metadata API; the fake org checks each file
against the Metadata API schema, so metadata a real org would refuse fails here too."""

from __future__ import annotations

import pytest
import responses
from cumulusci.core.config import OrgConfig
from cumulusci.core.exceptions import CumulusCIException
from cumulusci.tasks.salesforce.tests.util import create_task

from python_tasks import support
from python_tasks.mappings import QueueMappingStatus
from tests.salesforce.fake_org import FakeOrg

PACKAGE = ('<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n'
           "<types><members>Q</members><name>Queue</name></types><version>63.0</version></Package>\n")


def _queue(folder, body):
    (folder / "queues").mkdir(parents=True)
    (folder / "package.xml").write_text(PACKAGE, encoding="utf-8")
    (folder / "queues" / "Q.queue").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<Queue xmlns="http://soap.sforce.com/2006/04/metadata">\n'
        f"{body}\n</Queue>\n", encoding="utf-8")
    return folder


@pytest.fixture
def task(monkeypatch):
    monkeypatch.setattr("cumulusci.salesforce_api.metadata.time.sleep", lambda seconds: None)
    monkeypatch.setattr("cumulusci.tasks.salesforce.BaseSalesforceTask._update_credentials", lambda self: None)
    org_config = OrgConfig({"instance_url": "https://acme.my.salesforce.com", "org_id": "00D000000000001EAA",
                            "access_token": "t"}, "dev")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        fake = FakeOrg(mock)
        yield fake, create_task(QueueMappingStatus, {}, org_config=org_config)


def test_a_valid_folder_deploys_and_its_files_reach_the_org(tmp_path, task):
    fake, carrier = task
    support.deploy_folder(carrier, _queue(tmp_path / "ok", "<name>Q</name>"))
    assert set(fake.deploys[-1]) == {"package.xml", "queues/Q.queue"}


def test_metadata_the_schema_refuses_fails_the_deploy_naming_the_file(tmp_path, task):
    _, carrier = task
    with pytest.raises(CumulusCIException, match="queues/Q.queue"):
        support.deploy_folder(carrier, _queue(tmp_path / "bad", "<name>Q</name><colour>red</colour>"))
