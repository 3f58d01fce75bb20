"""Run every benchmark module (`python -m benchmarks [name ...]`)."""

import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(names):
    modules = sorted(p.stem for p in HERE.glob("bench_*.py"))
    chosen = [m for m in modules if not names or any(n in m for n in names)]
    if not chosen:
        sys.exit(f"no benchmark matches {names}; there are: {', '.join(modules)}")
    for name in chosen:
        print(f"\n== {name} ==", flush=True)
        importlib.import_module(f"benchmarks.{name}").main()


if __name__ == "__main__":
    main(sys.argv[1:])
