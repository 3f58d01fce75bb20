"""Run a script the way a reader would, `python script.py`, without paying for
`import torch` every time.

Each script runs in a child of the standard library's forkserver: a server
process that imported torch, numpy and matplotlib once
(`set_forkserver_preload`) and forks one child per script. The child has run
nothing of any other script. It takes the script's argv, cwd, environment, stdin
(empty), stdout and stderr, puts the script's own folder first on `sys.path`
with nothing of this repository's build code on it, draws fresh random entropy,
and runs the script as `__main__`.

    result = runner.run([script, arg], cwd=tmp, env={...}, timeout=600)
    result.returncode, result.stdout, result.stderr

Why the standard library: on this 2-core machine benchmarks/bench_runner.py
measured 28.3 ms per script, against 30.7 ms for the home-made fork server
("zygote", commit c115294) it replaced, in the same minute, and about 1700 ms
for a new interpreter. At the same speed the simpler code wins.

One habit of multiprocessing to know: a child first re-imports the parent's
main *script* as `__mp_main__` (never a `python -m` module such as pytest's or
mkdocs' `__main__`). So the Makefile runs `python -m mkdocs`, and a script that
calls run() guards its work with `if __name__ == "__main__":`.

ENV is fixed when the server starts (a seed for str hashes, the figures'
backend, and tools/reproducible.py's threads and kernels), so the first run
puts it into this process's environment, which the server inherits.
"""

import multiprocessing
import os
import runpy
import subprocess
import sys
import tempfile
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path

from tools import reproducible

# numpy.random loads lazily, and its first use costs a child 10 ms: load it once, here.
PRELOAD = ["torch", "numpy", "numpy.random", "matplotlib", "matplotlib.pyplot"]
ENV = {"PYTHONHASHSEED": "0", "MPLBACKEND": "Agg", **reproducible.ENV}

_lock = threading.Lock()
_context = None


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def _forkserver():
    global _context
    with _lock:
        if _context is None:
            os.environ.update(ENV)  # the server is started from this environment
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            _context = context
        return _context


def run(argv, cwd, env, timeout=600):
    """Run argv[0] with arguments argv[1:] in cwd with exactly env; wait at most timeout s."""
    if "forkserver" not in multiprocessing.get_all_start_methods():  # Windows
        proc = subprocess.run([sys.executable, *map(str, argv)], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=timeout)
        return Result(proc.returncode, proc.stdout, proc.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        out, err = Path(tmp) / "stdout", Path(tmp) / "stderr"
        child = _forkserver().Process(
            target=_child, args=([str(a) for a in argv], str(cwd), dict(env), str(out), str(err)))
        child.start()
        child.join(timeout)
        if child.is_alive():
            child.kill()
            child.join()
            raise subprocess.TimeoutExpired(argv, timeout)
        read = lambda path: path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
        return Result(child.exitcode, read(out), read(err))


def _child(argv, cwd, env, out, err):
    """In the forked child: become a fresh run of argv[0]."""
    for fd, path, flags in ((0, os.devnull, os.O_RDONLY), (1, out, os.O_WRONLY | os.O_CREAT),
                            (2, err, os.O_WRONLY | os.O_CREAT)):
        os.dup2(os.open(path, flags), fd)
    sys.stdin = open(0, encoding="utf-8", closefd=False)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    script = os.path.abspath(argv[0])
    sys.argv = [script, *argv[1:]]
    # As `python script.py` has it: the script's folder, then the installed packages.
    sys.path[:] = [os.path.dirname(script)] + [p for p in sys.path if p.startswith((sys.prefix, sys.base_prefix))]
    for name in [n for n in sys.modules if n.partition(".")[0] == __package__]:
        del sys.modules[name]  # the build code this child was started with: a script can't import it
    import random

    import numpy
    import torch

    # Fresh entropy, as a new interpreter would have: every child of one server
    # would otherwise draw the same "random" numbers, hiding an unseeded snippet.
    random.seed()
    numpy.random.seed()
    torch.seed()
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit:
        raise  # multiprocessing turns its code into the exit status, as python does
    except BaseException as error:  # noqa: BLE001 - report it the way python would
        tb = error.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename != script:
            tb = tb.tb_next  # start the traceback at the script, as python would
        traceback.print_exception(type(error), error, tb or error.__traceback__)
        sys.exit(1)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
