// A notebook cell's copy button copies the program up to and including the cell: the
// code of every cell above it, then its own (docs_build/copies.py, notebook_cells).
// Each cell's code is on the page once. A cell whose copy differs from what it shows
// (the one that imports the snippet modules, which its copy writes out) carries its
// copy in data-cell. Just before Material's copy button reads the cell's data-copy,
// this listener (capture phase, so it runs first) puts the program there.
document.addEventListener("click", event => {
  const button = event.target.closest(".notebook button.md-code__button[data-md-type='copy']")
  if (!button) return
  const cell = button.closest(".notebook-input")
  const cells = [...document.querySelectorAll(".notebook .notebook-input")]
  cell.dataset.copy = cells.slice(0, cells.indexOf(cell) + 1)
    .map(c => c.dataset.cell ?? c.querySelector("pre > code").textContent.trimEnd())
    .join("\n\n")
}, true)
