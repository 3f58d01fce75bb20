// Render TeX to HTML with the site's KaTeX, for docs_build/katex.py.
// One request per line on stdin: {"items": [{"tex": "...", "display": bool}, ...]}
// One answer per line on stdout: {"results": [{"html": "..."} or {"error": "..."}, ...]}
// The process lives for a whole build, so node and KaTeX load once.
"use strict";

const path = require("path");
const readline = require("readline");

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

const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  const request = JSON.parse(line);
  process.stdout.write(JSON.stringify({ results: request.items.map(render) }) + "\n");
});
