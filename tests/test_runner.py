"""Scripts forked from the preloaded forkserver run as if in a fresh interpreter (tools/runner.py)."""

import subprocess

import pytest

from tools import runner


def run(tmp_path, source, *args, env=None, timeout=60):
    script = tmp_path / "script.py"
    script.write_text(source, encoding="utf-8")
    return runner.run([script, *args], cwd=tmp_path, env=env or {"A": "1"}, timeout=timeout)


def test_a_script_gets_its_own_argv_cwd_env_and_main(tmp_path):
    result = run(tmp_path, "import os, sys\nprint(sys.argv[1:], os.getcwd(), dict(os.environ), __name__)\n", "x")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"['x'] {tmp_path} {{'A': '1'}} __main__\n"


def test_nothing_a_script_does_reaches_the_next_one(tmp_path):
    leak = "import sys, torch\ntorch.leaked = 1\nsys.modules['leaked'] = sys\ntorch.manual_seed(0)\n"
    assert run(tmp_path, leak).returncode == 0
    probe = ("import sys, torch\nprint(hasattr(torch, 'leaked'), 'leaked' in sys.modules, "
             "torch.initial_seed() == 0)\n")
    assert run(tmp_path, probe).stdout == "False False False\n"


def test_unseeded_randomness_differs_between_runs_as_in_fresh_interpreters(tmp_path):
    draw = "import random, numpy, torch\nprint(random.random(), numpy.random.rand(), torch.rand(1).item())\n"
    first, second = (run(tmp_path, draw).stdout.split() for _ in range(2))
    assert all(a != b for a, b in zip(first, second)), (first, second)


def test_a_script_must_import_what_it_uses(tmp_path):
    """torch is imported in the server, but a script's namespace starts empty."""
    result = run(tmp_path, "print(torch.zeros(1))\n")
    assert result.returncode == 1
    assert "NameError: name 'torch' is not defined" in result.stderr


def test_a_failure_reports_the_script_traceback_and_status(tmp_path):
    result = run(tmp_path, "print('before')\nraise ValueError('boom')\n")
    assert (result.returncode, result.stdout) == (1, "before\n")
    assert result.stderr.startswith("Traceback") and "runner.py" not in result.stderr and "multiprocessing" not in result.stderr
    assert f'File "{tmp_path / "script.py"}", line 2' in result.stderr
    assert run(tmp_path, "import sys\nsys.exit(3)\n").returncode == 3


def test_a_script_that_hangs_is_killed_and_the_next_one_runs(tmp_path):
    with pytest.raises(subprocess.TimeoutExpired):
        run(tmp_path, "import time\ntime.sleep(60)\n", timeout=1)
    assert run(tmp_path, "print('next')\n").stdout == "next\n"


def test_build_code_is_not_on_the_scripts_path(tmp_path):
    """As with `python script.py`: the script's folder first, then installed packages only."""
    result = run(tmp_path, "import sys\nprint(sys.path[0])\nimport tools\n")
    assert result.stdout == f"{tmp_path}\n"
    assert "ModuleNotFoundError: No module named 'tools'" in result.stderr
