"""The percentile bootstrap behind camp.reports.gain: every row's intervals (pre mean, post
mean, class gain, mean individual gain) from one set of resamples, vectorised with NumPy.

A resample is a row of counts (how often each student was drawn); the sums each statistic
needs, for every row at once, are then one matrix product: counts (resamples x students) @
values (students x 5 per row). At 1,000 students, 2,000 resamples and 9 rows that takes
about 15 ms. Pure code.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

CONFIDENCE = 0.95
TOP = 100.0
TOLERANCE = 1e-9  # a pre mean within this of 100 % leaves no room to gain

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Interval:
    """A 95 % bootstrap interval, from `resamples` resamples where the statistic existed."""

    low: float
    high: float
    resamples: int


class RowIntervals(NamedTuple):
    pre: Interval | None
    post: Interval | None
    class_gain: Interval | None
    individual_gain: Interval | None


def seed_from(ids: npt.NDArray[np.int64], pre: Floats, post: Floats, resamples: int) -> int:
    """A seed that depends on the data only: the same students and scores (in user id
    order), the same draws, the same intervals."""
    digest = hashlib.blake2b(digest_size=8)
    digest.update(np.asarray([resamples, *ids.shape, *pre.shape], dtype="<i8").tobytes())
    digest.update(np.ascontiguousarray(ids, dtype="<i8").tobytes())
    digest.update(np.ascontiguousarray(pre, dtype="<f8").tobytes())
    digest.update(np.ascontiguousarray(post, dtype="<f8").tobytes())
    return int.from_bytes(digest.digest(), "little")


def bootstrap(
    pre: Floats, post: Floats, gains: Floats, resamples: int, seed: int
) -> list[RowIntervals]:
    """Every row's four intervals from one set of resamples (one row of counts per
    resample: how often each student was drawn)."""
    n, rows = pre.shape
    if n == 0 or resamples < 1:
        return [RowIntervals(None, None, None, None)] * rows
    rng = np.random.default_rng(seed)
    index = np.int32 if resamples * n < 2**31 else np.int64  # int32: half the memory
    drawn = rng.integers(0, n, size=(resamples, n), dtype=index)
    drawn += np.arange(resamples, dtype=index)[:, None] * n
    counts = np.bincount(drawn.ravel(), minlength=resamples * n).reshape(resamples, n)

    complete = ~np.isnan(pre) & ~np.isnan(post)
    below = ~np.isnan(gains)
    columns = [complete, np.where(complete, pre, 0.0), np.where(complete, post, 0.0)]
    columns += [below, np.where(below, gains, 0.0)]
    sums = counts.astype(np.float64) @ np.hstack([c.astype(np.float64) for c in columns])
    k, pre_sum, post_sum, k_below, gain_sum = np.split(sums, 5, axis=1)

    with np.errstate(divide="ignore", invalid="ignore"):
        pre_mean = np.where(k > 0, pre_sum / k, np.nan)
        post_mean = np.where(k > 0, post_sum / k, np.nan)
        room = TOP - pre_mean
        class_gain = np.where(room > TOLERANCE, (post_mean - pre_mean) / room, np.nan)
        individual = np.where(k_below > 0, gain_sum / k_below, np.nan)
    return [
        RowIntervals(
            *(_interval(stat[:, r]) for stat in (pre_mean, post_mean, class_gain, individual))
        )
        for r in range(rows)
    ]


def _interval(values: Floats) -> Interval | None:
    kept = values[~np.isnan(values)]
    if not kept.size:
        return None
    tail = (1 - CONFIDENCE) / 2 * 100
    low, high = np.percentile(kept, [tail, 100 - tail])
    return Interval(float(low), float(high), int(kept.size))
