"""Run a script "as a reader would": three runners, timed on the same scripts.

- plain: `python script.py` in a new interpreter (pays `import torch` each time);
- zygote: tools/zygote.py, a home-made fork server that imported torch once;
- forkserver: the standard library's multiprocessing forkserver, with torch,
  numpy and matplotlib preloaded, each script run in a forked child.

It prints the mean time per script for each, and the ratios. Issue 12 keeps the
standard library's forkserver unless the zygote is clearly faster.
"""

import multiprocessing
import os
import runpy
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools import zygote

ROOT = Path(__file__).resolve().parent.parent
PRELOAD = ["torch", "numpy", "matplotlib", "matplotlib.pyplot"]
RUNS = 16
SCRIPT = """\
import torch
torch.manual_seed(0)
X = torch.randn(64, 8)
W = torch.randn(4, 8, requires_grad=True)
loss = (X @ W.T).tanh().pow(2).mean()
loss.backward()
print(round(loss.item(), 4), tuple(W.grad.shape))
"""


def _child(script, cwd, out_path):
    """In the forked child: run the script as __main__, its stdout to out_path."""
    fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(fd, 1)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
    os.chdir(cwd)
    sys.argv = [script]
    sys.path[0] = os.path.dirname(script)
    runpy.run_path(script, run_name="__main__")
    sys.stdout.flush()


def time_plain(script, cwd):
    start = time.perf_counter()
    for _ in range(RUNS):
        proc = subprocess.run([sys.executable, script], cwd=cwd, capture_output=True, text=True, check=True)
    return (time.perf_counter() - start) / RUNS, proc.stdout


def time_zygote(script, cwd):
    with zygote.ZygotePool(size=1) as pool:
        pool.run([script], cwd=cwd, env=os.environ)  # start-up is paid once, not per script
        start = time.perf_counter()
        for _ in range(RUNS):
            result = pool.run([script], cwd=cwd, env={**os.environ, **zygote.START_ENV})
        return (time.perf_counter() - start) / RUNS, result.stdout


def time_forkserver(script, cwd):
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    out = Path(cwd) / "out.txt"
    warm = ctx.Process(target=_child, args=(script, cwd, str(out)))
    warm.start()
    warm.join()  # start-up is paid once, not per script
    start = time.perf_counter()
    for _ in range(RUNS):
        proc = ctx.Process(target=_child, args=(script, cwd, str(out)))
        proc.start()
        proc.join(600)
        assert proc.exitcode == 0, proc.exitcode
    return (time.perf_counter() - start) / RUNS, out.read_text()


def main():
    with tempfile.TemporaryDirectory() as cwd:
        script = str(Path(cwd) / "snippet.py")
        Path(script).write_text(SCRIPT)
        times = {}
        for name, run in [("plain", time_plain), ("zygote", time_zygote), ("forkserver", time_forkserver)]:
            times[name], printed = run(script, cwd)
            print(f"{name:10}  {times[name] * 1000:7.1f} ms per script   prints {printed.strip()}")
        print(f"zygote / forkserver: {times['zygote'] / times['forkserver']:.2f}")
        print(f"plain / forkserver:  {times['plain'] / times['forkserver']:.2f}")


if __name__ == "__main__":
    main()
