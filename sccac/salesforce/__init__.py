"""Salesforce side of SCC-AC: org-specific metadata rendering and queue mappings."""
