"""Check or rewrite the `#>` output lines of snippet files from a real run.

A snippet shows what it prints in `#>` comment lines right after the statement
that printed it (the top-level statement, or one directly inside an
`if __name__ == "__main__":` block). Nobody types those lines: this module
runs the snippet and compares them, and `--update` writes them.

    python -m docs_build.outputs             # check every snippet
    python -m docs_build.outputs --update    # rewrite the #> lines of every snippet
    python -m docs_build.outputs snippets/xor_44/original.py ...
"""

import argparse
import ast
import difflib
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from docs_build import runner

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
MARK = "#>"


class SnippetError(AssertionError):
    """A snippet failed to run, or its shown output differs from a real run."""


def snippet_files():
    """Every runnable snippet (helper modules start with an underscore)."""
    return sorted(p for p in SNIPPETS.rglob("*.py") if not p.name.startswith("_"))


def rel(path):
    return Path(path).resolve().relative_to(ROOT).as_posix()


def run(path, timeout=600):
    """Run a snippet as a reader would (docs_build/runner.py); return [(line, text)] of its prints."""
    result = runner.run(path, mode="prints", timeout=timeout)
    if result.returncode != 0:
        raise SnippetError(f"{rel(path)}: exited with status {result.returncode}\n{result.stderr[-3000:]}")
    if "".join(text for _, text in result.prints) != result.stdout:
        raise SnippetError(
            f"{rel(path)}: writes to stdout other than through print(); "
            "show output with print() so the #> lines can follow it"
        )
    return result.prints


def _anchor_statements(tree):
    """Statements that output lines can follow, outermost first."""
    anchors = []
    for stmt in tree.body:
        anchors.append(stmt)
        if isinstance(stmt, ast.If) and isinstance(stmt.test, ast.Compare) and ast.unparse(stmt.test.left) == "__name__":
            anchors.extend(stmt.body)
    return anchors


def render(path, records):
    """The snippet's text with its #> lines replaced by what the run printed."""
    source = Path(path).read_text(encoding="utf-8")
    anchors = _anchor_statements(ast.parse(source))
    outputs = {}  # end line of the anchor statement -> (indent, printed lines)
    for line, text in records:
        inner = [a for a in anchors if a.lineno <= (line or 0) <= a.end_lineno]
        if not inner:
            raise SnippetError(f"{rel(path)}: a print() ran outside the snippet's own code")
        stmt = inner[-1]
        indent, lines = outputs.setdefault(stmt.end_lineno, (" " * stmt.col_offset, []))
        lines.extend(text.splitlines() or [""])
    result = []
    for number, line in enumerate(source.splitlines(), start=1):
        if line.lstrip().startswith(MARK):
            continue
        result.append(line)
        if number in outputs:
            indent, lines = outputs[number]
            result.extend(f"{indent}{MARK} {out}".rstrip() for out in lines)
    return "\n".join(result) + "\n"


def check(path):
    """Raise SnippetError naming the file and line if the shown output is wrong."""
    path = Path(path)
    expected = render(path, run(path))
    actual = path.read_text(encoding="utf-8")
    if expected == actual:
        return
    old, new = actual.splitlines(), expected.splitlines()
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    first = next(op for op in matcher.get_opcodes() if op[0] != "equal")
    diff = "\n".join(
        difflib.unified_diff(old, new, "shown in the file", "printed by a real run", lineterm="")
    )
    raise SnippetError(
        f"{rel(path)}:{first[1] + 1}: the #> output shown differs from what the snippet "
        f"prints (run `make outputs` to rewrite it)\n{diff}"
    )


def update(path):
    """Rewrite the #> lines of one snippet; return True if the file changed."""
    path = Path(path)
    expected = render(path, run(path))
    if expected == path.read_text(encoding="utf-8"):
        return False
    path.write_text(expected, encoding="utf-8")
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="rewrite the #> lines")
    parser.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args(argv)

    def one(path):
        try:
            if args.update:
                return ("rewrote " if update(path) else "unchanged ") + rel(path), None
            check(path)
            return "ok " + rel(path), None
        except SnippetError as error:
            return None, error

    failed = False
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:  # one child process each
        for done, error in pool.map(one, args.paths or snippet_files()):
            failed |= bool(error)
            print(error or done, file=sys.stderr if error else sys.stdout)
    return int(failed)


if __name__ == "__main__":
    sys.exit(main())
