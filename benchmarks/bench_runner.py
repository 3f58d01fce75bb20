"""Run a script "as a reader would": three ways, timed on the same script in the same minute.

- plain: `python script.py` in a new interpreter (pays `import torch` each time);
- zygote: the home-made fork server the runner replaced (tools/zygote.py, read from
  commit c115294 of this repository's history, run here as it was);
- runner: docs_build/runner.py, a child of the standard library's forkserver that
  imported torch, numpy and matplotlib once.

It prints the mean time per script for each, and the ratios. Issue 12 kept the
standard library's forkserver unless the zygote was clearly faster; when it was
replaced the figures were zygote 30.7 ms, runner 28.3 ms, plain about 1700 ms.
"""

import importlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from docs_build import runner

ROOT = Path(__file__).resolve().parent.parent
ZYGOTE = "c115294"
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


def load_zygote(folder):
    """The zygote as committed at ZYGOTE: its package written into folder (it starts
    its server with `python -m tools.zygote` from there), then imported."""
    package = Path(folder) / "tools"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name in ("zygote.py", "reproducible.py"):
        source = subprocess.run(["git", "show", f"{ZYGOTE}:tools/{name}"], cwd=ROOT,
                                capture_output=True, text=True, check=True).stdout
        (package / name).write_text(source, encoding="utf-8")
    sys.path.insert(0, folder)
    return importlib.import_module("tools.zygote")


def time_plain(script):
    start = time.perf_counter()
    for _ in range(RUNS):
        proc = subprocess.run([sys.executable, script], cwd=Path(script).parent, capture_output=True, text=True, check=True)
    return (time.perf_counter() - start) / RUNS, proc.stdout


def time_zygote(script):
    with tempfile.TemporaryDirectory() as folder, load_zygote(folder).ZygotePool(size=1) as pool:
        env = {**os.environ, **runner.ENV}
        pool.run([script], cwd=folder, env=env)  # start-up is paid once, not per script
        start = time.perf_counter()
        for _ in range(RUNS):
            result = pool.run([script], cwd=folder, env=env)
            assert result.returncode == 0, result.stderr
    return (time.perf_counter() - start) / RUNS, result.stdout


def time_runner(script):
    runner.run(script)  # the server's start-up is paid once, not per script
    start = time.perf_counter()
    for _ in range(RUNS):
        result = runner.run(script)
        assert result.returncode == 0, result.stderr
    return (time.perf_counter() - start) / RUNS, result.stdout


def main():
    with tempfile.TemporaryDirectory() as folder:
        script = str(Path(folder) / "snippet.py")
        Path(script).write_text(SCRIPT)
        times = {}
        for name, run in [("plain", time_plain), ("zygote", time_zygote), ("runner", time_runner)]:
            times[name], printed = run(script)
            print(f"{name:10}  {times[name] * 1000:7.1f} ms per script   prints {printed.strip()}")
        print(f"zygote / runner: {times['zygote'] / times['runner']:.2f}   plain / runner: {times['plain'] / times['runner']:.1f}")


if __name__ == "__main__":
    main()
