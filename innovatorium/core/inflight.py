"""Work that several threads of one process ask for at once, done by the first of them. Framework-free.

A popular page or search, just after a write emptied the caches, is asked for by several threads together. The
first to ask does the work; the others wait for it and then read its result from wherever it was kept (the
page cache, the kept search results). Per process only: other processes do the same work once each.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable


class InFlight:
    def __init__(self) -> None:
        self._running: dict[Hashable, threading.Event] = {}
        self._lock = threading.Lock()

    def join(self, key: Hashable) -> threading.Event | None:
        """None when this thread is the first to ask (it does the work, then calls `leave`); else the event that
        is set when the first is done."""
        with self._lock:
            running = self._running.get(key)
            if running is None:
                self._running[key] = threading.Event()
            return running

    def leave(self, key: Hashable) -> None:
        """The first thread is done (with or without a result): let the others go."""
        with self._lock:
            running = self._running.pop(key, None)
        if running is not None:
            running.set()

    def __len__(self) -> int:
        return len(self._running)
