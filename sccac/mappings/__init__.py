"""The admin's Omni-Queue to Amazon Connect queue mapping file: read, validate, report status, export."""
