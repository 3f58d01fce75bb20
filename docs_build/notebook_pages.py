"""Make a notebook page (mkdocs-jupyter's HTML) as light as a Markdown page.

What nbconvert and mkdocs-jupyter put on every notebook page, and what becomes of it:

- figures inlined as base64 PNG: written beside the page as files, with an alt text
  taken from the figure's title and axis labels in the cell's code;
- "In [3]:" and "Out[3]:" prompts (hidden on this site anyway): removed;
- cell ids "cell-id=<id>", which no CSS selector can name unescaped: "cell-<id>";
- mkdocs-jupyter's own copy button, its script and a hidden second copy of every
  cell's source: removed; each cell becomes `<pre><code>`, so Material adds the
  same copy button as on every other page;
- a Mermaid loader script (with CDN addresses): removed when the notebook has no
  Mermaid diagram;
- cell outputs: kept on the page, left out of the search index;
- consecutive printed outputs: one block, as in Jupyter;
- JupyterLab's layout wrappers (collapsers, editors, input and output areas, a second
  cell wrapper mkdocs-jupyter adds): dropped, so a cell is one element holding its
  text, or its code and outputs.

The JupyterLab CSS and MathJax loader are removed by docs_build/site_hooks.py.
"""

import ast
import base64
import hashlib
import posixpath
import struct

from bs4 import BeautifulSoup, Comment
from mkdocs.structure.files import File

FALLBACK_ALT = "Figure drawn by the code cell above"
_IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif"}
# matplotlib calls whose first argument says what a figure shows
_LABELS = {"set_title": "title", "suptitle": "title", "title": "title",
           "set_xlabel": "x", "xlabel": "x", "set_ylabel": "y", "ylabel": "y"}
_SCALES = {"set_xscale": "x", "xscale": "x", "set_yscale": "y", "yscale": "y"}


def lean(html, page, config, files):
    soup = BeautifulSoup(html, "html.parser")
    _drop_notebook_scripts(soup)
    sources = _code_cells_to_material(soup)
    for prompt in soup.select(".jp-InputPrompt, .jp-OutputPrompt"):
        prompt.decompose()
    for cell in soup.select('[id^="cell-id="]'):
        # Material builds CSS selectors from ids (its copy button targets
        # "#<id> > code"), and "=" breaks them: id="cell-id=c6fab76f" -> "cell-c6fab76f".
        cell["id"] = "cell-" + cell["id"][len("cell-id="):]
    _figures_to_files(soup, sources, page, config, files)
    _exclude_outputs_from_search(soup)
    _flatten(soup)
    _drop_filler(soup)
    return str(soup)


def _drop_notebook_scripts(soup):
    has_mermaid = bool(soup.select(".jp-Mermaid"))
    for script in soup.find_all("script"):
        text = script.string or ""
        if "ClipboardCopyElement" in text or "'clipboard-copy'" in text:
            script.decompose()
        elif "mermaid" in text and not has_mermaid:
            script.decompose()
    for comment in soup.find_all(string=lambda text: isinstance(text, Comment)):
        if "mermaid" in comment:
            comment.extract()


def _code_cells_to_material(soup):
    """Replace mkdocs-jupyter's copy widget by Material's: Material adds its copy
    button to every `pre > code`. Returns [(code cell, its source)] in page order."""
    sources = []
    for widget in soup.select(".zeroclipboard-container, .clipboard-copy-txt"):
        widget.decompose()
    for cell in soup.select(".jp-CodeCell"):
        pre = cell.select_one(".jp-InputArea .highlight-ipynb > pre")
        if pre is None or pre.find("code", recursive=False):
            continue
        code = soup.new_tag("code")
        for child in list(pre.contents):
            code.append(child.extract())
        pre.append(code)
        sources.append((cell, code.get_text()))
    return sources


def _exclude_outputs_from_search(soup):
    """Material's search leaves out elements marked data-search-exclude. Its parser
    tracks excluded elements by tag name, so a nested element of the same tag
    would end the exclusion early: mark every element of the output, not only
    the outermost."""
    for area in soup.select(".jp-OutputArea"):
        area["data-search-exclude"] = ""
        for element in area.find_all(True):
            element["data-search-exclude"] = ""
    for link in soup.select("a.anchor-link"):  # the "¶" after each heading
        link["data-search-exclude"] = ""


def _flatten(soup):
    """A markdown cell becomes one div of its text; a code cell one div of its code
    block and, if it printed or drew anything, its output area."""
    for outer in soup.select(".jp-Cell"):
        if outer.find(class_="jp-Cell", recursive=False):  # mkdocs-jupyter's extra wrapper
            outer.unwrap()
    for notebook in soup.select(".jp-Notebook"):
        notebook.unwrap()
    for cell in soup.select(".jp-Cell"):
        if "jp-MarkdownCell" in cell["class"]:
            text = cell.select_one(".jp-MarkdownOutput")
            keep = [text] if text else []
            cell["class"] = ["jp-Cell", "jp-MarkdownCell", "jp-MarkdownOutput"]
        elif "jp-CodeCell" in cell["class"]:
            keep = [cell.select_one(".highlight-ipynb"), cell.select_one(".jp-OutputArea")]
            cell["class"] = ["jp-Cell", "jp-CodeCell"]
        else:
            continue
        parts = [part.extract() for part in keep if part is not None]
        cell.clear()
        for part in parts:
            cell.append(part)
        if "jp-MarkdownCell" in cell["class"] and parts:
            parts[0].unwrap()
    for child in soup.select(".jp-OutputArea-child"):
        child.unwrap()
    _merge_printed_outputs(soup)


def _merge_printed_outputs(soup):
    """Consecutive printed outputs of one stream (each print in a loop can arrive as
    its own output) become one block, as Jupyter shows them."""
    for area in soup.select(".jp-OutputArea"):
        previous = None
        for output in area.find_all("div", class_="jp-RenderedText", recursive=False):
            same = (previous is not None and output.find_previous_sibling("div") is previous
                    and previous.get("data-mime-type") == output.get("data-mime-type"))
            pre, previous_pre = output.find("pre"), previous and previous.find("pre")
            if same and pre is not None and previous_pre is not None:
                for node in list(pre.contents):
                    previous_pre.append(node.extract())
                output.decompose()
            else:
                previous = output


def _drop_filler(soup):
    """Bytes that show nothing: comments, runs of blank lines between tags, and
    Pygments' whitespace tokens and empty lead span inside code."""
    for comment in soup.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()
    for text in soup.find_all(string=lambda text: not text.strip() and "\n" in text):
        if text.find_parent("pre") is None:
            text.replace_with("\n")
    for code in soup.select(".highlight-ipynb pre > code"):
        for span in code.find_all("span", recursive=False):
            if span.get("class") == ["w"] or (not span.attrs and not span.contents):
                span.unwrap() if span.contents else span.decompose()


# ---------------------------------------------------------------------------
# Figures: files beside the page, alt text from the cell's code
# ---------------------------------------------------------------------------


def _figures_to_files(soup, sources, page, config, files):
    folder = posixpath.dirname(page.file.dest_uri)
    for index, (cell, source) in enumerate(sources):
        images = [img for img in cell.select(".jp-OutputArea img") if img.get("src", "").startswith("data:")]
        if not images:
            continue
        earlier = [text for _, text in sources[:index]]
        alts = figure_alts(source, earlier, len(images))
        for img, alt in zip(images, alts):
            header, _, payload = img["src"].partition(",")
            kind = header[len("data:"):].split(";")[0]
            if kind not in _IMAGE_TYPES or ";base64" not in header:
                continue
            data = base64.b64decode(payload)
            name = f"figure-{hashlib.sha256(data).hexdigest()[:12]}.{_IMAGE_TYPES[kind]}"
            dest = posixpath.join(folder, name)
            if files.get_file_from_path(dest) is None:
                files.append(File.generated(config, dest, content=data))
            img["src"] = name
            img["alt"] = alt
            img["loading"] = "lazy"
            size = _png_size(data) if kind == "image/png" else None
            if size and not img.get("width"):
                img["width"], img["height"] = size
            if img.get("class") == [""] or img.get("class") == []:
                del img["class"]


def _png_size(data):
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        return struct.unpack(">II", data[16:24])
    return None


def figure_alts(source, earlier_sources, count):
    """Alt texts for the count figures a code cell draws, from the title and axis
    labels its matplotlib calls set (following calls into functions the notebook
    defined); the fallback names where the figure comes from."""
    namespace, functions = {}, {}
    for text in [*earlier_sources, source]:
        tree = _parse(text)
        for node in tree.body if tree else ():
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                try:
                    namespace[node.targets[0].id] = ast.literal_eval(node.value)
                except (ValueError, TypeError, SyntaxError):
                    pass
            elif isinstance(node, ast.FunctionDef):
                functions[node.name] = node
    tree = _parse(source)
    if tree is None:
        return [FALLBACK_ALT] * count
    figures, own = [], {}
    for node in tree.body:
        call = node.value if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) else None
        if call and isinstance(call.func, ast.Name) and call.func.id in functions:
            local = _bind(functions[call.func.id], call, namespace)
            found = _labels(functions[call.func.id], local)
            if found:
                figures.append(_describe(found))
        elif not isinstance(node, ast.FunctionDef):
            for key, value in _labels(node, namespace).items():
                own.setdefault(key, value)
    if own:
        figures.append(_describe(own))
    if len(figures) == count:
        return figures
    if figures:
        return ["; ".join(figures)] * count
    return [FALLBACK_ALT] * count


def _parse(text):
    # IPython magics and shell escapes are not Python.
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(("%", "!")))
    try:
        return ast.parse(text)
    except SyntaxError:
        return None


def _value(node, namespace):
    """The value of a title expression (a string, an f-string of known names)."""
    try:
        code = compile(ast.Expression(body=node), "<figure label>", "eval")
        value = eval(code, {"__builtins__": {}}, dict(namespace))  # noqa: S307 (the notebook's own code)
    except Exception:
        return None
    return value if isinstance(value, str) and value.strip() else None


def _bind(function, call, namespace):
    local = dict(namespace)
    args = function.args
    positional = args.args
    for param, default in zip(positional[len(positional) - len(args.defaults):], args.defaults):
        value = _literal_or_none(default, namespace)
        if value is not None:
            local[param.arg] = value
    for param, arg in zip(positional, call.args):
        value = _literal_or_none(arg, namespace)
        if value is not None:
            local[param.arg] = value
    for keyword in call.keywords:
        value = _literal_or_none(keyword.value, namespace)
        if keyword.arg and value is not None:
            local[keyword.arg] = value
    return local


def _literal_or_none(node, namespace):
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError):
        return _value(node, namespace)


def _labels(tree, namespace):
    found = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
        if name in _LABELS:
            value = _value(node.args[0], namespace)
            if value:
                found.setdefault(_LABELS[name], value)
        elif name in _SCALES:
            value = _value(node.args[0], namespace)
            if value and value != "linear":
                found.setdefault(_SCALES[name] + "scale", value)
    return found


def _describe(found):
    """'Plot: <title>. <y label> (log scale) against <x label>.'"""
    parts = []
    if "title" in found:
        parts.append(f"Plot: {found['title']}.")
    axes = []
    for axis in ("y", "x"):
        if axis in found:
            scale = found.get(axis + "scale")
            axes.append(found[axis] + (f" ({scale} scale)" if scale else ""))
    if len(axes) == 2:
        parts.append(f"{axes[0][0].upper()}{axes[0][1:]} against {axes[1]}.")
    elif axes:
        parts.append(f"{axes[0][0].upper()}{axes[0][1:]}.")
    return " ".join(parts) or FALLBACK_ALT
