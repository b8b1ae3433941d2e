"""The view's panels, declared once: each is a title and a matplotlib drawing of the model.

A panel reads the model only through its public attributes: the ``datacollector`` (the daily
means of :data:`deterrence_sim.columns.DAILY_MEANS` over the replications in ceasefire, and the
share still in ceasefire), ``steps``, ``n``, today's ``events``, ``theater``, the agents, and the
followed replication's trace (:meth:`ViewedCeasefire.followed_trace`, the model's ``tracer``).

To show a new daily output, add one line to :data:`PANELS`: ``series_panel(title, {column:
label}, unit)`` draws the mean over the replications in ceasefire and the followed replication's
own value of every column named; ``marks={trace column: label}`` also marks the days on which the
followed replication's count in that column was not zero (its warnings, say).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from deterrence_sim.agents import GuaranteeCommitment
from deterrence_sim.core.escalation import WIDER_WAR
from deterrence_sim.view.scenario import ViewedCeasefire

Z_95 = 1.959963984540054
"""Standard normal quantile of 0.975: two-sided 95% intervals."""

SIZE = (6.4, 3.6)
"""Size of a panel's figure in inches (two panels side by side fill a laptop screen)."""

MEAN, FOLLOWED, BAND = "#1f4e79", "#c0504d", "#9dc3e6"
BUILDUP, LADDER = "#f4b183", "#c00000"

MARKERS = ("^", "D", "x", "v", "s")


@dataclass(frozen=True)
class Panel:
    """One panel of the view: its title, and the function that draws it from the model."""

    title: str
    draw: Callable[[ViewedCeasefire], Figure]


def wilson(successes: np.ndarray, trials: int, z: float = Z_95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of binomial shares, elementwise.

    For ``k`` successes in ``n`` trials, with ``p = k / n``, the bounds are

    ``(p + z²/2n ± z sqrt(p(1 - p)/n + z²/4n²)) / (1 + z²/n)``.

    It stays inside [0, 1] and covers close to its nominal level even near 0 and 1 (Wilson,
    1927); it is the interval of :func:`deterrence_sim.analysis.proportion`.

    Examples
    --------
    >>> low, high = wilson(np.array([30, 0]), 100)
    >>> np.round(low, 3).tolist(), np.round(high, 3).tolist()
    ([0.219, 0.0], [0.396, 0.037])
    """
    k = np.asarray(successes, dtype=float)
    p = k / trials
    centre = p + z**2 / (2 * trials)
    half = z * np.sqrt(p * (1 - p) / trials + z**2 / (4 * trials**2))
    scale = 1 + z**2 / trials
    return np.maximum((centre - half) / scale, 0.0), np.minimum((centre + half) / scale, 1.0)


def _figure(rows: int = 1, columns: int = 1, **kwargs) -> tuple[Figure, np.ndarray]:
    """A panel's figure and its axes. Margins are fixed: a layout engine would double the time."""
    fig = Figure(figsize=SIZE, dpi=90)
    fig.subplots_adjust(left=0.12, right=0.9, bottom=0.14, top=0.9, hspace=0.12, wspace=0.25)
    return fig, np.atleast_1d(fig.subplots(rows, columns, **kwargs))


def _daily(model: ViewedCeasefire) -> pd.DataFrame:
    """The datacollector's table, one row per day from day 0."""
    df = model.datacollector.get_model_vars_dataframe()
    return df.reset_index(drop=True).rename_axis("day")


def _followed_label(model: ViewedCeasefire) -> str:
    return f"replication {model.followed}"


def _ending(trace: pd.DataFrame) -> tuple[int, str] | None:
    """Day and cause of the end of the followed replication's ceasefire (a major offensive, or a
    wider war: the top of the escalation ladder), if it ended.

    Examples
    --------
    >>> trace = pd.DataFrame({"day": [1, 2, 3], "offensive": [False, False, False],
    ...                       "escalation_rung": [1, 2, 3]})
    >>> _ending(trace)
    (3, 'wider war')
    """
    if not len(trace):
        return None
    ended = trace["offensive"].to_numpy() | (trace["escalation_rung"].to_numpy() >= WIDER_WAR)
    if not ended.any():
        return None
    row = trace.iloc[int(np.argmax(ended))]
    return int(row["day"]), "offensive" if row["offensive"] else "wider war"


def _collapse_day(trace: pd.DataFrame) -> int | None:
    """Day the followed replication's ceasefire ended, if it did."""
    ending = _ending(trace)
    return ending[0] if ending else None


def _spans(days: np.ndarray, flags: np.ndarray) -> list[tuple[int, int]]:
    """First and last day of each run of consecutive days on which ``flags`` holds.

    Examples
    --------
    >>> _spans(np.arange(1, 8), np.array([0, 1, 1, 0, 1, 0, 1], dtype=bool))
    [(2, 3), (5, 5), (7, 7)]
    """
    edges = np.diff(np.concatenate([[0], np.asarray(flags, dtype=np.int8), [0]]))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
    return [(int(days[a]), int(days[b])) for a, b in zip(starts, stops, strict=True)]


def _while_in_ceasefire(trace: pd.DataFrame) -> pd.DataFrame:
    """The trace's days on which the replication was in ceasefire (at the start of the day)."""
    return trace[trace["in_ceasefire"]] if len(trace) else trace


def _days_axis(ax, model: ViewedCeasefire) -> None:
    ax.set_xlim(0, max(model.steps, 10))
    ax.set_xlabel("day")
    ax.grid(alpha=0.3)


# ----------------------------------------------------------------------------- the panels
def line_of_contact(model: ViewedCeasefire) -> Figure:
    """Today, per sector: violations and detections, where a reassurance force stands; weather."""
    s, ev = model.theater.n_sectors, model.events
    shares = _daily(model)["share_in_ceasefire"].to_numpy()
    live = max(round(shares[-2] * model.n) if len(shares) > 1 else model.n, 1)
    minor = np.count_nonzero(ev.aggressor_rung == 1, axis=0) / live
    serious = np.count_nonzero(ev.aggressor_rung == 2, axis=0) / live
    seen = np.bincount(ev.aggressor_event_cells[ev.aggressor_event_seen] % s, minlength=s) / live
    fig, (ax, weather) = _figure(1, 2, width_ratios=[4, 1])
    sector = np.arange(s)
    force = _force_presence(model)
    for i in np.flatnonzero(force > 0):
        ax.axvspan(i - 0.5, i + 0.5, color="#7f7f7f", alpha=0.25 * force[i], lw=0,
                   label="reassurance force" if i == np.flatnonzero(force > 0)[0] else None)
    ax.bar(sector, serious, color="#404040", label="serious violation")
    ax.bar(sector, minor, bottom=serious, color="#bfbfbf", label="minor violation")
    ax.plot(sector, seen, "o", mfc="none", mec=MEAN, label="detected")
    trace = model.followed_trace()
    if len(trace) and trace["in_ceasefire"].iloc[-1]:
        today = trace.iloc[-1]
        hit = sorted({*today["aggressor_minor_sectors"], *today["aggressor_serious_sectors"]})
        top = max(float((minor + serious).max()), float(seen.max()), 0.01) * 1.1
        ax.plot(hit, [top] * len(hit), "v", color=FOLLOWED, label=f"{_followed_label(model)}: violated")
    ax.set_xlabel("sector (0 = most valuable)")
    ax.set_ylabel("share of replications")
    ax.set_title(f"Day {model.steps}: the line of contact ({live} replications in ceasefire)", fontsize=10)
    ax.set_xlim(-0.5, s - 0.5)
    ax.legend(fontsize=7, loc="upper right")
    cloud, jamming = model.theater.cloud, model.theater.jamming
    for x, values in enumerate((cloud, jamming)):
        low, mid, high = np.quantile(values, [0.1, 0.5, 0.9]) if model.steps else (0.0, 0.0, 0.0)
        weather.bar(x, float(np.mean(values)), color="#9dc3e6" if x == 0 else "#f4b183")
        weather.errorbar(x, mid, yerr=[[mid - low], [high - mid]], fmt="_", color="black", capsize=3)
    weather.set_xticks([0, 1], ["cloud", "jamming"], fontsize=7, rotation=30)
    weather.set_ylim(0, 1)
    weather.set_title("today: mean,\n10-90% range", fontsize=8)
    return fig


def _force_presence(model: ViewedCeasefire) -> np.ndarray:
    """Per sector, the share of replications where a reassurance force stands (0 if none)."""
    s = model.theater.n_sectors
    share = np.zeros(s)
    for commitment in model.agents_by_type.get(GuaranteeCommitment, ()):
        for sectors, _ in commitment.terms.presence:
            inside = np.arange(s) < np.reshape(np.asarray(sectors), (-1, 1))
            share = np.maximum(share, inside.mean(axis=0))
    return share


def still_in_ceasefire(model: ViewedCeasefire) -> Figure:
    """The share of replications still in ceasefire, with the 95% Wilson band of the probability."""
    df = _daily(model)
    share = df["share_in_ceasefire"].to_numpy()
    low, high = wilson(np.rint(share * model.n), model.n)
    fig, (ax,) = _figure()
    ax.fill_between(df.index, low, high, color=BAND, alpha=0.6, lw=0,
                    label=f"95% interval of the probability (Wilson, n = {model.n})")
    ax.plot(df.index, share, color=MEAN, label="share of replications")
    ending = _ending(model.followed_trace())
    if ending is not None:
        ax.axvline(ending[0], color=FOLLOWED, ls="--", lw=1, label=f"{_followed_label(model)}: {ending[1]}")
    ax.set_ylim(0, 1.02)
    ax.set_ylabel("still in ceasefire")
    ax.set_title(f"Still in ceasefire on day {model.steps}: {share[-1]:.0%} of {model.n}", fontsize=10)
    _days_axis(ax, model)
    ax.legend(fontsize=7, loc="lower left")
    return fig


def series_panel(title: str, columns: Mapping[str, str], unit: str,
                 limits: tuple[float, float] | None = None, marks: Mapping[str, str] | None = None) -> Panel:
    """A panel of daily outputs: the mean over replications in ceasefire, and the followed one.

    ``columns`` maps a column of the datacollector (and of the trace) to its label. ``marks`` maps
    a column of the trace to a label: the days on which the followed replication's value was not
    zero are marked along the top of the panel.
    """

    def draw(model: ViewedCeasefire) -> Figure:
        df = _daily(model)
        trace = _while_in_ceasefire(model.followed_trace())
        fig, (ax,) = _figure()
        styles = ("-", ":", "-.")
        for (column, label), style in zip(columns.items(), styles, strict=False):
            ax.plot(df.index, df[column], style, color=MEAN, label=f"{label}: mean")
            if len(trace):
                ax.plot(trace["day"], trace[column], style, color=FOLLOWED, lw=1,
                        label=f"{label}: {_followed_label(model)}")
        for k, (column, label) in enumerate((marks or {}).items()):
            days = trace.loc[trace[column] > 0, "day"] if len(trace) else []
            ax.plot(days, np.full(len(days), 0.96 - 0.05 * k), MARKERS[k % len(MARKERS)], ms=5,
                    color=FOLLOWED, mfc="none", transform=ax.get_xaxis_transform(),
                    label=f"{_followed_label(model)}: {label}")
        if df[list(columns)].isna().all().all() and model.steps:
            ax.text(0.5, 0.5, "not in this design", transform=ax.transAxes, ha="center", color="gray")
        if limits is not None:
            ax.set_ylim(*limits)
        ax.set_ylabel(unit)
        ax.set_title(f"{title}, day {model.steps}", fontsize=10)
        _days_axis(ax, model)
        ax.legend(fontsize=7, loc="best")
        return fig

    return Panel(title, draw)


def _status(trace: pd.DataFrame) -> str:
    """How the followed replication stands: in ceasefire, or how and when its ceasefire ended."""
    ending = _ending(trace)
    if ending is None:
        return "in ceasefire"
    day, cause = ending
    if cause == "wider war":
        return f"wider war on day {day}"
    begun = trace.loc[(trace["day"] <= day) & (trace["buildups_started"] > 0), "day"]
    first = int(begun.iloc[-1]) if len(begun) else 0          # the offensive's own build-up
    warned = trace.loc[(trace["day"] >= first) & (trace["day"] <= day) & (trace["warnings"] > 0), "day"]
    when = f"warned on day {int(warned.iloc[0])}" if len(warned) else "a surprise"
    return f"offensive on day {day}, {when}"


def one_replication(model: ViewedCeasefire) -> Figure:
    """The followed replication day by day: its violated sectors and build-ups (shaded, warnings
    marked), its force ratio, guarantors' will and days on the escalation ladder (shaded)."""
    trace = model.followed_trace()
    fig, (events, state) = _figure(2, sharex=True, height_ratios=[3, 2])
    label = _followed_label(model)
    collapse = _collapse_day(trace)
    events.set_title(f"{label.capitalize()}: {_status(trace)} (day {model.steps})", fontsize=10)
    for column, marker, colour, name in (("aggressor_minor_sectors", "|", "#7f7f7f", "minor"),
                                         ("aggressor_serious_sectors", "x", "black", "serious"),
                                         ("aggressor_seen_sectors", "o", MEAN, "detected")):
        days = np.repeat(trace["day"].to_numpy(), trace[column].map(len).to_numpy()) if len(trace) else []
        sectors = [x for cell in trace[column] for x in cell] if len(trace) else []
        events.scatter(days, sectors, marker=marker, s=14, c=colour if marker != "o" else "none",
                       edgecolors=colour if marker == "o" else None, lw=0.8, label=name)
    live = _while_in_ceasefire(trace)
    if len(live):
        days = live["day"].to_numpy()
        for k, (first, last) in enumerate(_spans(days, live["preparing"].to_numpy())):
            events.axvspan(first - 0.5, last + 0.5, color=BUILDUP, alpha=0.35, lw=0,
                           label="build-up" if k == 0 else None)
        for column, style, name in (("warnings", "-", "warning"), ("false_warnings", ":", "false warning")):
            for k, day in enumerate(live.loc[live[column] > 0, "day"]):
                events.axvline(day, color=BUILDUP, ls=style, lw=1.2, label=name if k == 0 else None)
        for k, (first, last) in enumerate(_spans(days, live["escalation_rung"].to_numpy() > 0)):
            state.axvspan(first - 0.5, last + 0.5, color=LADDER, alpha=0.15, lw=0,
                          label="on the escalation ladder" if k == 0 else None)
    events.set_ylim(-0.5, model.theater.n_sectors - 0.5)
    events.invert_yaxis()
    events.set_ylabel("sector")
    events.legend(fontsize=7, loc="upper right", ncols=3)
    if len(live):
        state.plot(live["day"], live["force_ratio"], color="black", label="force ratio")
        if state.patches:
            state.legend(fontsize=6, loc="upper left")
        wills = state.twinx()
        for column in [c for c in trace.columns if c.startswith("will.")]:
            wills.plot(live["day"], live[column], lw=1, label=column.removeprefix("will."))
        wills.set_ylim(0, 1)
        wills.set_ylabel("will", fontsize=8)
        if wills.lines:
            wills.legend(fontsize=6, loc="lower right", ncols=3)
    for ax in (events, state):
        if collapse is not None:
            ax.axvline(collapse, color=FOLLOWED, ls="--", lw=1)
        _days_axis(ax, model)
    state.set_ylabel("force ratio", fontsize=8)
    return fig


PANELS: tuple[Panel, ...] = (
    Panel("Line of contact", line_of_contact),
    Panel("Still in ceasefire", still_in_ceasefire),
    series_panel("Political will", {"political_will": "guarantors' will"}, "share", (0, 1)),
    series_panel("The aggressor's beliefs", {"credibility_belief": "credibility",
                                             "detection_belief": "detection"}, "share", (0, 1)),
    series_panel("Force ratio", {"force_ratio": "aggressor / defender"}, "ratio"),
    series_panel("Build-ups and warnings", {"preparing": "preparing an offensive",
                                            "warned": "warned of"}, "share", (0, 1.3),
                 marks={"buildups_started": "build-up begun", "warnings": "warning",
                        "false_warnings": "false warning", "buildups_aborted": "stood down"}),
    series_panel("Escalation ladder",
                 {"escalation_rung": "rung (1 incident, 2 limited exchange, 3 wider war)"}, "rung"),
    Panel("One replication", one_replication),
)
"""Every panel of the view, in the order shown."""
