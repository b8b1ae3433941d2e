"""docs/make_validation.py on tiny settings: every section, the calibration named, the figures."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.fixture(scope="module")
def make_validation():
    spec = importlib.util.spec_from_file_location("make_validation", DOCS / "make_validation.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_page_has_the_fit_the_comparisons_and_the_limits(make_validation, tmp_path: Path) -> None:
    posterior = tmp_path / "tiny.parquet"
    pd.DataFrame({"theater.aggressor.regen_per_day": [0.004, 0.008],
                  "attack.required_force_ratio": [2.0, 2.5], "attack.offensive_fail_loss": [30.0, 10.0],
                  "weight": [0.5, 0.5]}).to_parquet(posterior)
    out = tmp_path / "docs" / "validation.md"
    img = tmp_path / "docs" / "img"
    make_validation.main(["--calibration", str(posterior), "--replications", "12", "--horizon-days", "60",
                          "--override", "theater.n_sectors=4", "--override", "theater.aggressor.capability=3",
                          "--bootstrap", "20", "--out", str(out), "--figures", str(img)])
    page = out.read_text()
    for heading in ("## Which calibration", "## (a) Fit", "### The attack profiles as stress tests",
                    "## (b) What was not calibrated", "### Observer-only missions",
                    "### When failures happen", "### How often guarantor and aggressor forces clash",
                    "## (c) The limits"):
        assert heading in page, heading
    assert f"particle of the posterior `{posterior.name}`" in page
    assert "HR 0.54 [0.3, 0.97]" in page and "n/a (beyond the horizon)" in page     # 60 days < 1 year
    assert "![fit](img/validation_fit.png)" in page and (img / "validation_fit.png").is_file()
    hr = next(line for line in page.splitlines() if line.startswith("| reassurance force |"))
    estimate = float(hr.split("|")[2].split("[")[0])
    assert np.isfinite(estimate) and estimate > 0
