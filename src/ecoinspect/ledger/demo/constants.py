"""What marks the demo data, the seed of its random draws, how far back it goes, and the demo log-ins."""

from __future__ import annotations

from zoneinfo import ZoneInfo

DEMO_MARK = "【演示】"
LOADED_ACTION = "ledger.demo.loaded"
SEED = 20260914
HISTORY_DAYS = 240
TZ = ZoneInfo("Asia/Shanghai")

#: the demo log-ins of ``ecoinspect.core.demo`` the ledger's stories use
DEMO_USERNAMES = frozenset({"coordinator", "water", "sanyuanli", "taihe", "reviewer", "publisher"})
