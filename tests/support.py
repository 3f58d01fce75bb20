"""What the tests share: where things are, running a snippet, building the site,
walking the nav, copying the project, and visiting a page in Chromium.

Test modules import from here, never from each other or from a conftest."""

import contextlib
import io
import json
import os
import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
SHOTS = ROOT / "test-results" / "screenshots"
# A project site's address, as GitHub Pages serves one (https://OWNER.github.io/REPO/): the
# tests serve the site under that subpath, so a link that forgets it fails (tests/browser/conftest.py).
SITE_URL = "http://127.0.0.1:8000/nn-proven/"
# The tests build as GitHub's workflow does, for a stand-in repository (docs_build/repository.py).
GITHUB = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "example-org/nn-proven",
          "GITHUB_REF_NAME": "main"}

# Snippets loaded by the running test module, named in the report of any of its
# tests that fails (tests/conftest.py)
LOADED = {"module": None, "paths": []}


def load_snippet(relpath, run_main=True):
    """Run snippets/<relpath> and return its namespace (its prints are swallowed).

    With run_main=False the `if __name__ == "__main__":` block is skipped, so
    a snippet can be used as a module of functions.
    """
    path = SNIPPETS / relpath
    LOADED["paths"].append(f"snippets/{Path(relpath).as_posix()}")
    sys.path.insert(0, str(path.parent))
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            return runpy.run_path(str(path), run_name="__main__" if run_main else "snippet")
    finally:
        sys.path.remove(str(path.parent))


def build_site(site_dir, cwd=ROOT):
    """`mkdocs build --strict` of the project at cwd into site_dir, as GitHub's workflow
    builds it for the repository GITHUB names; return the finished process."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=cwd, capture_output=True, text=True, timeout=1800,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": SITE_URL, **GITHUB},
    )


def nav_sources():
    """Every page of the nav, as its path under docs/, in nav order."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    found = []

    def walk(items):
        for item in items:
            if isinstance(item, str):
                found.append(item)
            else:
                for value in item.values():
                    walk(value) if isinstance(value, list) else found.append(value)

    walk(config["nav"])
    return found


# ---------------------------------------------------------------------------
# A page's prose (the claims audit, the glossary)
# ---------------------------------------------------------------------------

# What is not prose: code, includes, HTML tags, link targets, figures (their alt text
# describes what the figure's code draws), heading attributes and list numbers.
NOT_PROSE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,}).*?^(?P=indent)(?P=fence)[ \t]*$"  # fenced code
    r"|\A---\n.*?\n---\n"                              # front matter
    r"|^[ \t]*--8<--[^\n]*$"                           # an include
    r"|`[^`\n]+`"                                       # inline code
    r"|!\[[^\]]*\]\([^)]*\)"                            # a figure
    r"|\]\([^)]*\)"                                     # a link's target
    r"|<[^>\n]+>"                                       # an HTML tag
    r"|\{[#.:][^}\n]*\}"                                # attributes: {#anchor}
    r"|^[ \t]*\d+\.(?=[ \t])",                          # a numbered list's number
    re.S | re.M)
MATH = re.compile(r"\\\((.*?)\\\)|\\\[(.*?)\\\]", re.S)
NOTEBOOK_MATH = re.compile(r"\$\$(.*?)\$\$|\$(.*?)\$", re.S)  # a notebook's Markdown writes $ math


def blank(text, spans):
    """text with each span replaced by spaces (newlines kept), so offsets and lines stay."""
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def prose_of(page):
    """The page's Markdown. For a notebook's text source, its Markdown cells without their
    "# ", and blanks for the rest (code cells, cell headers and their alt text), so that
    lines and columns stay the file's. A notebook's title is left out too: mkdocs-jupyter
    reads it raw for the page title, the nav and the table of contents, where no macro
    runs, and it names the page ("the 44-parameter networks") rather than claims."""
    text = (DOCS / page).read_text(encoding="utf-8")
    if not page.endswith(".py"):
        return text
    lines, markdown = [], False
    for line in text.splitlines():
        if line.startswith("# %%"):
            markdown = line.startswith("# %% [markdown]")
            lines.append("")
        else:
            title = line.startswith("# # ")
            lines.append("  " + line[2:] if markdown and line.startswith("# ") and not title else "")
    return "\n".join(lines) + "\n"


def words_of(page):
    """The words a reader reads on the page: its prose with each claim and n() mark as its
    text, and blanks for code, math, link targets and tags (NOT_PROSE)."""
    from docs_build.claims import plain

    text = plain(prose_of(page))
    text = blank(text, [m.span() for m in NOT_PROSE.finditer(text)])
    math = NOTEBOOK_MATH if page.endswith(".py") else MATH
    return blank(text, [m.span() for m in math.finditer(text)])


def source_file(source):
    """The file under docs/ a nav entry is built from: the notebook page <name>.ipynb
    comes from its text source docs/<name>.py (docs_build/notebooks.py)."""
    path = DOCS / source
    return path.with_suffix(".py") if path.suffix == ".ipynb" else path


def text_length(html):
    """Characters of text a built page's article shows, each formula counted as its
    TeX source: how long a page is to read, whatever its markup."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    article = soup.find("article") or soup
    for tag in article.find_all(["script", "style", "svg"]):
        tag.decompose()
    for math in article.select(".katex"):
        tex = math.find("annotation")
        math.replace_with(tex.get_text() if tex else "")
    return len(" ".join(article.get_text(" ").split()))


def built_path(site, source):
    """Where the build writes the page of docs/<source>."""
    stem = Path(source).with_suffix("")
    return site / "index.html" if str(stem) == "index" else site / stem / "index.html"


def copy_project(dest, caches=True):
    """The working tree as git sees it (tracked, plus new files not ignored), with
    node_modules linked, the repository's history readable, and (unless caches=False)
    the build caches copied."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")
    for rel in filter(None, listed):
        source = ROOT / rel
        if source.is_file():
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    # The copy reads this repository's history through a .git file, as a linked work tree
    # does: its pages get the same last-updated dates (docs_build/revision.py).
    git_dir = subprocess.run(["git", "rev-parse", "--absolute-git-dir"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.strip()
    (dest / ".git").write_text(f"gitdir: {git_dir}\n", encoding="utf-8")
    for cache in ("notebooks", "artifacts") if caches else ():
        if (ROOT / ".cache" / cache).is_dir():
            shutil.copytree(ROOT / ".cache" / cache, dest / ".cache" / cache)
    return dest


# ---------------------------------------------------------------------------
# The browser
# ---------------------------------------------------------------------------

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
SCHEMES = {"light": "default", "dark": "slate"}
VIEWPORTS = {"wide": {"width": 1280, "height": 900}, "narrow": {"width": 390, "height": 844}}
NOT_FOUND = "404.html"  # checked with the nav pages: it is what a mistyped address shows


def chromium_path():
    """The Chromium `make setup-browser` installs (or CHROMIUM_PATH), or None."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


class Visit:
    """One browser context that records console errors and requests to other hosts."""

    def __init__(self, browser, base, scheme, viewport):
        self.base = base  # the site's address, its subpath included
        self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(base))  # for permissions
        self.context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=scheme)
        self.errors, self.foreign = [], []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.base) or url.startswith("data:"):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def url(self, source):
        if source == NOT_FOUND:
            return f"{self.base}/{NOT_FOUND}"
        rel = built_path(Path("."), source).parent.as_posix().strip(".")
        return f"{self.base}/{rel + '/' if rel else ''}"

    def open(self, source):
        self.page.goto(self.url(source), wait_until="load")
        self.wait_for_math()

    def wait_for_math(self):
        """The math arrives typeset in the HTML; after an instant navigation, wait
        until Material has swapped the new article in."""
        self.page.wait_for_function(
            "!document.querySelector('.md-content .arithmatex:not(:has(.katex))')", timeout=15000)

    def close(self):
        self.context.close()


# ---------------------------------------------------------------------------
# Editing a copy of the project (the fault suite, the lock tests)
# ---------------------------------------------------------------------------


def pin(root, name):
    """The version requirements.in pins for name: versions live in one place."""
    return re.search(rf"^{re.escape(name)}==(\S+)", (root / "requirements.in").read_text(encoding="utf-8"), re.M)[1]


def edit(path, old, new, count=1):
    """Replace text that must be there: an edit that no longer applies is an error."""
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise LookupError(f"{path}: the text this edit expects is gone: {old!r}")
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def printed(nb, code):
    """What the code cell of the executed notebook nb that holds `code` printed."""
    (cell,) = [c for c in nb.cells if c.cell_type == "code" and code in c.source]
    return "".join(o.text for o in cell.outputs if o.output_type == "stream")


NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
                "nineteen", "twenty")


def number_word(count):
    """A count as a page writes it in words (0 to 20), so a claim's text comes from the computation."""
    return NUMBER_WORDS[count]


# ---------------------------------------------------------------------------
# The playground's network (docs/assets/javascripts/playground/nn.js), in Node
# ---------------------------------------------------------------------------

# Gradient descent as the playground's Reset and Run do it (widget.js), with its maths:
# the loss after every step (null once it overflows, where Run stops) and the network.
PLAYGROUND_RUN = """
import { readFileSync } from "node:fs";
const [path, settings] = process.argv.slice(1);
const nn = await import("data:text/javascript;base64," + readFileSync(path).toString("base64"));
const s = JSON.parse(settings);
const data = nn.DATASETS[s.dataset].make();
const net = nn.initNetwork(s.sizes, s.init, s.seed);
let grads = nn.gradients(net, data.X, data.Y, s.activation, s.loss);
const losses = [grads.loss];
for (let k = 0; k < s.steps && Number.isFinite(grads.loss); k++) {
  nn.sgdStep(net, grads, s.lr);
  grads = nn.gradients(net, data.X, data.Y, s.activation, s.loss);
  losses.push(grads.loss);
}
process.stdout.write(JSON.stringify({ losses: losses.map((l) => (Number.isFinite(l) ? l : null)), W: net.W, b: net.b }));
"""


def node(*args, input=None, timeout=120):
    """What `node args...` prints (input: its standard input); fails the test, saying so,
    when Node is not installed or the program fails."""
    path = shutil.which("node")
    if path is None:
        pytest.fail("node is not installed: run `make setup`", pytrace=False)
    proc = subprocess.run([path, *map(str, args)], input=input, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def playground_settings(page):
    """The data-* settings of the playground on docs/<page>."""
    (div,) = re.findall(r'<div class="nn-playground"([^>]*)>', (DOCS / page).read_text(encoding="utf-8"))
    return dict(re.findall(r'data-([\w-]+)="([^"]*)"', div))


def playground_run(page, steps, **changes):
    """{losses, W, b} after steps of the playground on docs/<page>, from its settings
    with changes (sizes, lr, init, ...)."""
    data = playground_settings(page)
    settings = {"sizes": [int(n) for n in data["shape"].split("-")], "lr": float(data["lr"]),
                "activation": data["activation"], "init": data["init"], "loss": data["loss"],
                "dataset": data["dataset"], "seed": int(data["seed"]), "steps": steps, **changes}
    return json.loads(node("--input-type=module", "-e", PLAYGROUND_RUN,
                           DOCS / "assets" / "javascripts" / "playground" / "nn.js", json.dumps(settings)))


def symmetry_in_float64(init, steps, lr):
    """The weight-initialization page's run (snippets/weight_initialization/symmetry.py)
    in float64, as the playground computes: its W and b, layer by layer."""
    import torch  # here: most users of this module never need torch
    from torch import nn

    symmetry = load_snippet("weight_initialization/symmetry.py", run_main=False)
    model = symmetry["make_model"](symmetry[init]).double()
    X, y = symmetry["X"].double(), symmetry["y"].double()
    for _ in range(steps):  # symmetry.train, in float64
        model.zero_grad()
        nn.functional.mse_loss(model(X), y).backward()
        with torch.no_grad():
            for p in model.parameters():
                p -= lr * p.grad
    layers = [model[0], model[2]]
    return {"W": [m.weight.tolist() for m in layers], "b": [m.bias.tolist() for m in layers]}
