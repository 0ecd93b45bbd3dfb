"""Offline verification of the Salesforce source: Metadata API schema, Apex, deployable shape."""
