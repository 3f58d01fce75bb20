"""Page weight and math speed, each measured in one run (`make bench BENCH=pages`).

Prints, with both sides of every ratio:

1. page weight: the HTML of each notebook page / the HTML of the Markdown page whose
   text is closest in length ("text" is what the article shows, tags stripped and each
   formula counted as its TeX source), for this site and for notebook pages as
   mkdocs-jupyter makes them (without the site's nbconvert template);
   tests/pipeline/test_notebooks.py holds this site's ratio to at most 1.5;
2. math speed: time from navigation start until every formula of the math-heaviest
   page is typeset, this site / the same page built with Material's documented MathJax
   recipe (served from the mathjax npm package), medians of alternating runs in one
   Chromium;
3. the bytes a first visit of the landing page transfers, by type, for this site and
   for the MathJax-recipe build.

Each site is built afresh into a temporary folder (notebook outputs come from the
build's cache) and served by `python -m http.server` on 127.0.0.1.
"""

import gzip
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from support import CHROMIUM_ARGS, built_path, chromium_path, nav_sources, text_length  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "7"))
MATHJAX_NAME = "Material's MathJax recipe"
PORTS = range(8860, 8870)
MATHJAX = ROOT / "node_modules" / "mathjax" / "es5"
# Material's recipe, from its "Math" reference page (MathJax), with the script served
# by the site itself instead of a CDN.
MATHJAX_CONFIG = """window.MathJax = {
  tex: {
    inlineMath: [["\\\\(", "\\\\)"]],
    displayMath: [["\\\\[", "\\\\]"]],
    processEscapes: true,
    processEnvironments: true
  },
  options: {
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex"
  }
};

document$.subscribe(() => {
  MathJax.startup.output.clearCache()
  MathJax.typesetClear()
  MathJax.texReset()
  MathJax.typesetPromise()
})
"""
# The site's math set-up before build-time rendering: KaTeX in the browser, typesetting
# .arithmatex elements on every page load (Material's document$).
CLIENT_KATEX = r"""document$.subscribe(() => {
  document.querySelectorAll(".arithmatex").forEach(el => {
    const text = el.textContent.trim();
    const display = /^\\\[([\s\S]*)\\\]$/.exec(text), inline = /^\\\(([\s\S]*)\\\)$/.exec(text);
    katex.render(display ? display[1] : inline ? inline[1] : text, el,
                 {displayMode: Boolean(display) || el.tagName === "DIV", throwOnError: false});
  });
});
"""
# Set before any page script runs: the moment the page's content is parsed (Material's
# footer, which follows the article, is in the document) and every formula holds
# typeset output (KaTeX's .katex or MathJax's mjx-container), and the moment the fonts
# it then uses have loaded.
PROBE = """(() => {
  let parsed = false;  // watched on the added nodes alone: scanning the document would slow parsing
  const typeset = () => {
    const math = document.querySelectorAll('.arithmatex');
    return math.length > 0 && [...math].every(e => e.querySelector('.katex, mjx-container'));
  };
  const check = () => {
    if (parsed && window.__typesetAt === undefined && typeset()) {
      window.__typesetAt = performance.now();
      document.fonts.ready.then(() => { window.__fontsAt = performance.now(); });
    }
  };
  new MutationObserver(records => {
    for (const record of parsed ? [] : records)
      for (const node of record.addedNodes)
        if (node.nodeType === 1 && node.classList.contains('md-footer')) parsed = true;
    check();
  }).observe(document, {subtree: true, childList: true});
  document.addEventListener('readystatechange', () => { parsed = true; check(); });
})();"""


def mkdocs_build(site, variant=None, overrides=None):
    """Build into site: this site as it is, or with variant hooks and config overrides."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
    args = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
    config = None
    if variant:
        env["BENCH_VARIANT"] = variant
        child = {"INHERIT": str(ROOT / "mkdocs.yml"), "hooks": [str(ROOT / "benchmarks" / "variant_hooks.py")],
                 **(overrides or {})}
        config = json.dumps(child)  # JSON is YAML
        args += ["--config-file", "-"]
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=ROOT, env=env, input=config, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"building {variant or 'the site'} failed:\n{proc.stderr[-4000:]}")
    return time.perf_counter() - start


def build_mathjax_recipe(site):
    """The site with Material's MathJax recipe in place of build-time KaTeX."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    css = [c for c in config.get("extra_css") or [] if "katex" not in str(c)]
    js = [j for j in config.get("extra_javascript") or [] if "katex" not in str(j)]
    js = ["assets/javascripts/mathjax.js", "assets/vendor/mathjax/tex-mml-chtml.js", *js]
    seconds = mkdocs_build(site, "mathjax-recipe", {"extra_css": css, "extra_javascript": js})
    (site / "assets" / "javascripts" / "mathjax.js").write_text(MATHJAX_CONFIG, encoding="utf-8")
    shutil.copytree(MATHJAX, site / "assets" / "vendor" / "mathjax")
    return seconds


def build_client_katex(site):
    """The site as it was before build-time math: KaTeX and a typesetting script in the page."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    js = ["assets/vendor/katex/katex.min.js", "assets/javascripts/client-katex.js",
          *(config.get("extra_javascript") or [])]
    seconds = mkdocs_build(site, "client-katex", {"extra_javascript": js})
    (site / "assets" / "javascripts" / "client-katex.js").write_text(CLIENT_KATEX, encoding="utf-8")
    shutil.copy2(ROOT / "node_modules" / "katex" / "dist" / "katex.min.js", site / "assets" / "vendor" / "katex")
    return seconds


def floor_copy(site, dest, source):
    """This site with the math-heaviest page's formulas emptied: how long the page takes
    to arrive and parse with no math at all, the floor every math set-up shares."""
    shutil.copytree(site, dest)
    page = built_path(dest, source)
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for math in soup.select(".arithmatex"):
        math.clear()
        math.append(soup.new_tag("span", attrs={"class": "katex"}))
    page.write_text(str(soup), encoding="utf-8")


@contextmanager
def served(site):
    """python -m http.server for site on a free port in 8860-8869."""
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                break
    else:
        sys.exit(f"no free port in {PORTS.start}-{PORTS.stop - 1}")
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                             "--directory", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait()


def url_of(base, source):
    rel = built_path(Path("."), source).parent.as_posix().strip(".")
    return f"{base}/{rel + '/' if rel else ''}"


# ---------------------------------------------------------------------------
# 1. Page weight
# ---------------------------------------------------------------------------


def weigh(site, source):
    page = built_path(site, source)
    figures = [page.parent / src for src in re.findall(r'<img [^>]*src="([^":]+)"', page.read_text(encoding="utf-8"))]
    return {"html": page.stat().st_size, "gzip": len(gzip.compress(page.read_bytes())),
            "figures": sum(f.stat().st_size for f in figures if f.is_file())}


def page_weight(site, default_site):
    sources = nav_sources()
    notebooks = [s for s in sources if s.endswith(".ipynb")]
    plains = [s for s in sources if s.endswith(".md")]
    lengths = {s: text_length(built_path(site, s).read_text(encoding="utf-8")) for s in sources}
    print("\n1. Page weight: notebook page HTML / HTML of the Markdown page with the closest text length")
    print(f"   {'notebook page':42} {'text':>6}  {'vs plain page':28} {'text':>6}  "
          f"{'this site':>22}  {'mkdocs-jupyter default':>24}")
    for notebook in notebooks:
        plain = min(plains, key=lambda s: abs(lengths[s] - lengths[notebook]))
        ours, base = weigh(site, notebook), weigh(default_site, notebook)
        plain_bytes = built_path(site, plain).stat().st_size
        plain_default = built_path(default_site, plain).stat().st_size
        print(f"   {notebook:42} {lengths[notebook]:6d}  {plain:28} {lengths[plain]:6d}  "
              f"{ours['html']:7d}/{plain_bytes:6d} = {ours['html'] / plain_bytes:4.2f}x  "
              f"{base['html']:8d}/{plain_default:6d} = {base['html'] / plain_default:5.1f}x")
        plain_gzip = len(gzip.compress(built_path(site, plain).read_bytes()))
        print(f"   {'':42} {'':6}  {'  gzip-compressed':28} {'':6}  "
              f"{ours['gzip']:7d}/{plain_gzip:6d} = {ours['gzip'] / plain_gzip:4.2f}x  "
              f"{'figures now separate files:':>24} {ours['figures']} bytes")


# ---------------------------------------------------------------------------
# 2. Math speed
# ---------------------------------------------------------------------------


def math_heaviest(site):
    return max((s for s in nav_sources() if s.endswith(".md")),
               key=lambda s: built_path(site, s).read_text(encoding="utf-8").count('class="arithmatex"'))


def time_math(browser, url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.add_init_script(PROBE)
        page.goto(url, wait_until="load")
        page.wait_for_function("window.__fontsAt !== undefined", timeout=60000)
        return page.evaluate("[window.__typesetAt, window.__fontsAt]")
    finally:
        context.close()


def math_speed(browser, sites, source):
    """sites: {name: base URL}, this site first; each compared with the MathJax recipe."""
    times = {name: [] for name in sites}
    for _ in range(RUNS):  # alternating, so a busy moment of the machine hits every site
        for name, base in sites.items():
            times[name].append(time_math(browser, url_of(base, source)))
    median = {name: (statistics.median(t for t, _ in v), statistics.median(f for _, f in v))
              for name, v in times.items()}
    baseline = median[MATHJAX_NAME]
    print(f"\n2. Math speed on {source} (the math-heaviest page), median of {RUNS} alternating runs each")
    for index, label in enumerate(("every formula typeset", "... and its fonts loaded")):
        print(f"   navigation start -> {label}:")
        for name in sites:
            if name != MATHJAX_NAME:
                ms = median[name][index]
                print(f"     {name:34} {ms:6.0f} ms / {MATHJAX_NAME} {baseline[index]:6.0f} ms = "
                      f"{ms / baseline[index]:.2f}")


# ---------------------------------------------------------------------------
# 3. First visit of the landing page
# ---------------------------------------------------------------------------


def first_visit(browser, base):
    """Bytes of every response a fresh context receives for the landing page, by type."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    responses = []
    context.on("response", lambda response: responses.append(response))
    try:
        page = context.new_page()
        page.goto(base + "/", wait_until="load")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)  # the search worker fetches its index after load
        by_type, compressed = {}, 0
        for response in responses:
            try:
                body = response.body()
            except Exception:  # a redirect or an aborted request has no body
                continue
            kind = response.request.resource_type
            by_type[kind] = by_type.get(kind, 0) + len(body)
            compressed += len(gzip.compress(body))
        return by_type, compressed, len(responses)
    finally:
        context.close()


def landing(browser, sites):
    print("\n3. First visit of the landing page: bytes of every response, fresh browser context")
    for name, base in sites.items():
        by_type, compressed, count = first_visit(browser, base)
        total = sum(by_type.values())
        parts = ", ".join(f"{kind} {size:,}" for kind, size in sorted(by_type.items(), key=lambda kv: -kv[1]))
        print(f"   {name:28} {total:10,} bytes in {count} responses ({compressed:,} if gzip-compressed): {parts}")


def main():
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        sites = {name: Path(tmp) / name for name in ("site", "mathjax", "client-katex", "default")}
        seconds = [mkdocs_build(sites["site"]), build_mathjax_recipe(sites["mathjax"]),
                   build_client_katex(sites["client-katex"]),
                   mkdocs_build(sites["default"], "default-notebooks")]
        print("builds (s): this site {:.0f}, MathJax recipe {:.0f}, client-side KaTeX {:.0f}, "
              "default notebook pages {:.0f}".format(*seconds))
        page_weight(sites["site"], sites["default"])
        source = math_heaviest(sites["site"])
        floor_copy(sites["site"], Path(tmp) / "floor", source)
        with served(sites["site"]) as ours, served(sites["mathjax"]) as mathjax, \
                served(sites["client-katex"]) as client, served(Path(tmp) / "floor") as floor, \
                sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            try:
                math_speed(browser, {"this site (KaTeX at build time)": ours,
                                     "KaTeX in the browser (before)": client,
                                     "no math at all (formulas emptied)": floor, MATHJAX_NAME: mathjax}, source)
                landing(browser, {"this site": ours, MATHJAX_NAME: mathjax})
            finally:
                browser.close()


if __name__ == "__main__":
    main()
