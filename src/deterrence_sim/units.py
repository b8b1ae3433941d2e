"""Units and calendar constants: the one place that says how long a year and a month are.

The model's clock is the day. Money is in bn USD; yearly amounts (budgets, aid, costs) are spread
evenly over the days of a 365-day year; utilities share one arbitrary unit.
"""

from __future__ import annotations

DAYS_PER_YEAR = 365
"""Days in a model year: yearly money flows are paid in 365 equal daily parts."""

DAYS_PER_MONTH = DAYS_PER_YEAR / 12
"""Days in an average model month (for reporting durations in months)."""
