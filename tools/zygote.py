"""Run scripts in fresh processes without paying for `import torch` each time.

A zygote is a Python process that imports the heavy libraries (torch, numpy,
matplotlib) once and then waits. For each script to run it forks a child: a
copy of that pristine process, which has imported those libraries and run
nothing else. The child runs the script as `__main__` with its own argv, cwd,
environment, stdout and stderr, and exits. Nothing a script does can reach the
zygote or another script, so isolation is that of a fresh interpreter, while
the import is paid once per zygote instead of once per script (about 3 s here).

    with ZygotePool() as pool:
        result = pool.run([script, arg], cwd=tmp, env={...}, timeout=600)
        result.returncode, result.stdout, result.stderr

Where os.fork does not exist, `run` falls back to a plain subprocess. The
zygote never runs torch code itself: forking a process after torch has started
its thread pool is unsafe, forking one that only imported torch is not.
"""

import atexit
import json
import os
import queue
import select
import signal
import subprocess
import sys
import tempfile
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path

from tools import reproducible

ROOT = Path(__file__).resolve().parent.parent
PRELOAD = ("torch", "numpy", "matplotlib", "matplotlib.pyplot")
# Fixed when the interpreter starts, so the zygote is started with it. One
# thread: the snippets' tensors are tiny and two cores run two snippets at
# once. The runner sets this, so the snippets a reader copies don't have to.
START_ENV = {"PYTHONHASHSEED": "0", "MPLBACKEND": "Agg", **reproducible.ENV}


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


class ZygotePool:
    """Up to `size` zygotes, started when first needed; thread-safe."""

    def __init__(self, size=None):
        self.size = size or os.cpu_count() or 2
        self._idle = queue.SimpleQueue()
        self._started = 0
        self._all = []
        self._lock = threading.Lock()

    def run(self, argv, cwd, env, timeout=600):
        if not hasattr(os, "fork"):
            proc = subprocess.run([sys.executable, *map(str, argv)], cwd=cwd, env=env,
                                  capture_output=True, text=True, timeout=timeout)
            return Result(proc.returncode, proc.stdout, proc.stderr)
        zygote = self._acquire()
        try:
            return zygote.run(argv, cwd, env, timeout)
        finally:
            self._idle.put(zygote)

    def _acquire(self):
        with self._lock:
            if self._idle.empty() and self._started < self.size:
                self._started += 1
                zygote = _Zygote()
                self._all.append(zygote)
                return zygote
        return self._idle.get()

    def close(self):
        for zygote in self._all:
            zygote.close()
        self._all.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class _Zygote:
    def __init__(self):
        env = {**os.environ, **START_ENV}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tools.zygote"], cwd=ROOT, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1,
        )
        self._pending = b""

    def _reply(self, timeout=None):
        """The zygote's next line, read straight from the pipe (a buffered reader
        could hold a line that select() then never sees)."""
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._pending:
            ready, _, _ = select.select([fd], [], [], timeout)
            if not ready:
                return None
            chunk = os.read(fd, 4096)
            if not chunk:
                raise RuntimeError(f"the zygote process died (status {self.proc.wait()})")
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        return json.loads(line)

    def run(self, argv, cwd, env, timeout):
        if self.proc.poll() is not None:
            raise RuntimeError(f"the zygote process died (status {self.proc.returncode})")
        with tempfile.TemporaryDirectory() as tmp:
            out, err = Path(tmp) / "stdout", Path(tmp) / "stderr"
            request = {"argv": [str(a) for a in argv], "cwd": str(cwd), "env": dict(env),
                       "stdout": str(out), "stderr": str(err)}
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
            pid = self._reply()["pid"]
            reply = self._reply(timeout)
            if reply is None:
                os.kill(pid, signal.SIGKILL)
                self._reply()
                raise subprocess.TimeoutExpired(argv, timeout)
            status = reply["status"]
            return Result(status, out.read_text(encoding="utf-8", errors="replace"),
                          err.read_text(encoding="utf-8", errors="replace"))

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=30)


_shared = None


def shared_pool():
    """One pool per process, closed when the process exits."""
    global _shared
    if _shared is None:
        _shared = ZygotePool()
        atexit.register(_shared.close)
    return _shared


# --------------------------------------------------------------------------
# The zygote side: `python -m tools.zygote`, driven through stdin and stdout.
# --------------------------------------------------------------------------


def _child(request):
    """In the forked child: become a fresh run of request["argv"][0]."""
    fd_out = os.open(request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    fd_err = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(fd_out, 1)
    os.dup2(fd_err, 2)
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    sys.stdin = open(0, closefd=False)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    script = os.path.abspath(request["argv"][0])
    sys.argv = [script, *request["argv"][1:]]
    sys.path[0] = os.path.dirname(script)  # as `python script.py` would have it
    import random
    import runpy

    import numpy
    import torch

    # Fresh entropy, as a new interpreter would have: every child of one zygote
    # would otherwise draw the same "random" numbers, hiding an unseeded snippet.
    random.seed()
    numpy.random.seed()
    torch.seed()
    status = 0
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as done:
        code = done.code
        if code is None:
            status = 0
        elif isinstance(code, int):
            status = code
        else:
            print(code, file=sys.stderr)
            status = 1
    except BaseException as error:  # noqa: BLE001 - report it the way python would
        tb = error.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename != script:
            tb = tb.tb_next  # start the traceback at the script, as python would
        traceback.print_exception(type(error), error, tb or error.__traceback__)
        status = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def _serve():
    for name in PRELOAD:
        __import__(name)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(request)
        print(json.dumps({"pid": pid}), flush=True)
        _, wait_status = os.waitpid(pid, 0)
        print(json.dumps({"status": os.waitstatus_to_exitcode(wait_status)}), flush=True)


if __name__ == "__main__":
    _serve()
