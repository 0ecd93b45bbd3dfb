"""sccac: Salesforce Contact Center with Amazon Connect, deployable as code."""

__version__ = "0.1.0"
