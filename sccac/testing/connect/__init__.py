"""A stateful Amazon Connect fake behind a real boto3 client (moto's split: models, responses, exceptions)."""

from sccac.testing.connect.models import ConnectBackend, Faults, Quotas
from sccac.testing.connect.responses import ConnectFake

__all__ = ["ConnectBackend", "ConnectFake", "Faults", "Quotas"]
