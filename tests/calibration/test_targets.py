"""Target sets: the shipped data, intervals against SciPy, lookup by name or path, every refusal."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from deterrence_sim.calibration import (
    failed_shares,
    km_targets,
    load_targets,
    target_sets,
    wilson_interval,
)
from deterrence_sim.calibration.targets import PROVENANCE, shipped_dir
from deterrence_sim.config import ConfigError

GOOD = "horizon_days,share_failed,low,high,n\n365,0.3,0.2,0.4,50\n730,0.4,0.3,0.5,50\n"


def write_set(folder: Path, name: str, csv: str = GOOD, provenance: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.csv").write_text(csv)
    if provenance is None:
        provenance = "\n".join(f"{k}: x" for k in PROVENANCE) + "\n"
    (folder / f"{name}.yaml").write_text(provenance)
    return folder / f"{name}.csv"


# --- the shipped sets ---------------------------------------------------------------------------

def test_default_set_is_fortnas_ceasefires_without_peacekeepers() -> None:
    targets = load_targets("fortna_civil_no_pk")
    table = targets.table
    assert targets.horizons.tolist() == [365, 730, 1826]
    assert table["failed"].tolist() == [24, 28, 38] and table["n"].tolist() == [62, 62, 62]
    np.testing.assert_allclose(targets.shares, np.array([24, 28, 38]) / 62, atol=5e-5)
    assert targets.shares.round(2).tolist() == [0.39, 0.45, 0.61]         # the figures of issue 12
    for k, row in zip([24, 28, 38], table.itertuples(), strict=True):     # Wilson at n = 62
        ci = stats.binomtest(k, 62).proportion_ci(0.95, method="wilson")
        assert (row.low, row.high) == (round(ci.low, 4), round(ci.high, 4))
    assert {"source", "sample", "n", "failure", "censoring"} <= set(targets.provenance)
    assert targets.provenance["n"] == 62


def test_every_shipped_set_loads_and_the_two_sets_are_listed() -> None:
    names = target_sets()
    assert {"fortna_civil_no_pk", "fortna_civil_pk"} <= set(names)
    for name in names:
        targets = load_targets(name)
        assert targets.name == name and len(targets.table) >= 1


def test_km_targets_rebuild_the_default_set_from_durations() -> None:
    days = [100] * 24 + [500] * 4 + [1000] * 10 + [1904] * 24            # 24 censored after 5 years
    rebuilt = km_targets(days, [True] * 38 + [False] * 24, [365, 730, 1826])
    shipped = load_targets("fortna_civil_no_pk").table
    for col in ("share_failed", "low", "high", "n"):
        np.testing.assert_allclose(rebuilt[col], shipped[col], atol=5e-5)


# --- intervals ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("k", "n"), [(0, 10), (1, 10), (24, 62), (61, 62), (62, 62), (500, 1000)])
@pytest.mark.parametrize("confidence", [0.8, 0.95])
def test_wilson_interval_is_scipys_for_whole_counts(k: int, n: int, confidence: float) -> None:
    low, high = wilson_interval(k / n, n, confidence)
    ci = stats.binomtest(k, n).proportion_ci(confidence, method="wilson")
    assert (float(low), float(high)) == pytest.approx((ci.low, ci.high), abs=1e-12)


def test_km_targets_use_greenwoods_variance_under_censoring() -> None:
    duration = [3, 5, 5, 8, 10, 12, 12, 15]                    # the hand example of analysis.kaplan_meier
    failed = [1, 1, 0, 1, 0, 1, 1, 0]
    table = km_targets(duration, np.array(failed, dtype=bool), [9, 12])
    # S(9) = 7/8 * 6/7 * 4/5 = 0.6; Greenwood: 0.6^2 (1/(8*7) + 1/(7*6) + 1/(5*4))
    var = 0.36 * (1 / 56 + 1 / 42 + 1 / 20)
    assert table["share_failed"].iloc[0] == pytest.approx(0.4)
    assert table["n"].iloc[0] == pytest.approx(0.4 * 0.6 / var)
    km = stats.ecdf(stats.CensoredData(uncensored=[3, 5, 8, 12, 12], right=[5, 10, 15]))
    assert table["share_failed"].iloc[1] == pytest.approx(1 - km.sf.evaluate(12))


# --- lookup -------------------------------------------------------------------------------------

def test_a_user_folder_adds_sets_and_a_path_is_used_as_it_is(tmp_path: Path) -> None:
    path = write_set(tmp_path / "mine", "interstate")
    assert target_sets([tmp_path / "mine"])["interstate"] == path
    assert load_targets("interstate", dirs=[tmp_path / "mine"]).shares.tolist() == [0.3, 0.4]
    assert load_targets(str(path)).name == "interstate"
    assert load_targets(path).table["horizon_days"].dtype == np.int64


def test_an_unknown_set_is_refused_with_the_names_allowed(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_targets("interstate")
    names = ", ".join(target_sets())
    assert str(err.value) == (f"targets: invalid value 'interstate'; allowed: one of {names}, or a path to a "
                              ".csv file")
    with pytest.raises(ConfigError) as err:
        load_targets(str(tmp_path / "nothing.csv"))
    assert str(err.value) == (f"targets: invalid value '{tmp_path / 'nothing.csv'}'; allowed: an existing "
                              f".csv file or one of {names}")


# --- malformed tables ---------------------------------------------------------------------------

BAD = {
    "missing columns": ("horizon_days,share_failed,n\n365,0.3,50\n",
                        "bad.csv: missing columns low, high; allowed: a table with columns horizon_days, "
                        "share_failed, low, high, n"),
    "no rows": ("horizon_days,share_failed,low,high,n\n",
                "bad.csv: invalid value: no rows; allowed: one row per horizon, at least one"),
    "not a number": ("horizon_days,share_failed,low,high,n\n365,abc,0.2,0.4,50\n",
                     "bad.csv share_failed[0]: invalid value 'abc'; allowed: a number"),
    "empty cell": ("horizon_days,share_failed,low,high,n\n365,0.3,,0.4,50\n",
                   "bad.csv low[0]: invalid value (empty); allowed: a number"),
    "share above 1": ("horizon_days,share_failed,low,high,n\n365,1.3,0.2,0.4,50\n",
                      "bad.csv share_failed[0]: invalid value 1.3; allowed: a share in [0, 1]"),
    "share below 0": ("horizon_days,share_failed,low,high,n\n365,-0.1,0.2,0.4,50\n",
                      "bad.csv share_failed[0]: invalid value -0.1; allowed: a share in [0, 1]"),
    "bound above 1": ("horizon_days,share_failed,low,high,n\n365,0.3,0.2,1.4,50\n",
                      "bad.csv high[0]: invalid value 1.4; allowed: a share in [0, 1]"),
    "interval misses the share": ("horizon_days,share_failed,low,high,n\n365,0.3,0.35,0.4,50\n",
                                  "bad.csv low[0]: invalid value 0.35; allowed: low <= share_failed (0.3) <= "
                                  "high (0.4)"),
    "shares decrease": ("horizon_days,share_failed,low,high,n\n365,0.4,0.3,0.5,50\n730,0.35,0.3,0.5,50\n",
                        "bad.csv share_failed[1]: invalid value 0.35; allowed: a share >= 0.4 (the share "
                        "failed by 365 days): shares failed cannot decrease with the horizon"),
    "horizon not positive": ("horizon_days,share_failed,low,high,n\n0,0.3,0.2,0.4,50\n",
                             "bad.csv horizon_days[0]: invalid value 0; allowed: a whole number of days > 0"),
    "horizon not whole": ("horizon_days,share_failed,low,high,n\n365.5,0.3,0.2,0.4,50\n",
                          "bad.csv horizon_days[0]: invalid value 365.5; allowed: a whole number of days "
                          "> 0"),
    "horizons not increasing": ("horizon_days,share_failed,low,high,n\n730,0.3,0.2,0.4,50\n"
                                "365,0.4,0.3,0.5,50\n",
                                "bad.csv horizon_days[1]: invalid value 365; allowed: horizons that increase "
                                "(> 730)"),
    "n not positive": ("horizon_days,share_failed,low,high,n\n365,0.3,0.2,0.4,0\n",
                       "bad.csv n[0]: invalid value 0; allowed: a sample size > 0"),
    "not a table": ('horizon_days,share_failed\n"365,0.3\n',
                    "bad.csv: not a readable CSV table (Error tokenizing data. C error: EOF inside string "
                    "starting at row 1); allowed: a CSV table with columns horizon_days, share_failed, low, "
                    "high, n"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_malformed_table_is_refused_in_one_line(tmp_path: Path, case: str) -> None:
    csv, message = BAD[case]
    path = write_set(tmp_path, "bad", csv)
    with pytest.raises(ConfigError) as err:
        load_targets(path)
    assert str(err.value) == message


def test_provenance_is_required(tmp_path: Path) -> None:
    path = write_set(tmp_path, "bad", provenance="source: x\nsample: y\n")
    with pytest.raises(ConfigError) as err:
        load_targets(path)
    assert str(err.value) == ("bad.yaml: missing keys n, failure, censoring; allowed: a mapping with the "
                              "keys source, sample, n, failure, censoring")
    (tmp_path / "bad.yaml").unlink()
    with pytest.raises(ConfigError) as err:
        load_targets(path)
    assert str(err.value) == ("bad.yaml: not found; allowed: a provenance file beside bad.csv with the keys "
                              "source, sample, n, failure, censoring")


def test_comment_lines_are_allowed_in_the_table(tmp_path: Path) -> None:
    path = write_set(tmp_path, "commented", "# from my own coding\n" + GOOD)
    assert load_targets(path).horizons.tolist() == [365, 730]


def test_the_shipped_folder_is_found_from_a_source_checkout() -> None:
    assert (shipped_dir() / "fortna_civil_no_pk.csv").is_file()
    assert shipped_dir().parts[-3:] == ("experiments", "calibration", "targets")


# --- simulated statistics -------------------------------------------------------------------------

def test_failed_shares_count_collapses_up_to_each_horizon_per_point() -> None:
    runs = pd.DataFrame({"point": [0, 0, 0, 1, 1, 1],
                         "replication": [0, 1, 2, 0, 1, 2],
                         "collapse_day": pd.array([10, 400, None, 365, 366, 2000], dtype="Int64")})
    runs.attrs["horizon_days"] = 2000
    np.testing.assert_array_equal(failed_shares(runs, [365, 730, 1826]),
                                  [[1 / 3, 2 / 3, 2 / 3], [1 / 3, 2 / 3, 2 / 3]])
    with pytest.raises(ValueError, match=r"^horizons: invalid value 2500; allowed: horizons within the runs' "
                                         r"2000 days$"):
        failed_shares(runs, [365, 2500])
