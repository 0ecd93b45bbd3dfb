"""Local stand-ins for remote services, used by the tests and the offline mode."""
