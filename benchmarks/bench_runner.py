"""Run a script "as a reader would": a new interpreter against docs_build/runner.py.

- plain: `python script.py` in a new interpreter (pays `import torch` each time);
- runner: docs_build/runner.py, a child of the standard library's forkserver that
  imported torch, numpy and matplotlib once.

It prints the mean time per script for each, and their ratio. Before the
runner replaced the home-made zygote (docs_build/zygote.py, removed; its benchmark
is at commit c115294), the two were timed in the same minute on this machine:
zygote 30.7 ms, runner 28.3 ms per script, against about 1700 ms for plain.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from docs_build import runner

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


def time_plain(script, cwd):
    start = time.perf_counter()
    for _ in range(RUNS):
        proc = subprocess.run([sys.executable, script], cwd=cwd, capture_output=True, text=True, check=True)
    return (time.perf_counter() - start) / RUNS, proc.stdout


def time_runner(script, cwd):
    runner.run([script], cwd=cwd, env=os.environ)  # the server's start-up is paid once, not per script
    start = time.perf_counter()
    for _ in range(RUNS):
        result = runner.run([script], cwd=cwd, env={**os.environ, **runner.ENV})
        assert result.returncode == 0, result.stderr
    return (time.perf_counter() - start) / RUNS, result.stdout


def main():
    with tempfile.TemporaryDirectory() as cwd:
        script = str(Path(cwd) / "snippet.py")
        Path(script).write_text(SCRIPT)
        times = {}
        for name, run in [("plain", time_plain), ("runner", time_runner)]:
            times[name], printed = run(script, cwd)
            print(f"{name:10}  {times[name] * 1000:7.1f} ms per script   prints {printed.strip()}")
        print(f"plain / runner: {times['plain'] / times['runner']:.1f}")


if __name__ == "__main__":
    main()
