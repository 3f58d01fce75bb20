// Render TeX to HTML with the site's KaTeX, for docs_build/katex.py.
// stdin: [{"tex": "...", "display": bool}, ...]   stdout: [{"html": "..."} or {"error": "..."}, ...]
// One process renders every formula of a build, so node and KaTeX load once.
"use strict";

const path = require("path");
const katex = require(path.join(__dirname, "..", "node_modules", "katex"));

function render(item) {
  try {
    // throwOnError: a formula KaTeX cannot parse fails the build instead of
    // reaching a reader as red source text.
    return { html: katex.renderToString(item.tex, { displayMode: item.display, throwOnError: true }) };
  } catch (error) {
    return { error: String(error.message || error) };
  }
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => { process.stdout.write(JSON.stringify(JSON.parse(input).map(render))); });
