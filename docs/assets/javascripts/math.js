// Typeset every formula on the page with the site's own KaTeX.
// Markdown pages: pymdownx.arithmatex (generic) wraps math in .arithmatex
// elements as \( ... \) or \[ ... \]. Notebook pages: markdown cells keep
// Jupyter's $ ... $ and $$ ... $$. Material's document$ fires on the first
// load and after every instant navigation.
(function () {
  "use strict";

  var INLINE = /^\\\(([\s\S]*)\\\)$/;
  var DISPLAY = /^\\\[([\s\S]*)\\\]$/;

  function typesetArithmatex(root) {
    root.querySelectorAll(".arithmatex").forEach(function (el) {
      if (el.dataset.typeset) return;
      var text = el.textContent.trim();
      var display = DISPLAY.exec(text);
      var inline = INLINE.exec(text);
      var tex = display ? display[1] : inline ? inline[1] : text;
      katex.render(tex, el, {
        displayMode: Boolean(display) || el.tagName === "DIV",
        throwOnError: false,
      });
      el.dataset.typeset = "true";
    });
  }

  function typesetNotebook(root) {
    root.querySelectorAll(".jp-MarkdownOutput").forEach(function (el) {
      renderMathInElement(el, {
        delimiters: [
          { left: "$$", right: "$$", display: true },
          { left: "\\[", right: "\\]", display: true },
          { left: "$", right: "$", display: false },
          { left: "\\(", right: "\\)", display: false },
        ],
        throwOnError: false,
      });
    });
  }

  function typeset() {
    var root = document.querySelector(".md-content") || document.body;
    typesetArithmatex(root);
    typesetNotebook(root);
    document.body.dataset.mathTypeset = "true";
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(typeset);
  } else {
    document.addEventListener("DOMContentLoaded", typeset);
  }
})();
