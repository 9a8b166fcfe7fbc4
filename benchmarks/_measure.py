"""Wall time, CPU time and peak memory of one call or one training epoch.

The benchmark machine is shared, so wall time depends on what else runs;
CPU time (``time.process_time``, all threads of the process) does not, and
with one torch thread it is the compute a call needs on an idle core.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from skorch.callbacks import Callback

__all__ = ["MEMORY_METHOD", "EpochCPUTimer", "measure", "resident_peak_mib"]

_CLEAR_REFS = Path("/proc/self/clear_refs")
_STATUS = Path("/proc/self/status")

MEMORY_METHOD = (
    "peak resident set size (VmHWM) during the call minus the resident set "
    "size (VmRSS) just before it, with VmHWM reset through "
    "/proc/self/clear_refs first (Linux); unlike tracemalloc it counts "
    "torch's native allocations"
)


def _status_kib(field: str) -> int:
    for line in _STATUS.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def _reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark; False where the system does not allow it."""
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


class EpochCPUTimer(Callback):
    """Record each epoch's CPU time in a skorch net's history as ``cpu_dur``.

    skorch's own ``dur`` is wall time; this is its contention-free twin.
    """

    def on_epoch_begin(self, net, **kwargs):
        self._start = time.process_time()

    def on_epoch_end(self, net, **kwargs):
        net.history.record("cpu_dur", time.process_time() - self._start)


def measure(call: Callable[[], object]) -> tuple[object, float, float, float | None]:
    """Run ``call()`` and measure it.

    Parameters
    ----------
    call : callable
        Takes no argument.

    Returns
    -------
    result : object
        What ``call`` returned.
    seconds : float
        Wall time.
    cpu_seconds : float
        CPU time of the process during the call.
    peak_mib : float or None
        Peak memory growth in MiB as :data:`MEMORY_METHOD` describes, or
        ``None`` where ``/proc`` cannot be used. Memory freed by earlier
        calls in the same process can be reused, so run each measurement in
        a fresh process for clean numbers.
    """
    can_reset = _reset_peak()
    before = _status_kib("VmRSS") if can_reset else 0
    start, cpu_start = time.perf_counter(), time.process_time()
    result = call()
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    peak_mib = (_status_kib("VmHWM") - before) / 1024 if can_reset else None
    return result, seconds, cpu_seconds, peak_mib


def resident_peak_mib() -> float | None:
    """The process's peak resident set size (VmHWM) in MiB, or ``None`` without ``/proc``.

    Right after :func:`measure`, which resets the mark, it is the peak of
    the call in absolute terms: what the process held at its fullest,
    imports and inputs included, rather than what the call added.
    """
    try:
        return _status_kib("VmHWM") / 1024
    except OSError:
        return None
