"""Rate limits on the survey, per IP address and per browser session (Django's cache, fixed windows).

Neither the address nor the session is stored anywhere but in the cache key, for the window's length.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache

SURVEY_PER_IP = (30, 3600)  # 30 answers an hour from one address (a clinic's waiting room shares one)
SURVEY_PER_SESSION = (10, 3600)


def _hit(key: str, limit: int, seconds: int) -> bool:
    window = int(time.time()) // seconds
    full = f"impact:{key}:{window}"
    cache.add(full, 0, timeout=seconds + 5)
    try:
        count = cache.incr(full)
    except ValueError:
        cache.set(full, 1, timeout=seconds + 5)
        count = 1
    return count > limit


def survey_allowed(*, ip: str, session: str) -> bool:
    """Count one survey answer; False once this address or this session is over its limit for the hour."""
    ip_key = "survey-ip:" + hashlib.sha256(ip.encode()).hexdigest()[:32]
    over_ip = _hit(ip_key, *SURVEY_PER_IP)
    over_session = _hit("survey-session:" + session, *SURVEY_PER_SESSION)
    return not (over_ip or over_session)
