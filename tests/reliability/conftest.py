"""Reliability tests (issue 9 item 4): Schemathesis against the OpenAPI schema, and Hypothesis fuzzing of every CSV
importer. Each test adds to the counts below; pytest prints them at the end of the run ("requests tried", "inputs
fuzzed", failures), so a run's figures can be reported.

The budgets are bounded so the whole directory runs in about a minute: RELIABILITY_EXAMPLES (examples per API
operation, default 12) and RELIABILITY_FUZZ (inputs per importer, default 40) raise them for a longer run.
"""

from __future__ import annotations

import os
from collections import Counter

COUNTS: Counter[str] = Counter()
API_EXAMPLES = int(os.environ.get("RELIABILITY_EXAMPLES", "12"))
FUZZ_EXAMPLES = int(os.environ.get("RELIABILITY_FUZZ", "40"))


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # noqa: ANN001, ARG001 - pytest's hook
    if not COUNTS:
        return
    terminalreporter.section("reliability counts")
    for key in sorted(COUNTS):
        terminalreporter.write_line(f"{key}: {COUNTS[key]}")
