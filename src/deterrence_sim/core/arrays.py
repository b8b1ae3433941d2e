"""Parameters as arrays: a number for every replication, or one value per replication.

A parameter that is the same in every replication stays a Python number, so it costs what a
number costs; one that varies (drawn from a distribution, or set by a point of ``ds.evaluate``) is
an array of shape ``(R,)``. These helpers let the agents use either without asking which.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def take(value: Any, rows: np.ndarray) -> Any:
    """``value`` at replications ``rows``: the number itself, or the array's entries.

    Examples
    --------
    >>> import numpy as np
    >>> take(0.3, np.array([0, 2])), take(np.array([1.0, 2.0, 3.0]), np.array([0, 2]))
    (0.3, array([1., 3.]))
    """
    return value[rows] if isinstance(value, np.ndarray) and value.ndim else value


def column(value: Any) -> Any:
    """``value`` ready to broadcast against ``(R, ...)`` arrays: an ``(R, 1)`` array, or a number.

    Examples
    --------
    >>> import numpy as np
    >>> column(2.0), column(np.array([1.0, 2.0])).shape
    (2.0, (2, 1))
    """
    return value[:, None] if isinstance(value, np.ndarray) and value.ndim == 1 else value


def largest(value: Any) -> Any:
    """The largest value a parameter takes in any replication (the value itself for a number).

    Examples
    --------
    >>> import numpy as np
    >>> largest(3), int(largest(np.array([2, 7, 1])))
    (3, 7)
    """
    return value.max() if isinstance(value, np.ndarray) and value.size else value


def take_rows(table: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Rows ``rows`` of a table with one row per replication, or its single row for all of them.

    Examples
    --------
    >>> import numpy as np
    >>> take_rows(np.array([[1.0, 2.0]]), np.array([0, 5])).tolist()
    [[1.0, 2.0], [1.0, 2.0]]
    """
    return table[rows] if len(table) > 1 else np.broadcast_to(table[0], (len(rows), *table.shape[1:]))
