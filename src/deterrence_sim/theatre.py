"""The environment: sectors of the contact line, weather and electronic-warfare pressure."""

from __future__ import annotations

import numpy as np
from scipy import special

from deterrence_sim.config import MonitoringConfig, TheaterConfig


def sector_profile(theater: TheaterConfig) -> tuple[np.ndarray, np.ndarray]:
    """Strategic value and visibility of each sector, sector 0 the most valuable.

    Values are evenly spaced from high to low; visibility runs the other way (valuable sectors are
    towns and forests, harder to watch than open steppe). Both are assumptions, see the parameters doc.

    Examples
    --------
    >>> from deterrence_sim.config import TheaterConfig
    >>> value, visibility = sector_profile(TheaterConfig(n_sectors=3))
    >>> value.tolist(), visibility.tolist()
    ([1.5, 1.0, 0.5], [0.6, 0.8, 1.0])
    """
    n = theater.n_sectors
    value = np.linspace(theater.sector_value_high, theater.sector_value_low, n)
    visibility = np.linspace(theater.visibility_low, theater.visibility_high, n)
    return value, visibility


def seasonal_cloud_median(theater: TheaterConfig, extra_cloud: float, day: int) -> float:
    """Median cloud cover on simulation ``day`` (1-based): annual mean plus a winter peak.

    Examples
    --------
    >>> from deterrence_sim.config import TheaterConfig
    >>> round(seasonal_cloud_median(TheaterConfig(start_day_of_year=1), 0.0, 1), 3)
    0.75
    """
    doy = (theater.start_day_of_year + day - 2) % 365
    median = theater.cloud_median + extra_cloud
    median += theater.cloud_seasonal_amplitude * np.cos(2.0 * np.pi * doy / 365.0)
    return float(np.clip(median, 0.01, 0.99))


class Theatre:
    """Sectors and daily conditions of one scenario, for ``n`` replications at once.

    Cloud cover and EW pressure are drawn per replication and day (the theatre-wide weather of that
    replication's world) from logit-normal laws around a median that follows the season and the
    monitoring preset's conditions. Both come from one uniform each by the inverse CDF, so every
    scenario consumes the weather stream identically.
    """

    def __init__(self, theater: TheaterConfig, monitoring: MonitoringConfig, n: int,
                 rng: np.random.Generator) -> None:
        self.n_sectors = theater.n_sectors
        self.sector_value, self.visibility = sector_profile(theater)
        self.sector_value = self.sector_value.astype(np.float32)
        self.visibility = self.visibility.astype(np.float32)
        self.ground_km_per_serious = theater.ground_km_per_serious
        self._theater = theater
        self._extra_cloud = monitoring.extra_cloud
        self._cloud_sd = theater.cloud_logit_sd
        self._jam_median = monitoring.jamming_median
        self._jam_sd = monitoring.jamming_logit_sd
        self._n = n
        self._rng = rng
        self.cloud = np.zeros(n)
        self.jamming = np.zeros(n)

    def update(self, day: int) -> None:
        """Phase 1: draw today's cloud cover and EW pressure in every replication."""
        u = self._rng.random((2, self._n))
        median = seasonal_cloud_median(self._theater, self._extra_cloud, day)
        self.cloud = logit_normal(median, self._cloud_sd, u[0])
        self.jamming = logit_normal(self._jam_median, self._jam_sd, u[1])


def logit_normal(median: float, logit_sd: float, u: np.ndarray) -> np.ndarray:
    """Inverse CDF of a logit-normal law with the given median; a median of 0 gives 0.

    Examples
    --------
    >>> import numpy as np
    >>> logit_normal(0.3, 1.0, np.array([0.5])).round(6).tolist()
    [0.3]
    >>> logit_normal(0.0, 1.0, np.array([0.9])).tolist()
    [0.0]
    """
    if median <= 0.0:
        return np.zeros_like(u)
    return special.expit(special.logit(median) + logit_sd * special.ndtri(u))
