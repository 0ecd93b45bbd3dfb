"""The package's error hierarchy: usage errors (bad input, exit 2) and failures (runtime, exit 1).

Modelled on CumulusCI's ``core/exceptions.py``: a usage error is what CumulusCI calls
``TaskOptionsError`` (the caller must change an option, a file or a flag), a failure is
``CumulusCIFailure`` (the input was fine; something went wrong while running). The CLI and
the CumulusCI tasks translate these two in one place each; messages say what is wrong,
where, and what to do, and never carry secrets.
"""

from __future__ import annotations


class SccacError(Exception):
    """Base of every error this package raises on purpose."""

    exit_code = 1


class SccacUsageError(SccacError):
    """Bad input: an option, a file or a value the caller must fix (exit 2, ``TaskOptionsError``)."""

    exit_code = 2


class SccacFailure(SccacError):
    """A run that failed with valid input (exit 1, ``CumulusCIFailure``)."""

    exit_code = 1
