"""Config fields that explain themselves: unit, allowed range and meaning beside every number.

Every numeric field of every config node is declared with :func:`param`. Unless it is marked
``fixed`` (a structural setting such as the number of sectors), it takes either a plain number or
a distribution drawn once per replication (:mod:`deterrence_sim.core.distributions`). The
generic walkers here check a node against those declarations and build nodes from plain mappings,
so every error, wherever the node sits, is one line naming the field, the bad value and what is
allowed. The schemas themselves live in :mod:`deterrence_sim.config`, and in the plug-in modules
of :mod:`deterrence_sim.assets` and :mod:`deterrence_sim.effects`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator, Mapping
from dataclasses import MISSING, fields, is_dataclass
from enum import Enum
from typing import Any, get_type_hints

from deterrence_sim.core.distributions import Range, distribution_problem, is_distribution

__all__ = ["COUNT", "NONNEG", "POS", "PROB", "ConfigError", "Num", "Range", "build_node",
           "check_node", "fail", "field_table", "numeric_fields", "param"]


class ConfigError(ValueError):
    """A configuration value is wrong; the message is one line: field, value, what is allowed."""


Num = Any
"""Type of a numeric field: a number, or a distribution ``{dist: ..., ...}`` drawn per replication."""

PROB = Range(0.0, 1.0)
NONNEG = Range(0.0)
POS = Range(0.0, lo_open=True)
COUNT = Range(1.0)


def param(default: Any, unit: str, allowed: Range, doc: str, *, integer: bool = False,
          fixed: bool = False) -> Any:
    """A numeric config field with its unit, allowed range and a one-line meaning (in metadata).

    Parameters
    ----------
    default : number or mapping
        The schema's default (a number, or a distribution).
    unit, doc : str
        Unit and one-line meaning, shown in the docs.
    allowed : Range
        Allowed values; draws from a distribution never leave it.
    integer : bool
        Whole numbers only (days, counts); draws are rounded.
    fixed : bool
        A structural setting that cannot vary between replications (a plain number only).
    """
    meta = {"unit": unit, "range": allowed, "doc": doc, "integer": integer, "fixed": fixed}
    if isinstance(default, Mapping):
        return dataclasses.field(default_factory=lambda: dict(default), metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


def fail(path: str, value: Any, allowed: str) -> ConfigError:
    """The one-line error for ``path``: ``path: invalid value V; allowed: WHAT``."""
    return ConfigError(f"{path}: invalid value {_show(value)}; allowed: {allowed}")


def _show(value: Any) -> str:
    if isinstance(value, Mapping):
        return repr(dict(value))
    return repr(value)


def numeric_fields(node: Any) -> Iterator[dataclasses.Field]:
    """The fields of a config node declared with :func:`param`."""
    return (f for f in fields(node) if "range" in f.metadata)


def check_value(path: str, value: Any, f: dataclasses.Field) -> None:
    """Raise :class:`ConfigError` unless ``value`` suits the numeric field ``f``."""
    meta = f.metadata
    allowed: Range = meta["range"]
    if meta["fixed"]:
        whole = meta["integer"]
        ok = (not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)
              and allowed.contains(float(value)) and (not whole or isinstance(value, int)))
        if not ok:
            text = ("a whole " + str(allowed).removeprefix("a ")) if whole else str(allowed)
            raise fail(path, value, f"{text} (fixed for the whole run, not a distribution)"
                       + _how_to_write(value, allowed, whole))
        return
    problem = distribution_problem(value, allowed, meta["integer"])
    if problem:
        raise fail(path, value, problem + _how_to_write(value, allowed, meta["integer"]))


def _how_to_write(value: Any, allowed: Range, whole: bool) -> str:
    """For a whole number typed with a point or an exponent (``1e6``): how to write it instead."""
    if (whole and isinstance(value, float) and math.isfinite(value) and value.is_integer()
            and allowed.contains(value)):
        return f", written without a decimal point or exponent ({int(value)})"
    return ""


def check_node(node: Any, path: str) -> None:
    """Check every numeric field of ``node`` and of the nodes inside it (recursively)."""
    for f in fields(node):
        value = getattr(node, f.name)
        here = f"{path}.{f.name}" if path else f.name
        if "range" in f.metadata:
            check_value(here, value, f)
        elif is_dataclass(value):
            check_node(value, here)
        elif isinstance(value, Mapping):
            for key, item in value.items():
                if is_dataclass(item):
                    check_node(item, f"{here}.{key}")


def build_node(cls: type, data: Any, path: str, **fixed: Any) -> Any:
    """A ``cls`` node from a plain mapping, refusing unknown keys and text where a number is due.

    ``fixed`` gives values that do not come from ``data`` (a name taken from the mapping's key).
    Numbers are checked later by :func:`check_node`.

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> @dataclass
    ... class Toy:
    ...     speed: float = param(1.0, "km/h", NONNEG, "how fast")
    >>> build_node(Toy, {"speed": 2}, "toy")
    Toy(speed=2)
    >>> build_node(Toy, {"sped": 2}, "toy")
    Traceback (most recent call last):
    ...
    deterrence_sim.fields.ConfigError: toy.sped: unknown key; allowed: speed
    """
    if is_dataclass(data) and isinstance(data, cls):
        for key, value in fixed.items():
            setattr(data, key, value)
        return data
    if not isinstance(data, Mapping):
        raise fail(path, data, f"a mapping of {', '.join(_settable(cls, fixed))}")
    allowed = _settable(cls, fixed)
    for key in data:
        if key not in allowed:
            raise ConfigError(f"{path}.{key}: unknown key; allowed: {', '.join(allowed)}")
    hints = get_type_hints(cls)
    values = dict(data)
    for key, value in data.items():
        hint = hints.get(key)
        if isinstance(hint, type) and issubclass(hint, Enum):
            values[key] = _enum(hint, value, f"{path}.{key}")
        elif hint is str and not isinstance(value, str):
            raise fail(f"{path}.{key}", value, "text")
        elif hint is bool and not isinstance(value, bool):
            raise fail(f"{path}.{key}", value, "true or false")
        elif hint == list[str] and (not isinstance(value, list | tuple)
                                    or not all(isinstance(v, str) for v in value)):
            raise fail(f"{path}.{key}", value, "a list of names")
    return cls(**values, **fixed)


def _settable(cls: type, fixed: Mapping[str, Any]) -> list[str]:
    return [f.name for f in fields(cls) if f.init and f.name not in fixed]


def _enum(enum: type[Enum], value: Any, path: str) -> Enum:
    if isinstance(value, enum):
        return value
    try:
        return enum[value]
    except (KeyError, TypeError):
        raise fail(path, value, ", ".join(m.name for m in enum)) from None


def field_table(node_type: type) -> list[dict[str, Any]]:
    """Rows (field, default, unit, allowed, meaning) of one config node, for the docs."""
    rows = []
    for f in numeric_fields(node_type):
        default = f.default if f.default is not MISSING else f.default_factory()
        allowed = str(f.metadata["range"])
        if f.metadata["integer"]:
            allowed = "a whole " + allowed.removeprefix("a ")
        if f.metadata["fixed"]:
            allowed += " (fixed)"
        rows.append({"field": f.name, "default": default, "unit": f.metadata["unit"],
                     "allowed": allowed, "meaning": f.metadata["doc"],
                     "distribution": is_distribution(default)})
    return rows
