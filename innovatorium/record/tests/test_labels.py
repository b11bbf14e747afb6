from __future__ import annotations

import re
from pathlib import Path

from innovatorium.record.labels import ACTION_LABELS, action_label

ROOT = Path(__file__).resolve().parents[2]


def test_every_action_code_the_services_write_has_a_plain_label():
    written = set()
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts:
            continue
        written.update(re.findall(r'action="([a-z_]+\.[a-z_]+\.[a-z_]+)"', path.read_text()))
        written.update(re.findall(r'"([a-z_]+\.[a-z_]+\.[a-z_]+)" if ', path.read_text()))
    assert written, "the scan found no action codes at all"
    assert sorted(written - ACTION_LABELS.keys()) == []


def test_an_unknown_code_is_shown_as_it_is():
    assert action_label("made.up.code") == "made.up.code"
    assert action_label("people.membership.joined") == "Member joined"
