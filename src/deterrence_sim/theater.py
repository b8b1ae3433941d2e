"""The environment: sectors of the contact line, weather and electronic-warfare pressure."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import special

from deterrence_sim.config import MonitoringConfig, TheaterConfig
from deterrence_sim.core.arrays import column
from deterrence_sim.core.rng import Dice
from deterrence_sim.units import DAYS_PER_YEAR


def sector_profile(theater: TheaterConfig) -> tuple[np.ndarray, np.ndarray]:
    """Strategic value and visibility of each sector, sector 0 the most valuable.

    Values are evenly spaced from high to low; visibility runs the other way (valuable sectors are
    towns and forests, harder to watch than open steppe). Both are assumptions, see the parameters
    doc. Shape ``(sectors,)``, or ``(replications, sectors)`` where an end varies per replication.

    Examples
    --------
    >>> from deterrence_sim.config import TheaterConfig
    >>> value, visibility = sector_profile(TheaterConfig(n_sectors=3))
    >>> value.tolist(), visibility.tolist()
    ([1.5, 1.0, 0.5], [0.6, 0.8, 1.0])
    """
    step = np.linspace(0.0, 1.0, theater.n_sectors)
    value = column(theater.sector_value_high) + column(
        np.subtract(theater.sector_value_low, theater.sector_value_high)) * step
    visibility = column(theater.visibility_low) + column(
        np.subtract(theater.visibility_high, theater.visibility_low)) * step
    return np.asarray(value, dtype=float), np.asarray(visibility, dtype=float)


def seasonal_cloud_median(theater: TheaterConfig, extra_cloud: Any, day: int) -> Any:
    """Median cloud cover on simulation ``day`` (1-based): annual mean plus a winter peak.

    Examples
    --------
    >>> from deterrence_sim.config import TheaterConfig
    >>> round(float(seasonal_cloud_median(TheaterConfig(start_day_of_year=1), 0.0, 1)), 3)
    0.75
    """
    doy = np.mod(np.add(theater.start_day_of_year, day - 2), DAYS_PER_YEAR)
    median = np.add(theater.cloud_median, extra_cloud)
    median = median + np.multiply(theater.cloud_seasonal_amplitude,
                                  np.cos(2.0 * np.pi * doy / DAYS_PER_YEAR))
    return np.clip(median, 0.01, 0.99)


def logit_normal(median: Any, logit_sd: Any, u: np.ndarray) -> np.ndarray:
    """Inverse CDF of a logit-normal law with the given median; a median of 0 gives 0.

    Examples
    --------
    >>> import numpy as np
    >>> logit_normal(0.3, 1.0, np.array([0.5])).round(6).tolist()
    [0.3]
    >>> logit_normal(0.0, 1.0, np.array([0.9])).tolist()
    [0.0]
    """
    with np.errstate(divide="ignore"):
        return special.expit(special.logit(median) + np.multiply(logit_sd, special.ndtri(u)))


class Theater:
    """Sectors and daily conditions of one scenario, for ``n`` replications at once.

    Cloud cover and EW pressure are drawn per replication and day (the theater-wide weather of that
    replication's world) from logit-normal laws around a median that follows the season and the
    monitoring preset's conditions, each from one counter uniform by the inverse CDF.
    """

    def __init__(self, theater: TheaterConfig, monitoring: MonitoringConfig, n: int, dice: Dice) -> None:
        self.n_sectors = theater.n_sectors
        value, visibility = sector_profile(theater)
        self.sector_value = value.astype(np.float32)
        self.visibility = visibility.astype(np.float32)
        self.ground_km_per_serious = theater.ground_km_per_serious
        self._theater = theater
        self._monitoring = monitoring
        self._dice = dice
        self.cloud = np.zeros(n)
        self.jamming = np.zeros(n)

    def update(self, day: int) -> None:
        """Phase 1: today's cloud cover and EW pressure in every replication."""
        t, m = self._theater, self._monitoring
        median = seasonal_cloud_median(t, m.extra_cloud, day)
        self.cloud = logit_normal(median, t.cloud_logit_sd, self._dice.replications("cloud", day))
        self.jamming = logit_normal(m.jamming_median, m.jamming_logit_sd,
                                    self._dice.replications("jamming", day))

    def at_cells(self, values: np.ndarray, cells: np.ndarray) -> np.ndarray:
        """A per-sector profile (``sector_value`` or ``visibility``) at flat ``(rep, sector)`` cells."""
        if values.ndim == 2:
            return values.reshape(-1)[cells]
        return values[cells % self.n_sectors]
