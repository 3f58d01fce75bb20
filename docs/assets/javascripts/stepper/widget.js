// The backpropagation stepper: the backpropagation page's network as a computational
// graph, computed one node per press of Forward, then differentiated one node per
// press of Backward. Every element with class "bp-stepper" becomes one stepper; its
// data attributes hold the starting values (all required):
//   data-x="1 0.5"  data-y="1"  data-w1="0.5 -0.3; 0.8 0.2"  data-b1="0.1 -0.1"
//   data-w2="1 -0.7"  data-b2="0.2"
// (rows of W1 separated by ";"). The maths lives in graph.js. On a page without such
// an element this script does nothing.
//
// Test hook: element.stepper is the Stepper below: forward(), backward(), reset(),
// state() (the parameters, the steps done, and every value and gradient).
import { element } from "../dom.js";
import * as graph from "./graph.js";

const SVG = "http://www.w3.org/2000/svg";
const SUB = "₀₁₂₃₄₅₆₇₈₉";
const sub = (n) => String(n).split("").map((c) => SUB[Number(c)]).join("");
const Y_HAT = "y\u0302";

/** 4 decimals, with a true minus sign: what the reader sees (the tests read it back). */
export function fmt(v) {
  if (!Number.isFinite(v)) return String(v);
  return (v < 0 || Object.is(v, -0) ? "\u2212" : "") + Math.abs(v).toFixed(4);
}

const live = new Set();
let uid = 0;

function svg(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, value);
  if (text !== undefined) el.textContent = text;
  return el;
}

const numbers = (text) => text.trim().split(/[\s,]+/).map(Number);

/** The page's values from the element's data attributes. */
function parseParams(data) {
  return {
    x: numbers(data.x),
    y: Number(data.y),
    W1: data.w1.split(";").map(numbers),
    b1: numbers(data.b1),
    W2: [numbers(data.w2)],
    b2: numbers(data.b2),
  };
}

// --- Geometry: the graph flows top to bottom, one row per kind of node -------------

const WIDTH = 400;
const NODE_W = 150;
const LINE = 16;
const EDGE_LABEL_W = 100;

function layout(p) {
  const d = p.x.length;
  const h = p.W1.length;
  const col = (i, n) => (WIDTH * (i + 0.5)) / n;
  const rows = {};
  let top = 10;
  const row = (name, lines, gap) => {
    rows[name] = { top, height: 12 + lines * LINE };
    top += rows[name].height + gap;
  };
  row("x", 2, 140);
  row("z", 4, 60);
  row("a", 2, 100);
  row("y_hat", 4, 60);
  row("L", 2, 10);
  const node = (kind, cx, w = NODE_W) => ({ kind, cx, w, ...rows[kind] });
  return {
    height: top,
    x: Array.from({ length: d }, (_, r) => node("x", col(r, d))),
    z: Array.from({ length: h }, (_, j) => node("z", col(j, h))),
    a: Array.from({ length: h }, (_, j) => node("a", col(j, h))),
    y_hat: node("y_hat", WIDTH / 2),
    target: node("y_hat", WIDTH - 48, 88),
    L: node("L", WIDTH / 2),
  };
}

const bottom = (n) => ({ x: n.cx, y: n.top + n.height });
const topOf = (n) => ({ x: n.cx, y: n.top });
const along = (p, q, t) => ({ x: p.x + (q.x - p.x) * t, y: p.y + (q.y - p.y) * t });

// --- The widget -----------------------------------------------------------------------

export class Stepper {
  constructor(root) {
    this.root = root;
    this.id = `bp-stepper-${++uid}`;
    this.defaults = parseParams(root.dataset);
    this.params = structuredClone(this.defaults);
    this.build();
    this.reset();
    live.add(this);
  }

  get forwardOrder() {
    return graph.forwardOrder(this.params);
  }

  get backwardOrder() {
    return graph.backwardOrder(this.params);
  }

  // The fields, the buttons and the live region; then the graph.
  build() {
    const p = this.params;
    this.fields = [];
    const field = (label, name, get, set) => {
      const id = `${this.id}-${this.fields.length}`;
      const input = element("input", { id, type: "number", step: "any", inputmode: "decimal",
        class: "bp-stepper__input" });
      input.addEventListener("input", () => {
        const v = input.value.trim() === "" ? NaN : Number(input.value);
        input.setAttribute("aria-invalid", String(!Number.isFinite(v)));
        if (!Number.isFinite(v)) return;
        set(v);
        this.compute();
        this.render();
        this.say(`${name} is now ${input.value}: every number shown is recomputed.`);
      });
      this.fields.push({ input, get });
      return element("div", { class: "bp-stepper__field" }, [
        element("label", { for: id }, label), input]);
    };
    const lab = (base, ...idx) => {
      const s = element("sub", { text: idx[0] });
      return [base, s, ...(idx.length > 1 ? [`[${idx.slice(1).join(",")}]`] : [])];
    };
    const groups = [
      ["Input and target", [
        ...p.x.map((_, r) => field(lab("x", String(r + 1)), `x${r + 1}`, () => this.params.x[r],
          (v) => { this.params.x[r] = v; })),
        field(["y"], "y", () => this.params.y, (v) => { this.params.y = v; }),
      ]],
      ["Hidden layer", [
        ...p.W1.flatMap((row, j) => row.map((_, r) => field(lab("W", "1", j + 1, r + 1),
          `W1[${j + 1},${r + 1}]`, () => this.params.W1[j][r], (v) => { this.params.W1[j][r] = v; }))),
        ...p.b1.map((_, j) => field(lab("b", "1", j + 1), `b1[${j + 1}]`, () => this.params.b1[j],
          (v) => { this.params.b1[j] = v; })),
      ]],
      ["Output layer", [
        ...p.W2[0].map((_, j) => field(lab("W", "2", 1, j + 1), `W2[1,${j + 1}]`,
          () => this.params.W2[0][j], (v) => { this.params.W2[0][j] = v; })),
        field(lab("b", "2"), "b2", () => this.params.b2[0], (v) => { this.params.b2[0] = v; }),
      ]],
    ];
    const fieldsets = groups.map(([legend, fields]) => element("fieldset", { class: "bp-stepper__group" },
      [element("legend", { text: legend }), ...fields]));

    this.forwardButton = element("button", { type: "button", class: "md-button md-button--primary",
      text: "Forward" });
    this.backwardButton = element("button", { type: "button", class: "md-button md-button--primary",
      text: "Backward" });
    this.resetButton = element("button", { type: "button", class: "md-button", text: "Reset" });
    this.forwardButton.addEventListener("click", () => this.forward());
    this.backwardButton.addEventListener("click", () => this.backward());
    this.resetButton.addEventListener("click", () => {
      this.reset();
      this.say("Reset: the page's values, nothing computed yet.");
    });
    this.progress = element("p", { class: "bp-stepper__progress" });
    this.status = element("p", { class: "bp-stepper__status", role: "status", "aria-live": "polite" });

    this.svg = svg("svg", { class: "bp-stepper__graph", role: "img",
      "aria-label": "The computational graph: inputs x at the top, weighted sums z, activations a, "
        + "the prediction y-hat and the loss L at the bottom; each weight labels its edge. "
        + "The status line above reads out every step." });
    // the buttons and what they did first, beside the top of the graph; the fields below
    const controls = element("div", { class: "bp-stepper__controls" }, [
      element("div", { class: "bp-stepper__buttons" },
        [this.forwardButton, this.backwardButton, this.resetButton]),
      this.progress, this.status, ...fieldsets,
    ]);
    this.root.replaceChildren(element("div", { class: "bp-stepper__body" }, [
      controls, element("div", { class: "bp-stepper__view" }, [this.svg, this.buildTable()])]));
    this.drawGraph();
  }

  // The same numbers as a table, for a screen reader and for a small screen.
  buildTable() {
    const p = this.params;
    this.cells = {};
    const rows = [];
    const row = (key, label) => {
      const cells = ["value", "grad"].map((part) => {
        const td = element("td", { "data-cell": `${key}:${part}` });
        this.cells[`${key}:${part}`] = td;
        return td;
      });
      rows.push(element("tr", {}, [element("th", { scope: "row", text: label }), ...cells]));
    };
    p.x.forEach((_, r) => row(`x${r + 1}`, `x${sub(r + 1)}`));
    p.W1.forEach((_, j) => row(`z${j + 1}`, `z${sub(j + 1)}`));
    p.W1.forEach((_, j) => row(`a${j + 1}`, `a${sub(j + 1)}`));
    row("y_hat", Y_HAT);
    row("L", "L");
    p.W1.forEach((r_, j) => r_.forEach((_, r) => row(`W1[${j + 1},${r + 1}]`, `W${sub(1)}[${j + 1},${r + 1}]`)));
    p.b1.forEach((_, j) => row(`b1[${j + 1}]`, `b${sub(1)}[${j + 1}]`));
    p.W2[0].forEach((_, j) => row(`W2[1,${j + 1}]`, `W${sub(2)}[1,${j + 1}]`));
    row("b2", `b${sub(2)}`);
    const head = element("tr", {}, ["node", "value", "∂L/∂ node"].map((text) =>
      element("th", { scope: "col", text })));
    return element("details", { class: "bp-stepper__numbers" }, [
      element("summary", { text: "Every number as a table" }),
      element("table", { class: "bp-stepper__table" }, [element("thead", {}, [head]), element("tbody", {}, rows)]),
    ]);
  }

  fillTable(values, grads) {
    const p = this.params;
    const v = this.values;
    const g = this.grads;
    const put = (key, value, grad, valueKnown, gradKnown) => {
      this.cells[`${key}:value`].textContent = valueKnown ? fmt(value) : "";
      this.cells[`${key}:grad`].textContent = gradKnown ? fmt(grad) : "";
    };
    p.x.forEach((x, r) => put(`x${r + 1}`, x, g.x[r], true, grads.has(`x${r + 1}`)));
    p.W1.forEach((row, j) => {
      const z = `z${j + 1}`;
      put(z, v.z[j], g.z[j], values.has(z), grads.has(z));
      put(`a${j + 1}`, v.a[j], g.a[j], values.has(`a${j + 1}`), grads.has(`a${j + 1}`));
      row.forEach((w, r) => put(`W1[${j + 1},${r + 1}]`, w, g.W1[j][r], true, grads.has(z)));
      put(`b1[${j + 1}]`, p.b1[j], g.b1[j], true, grads.has(z));
    });
    put("y_hat", v.y_hat, g.y_hat, values.has("y_hat"), grads.has("y_hat"));
    put("L", v.L, 1, values.has("L"), grads.has("L"));
    p.W2[0].forEach((w, j) => put(`W2[1,${j + 1}]`, w, g.W2[0][j], true, grads.has("y_hat")));
    put("b2", p.b2[0], g.b2[0], true, grads.has("y_hat"));
  }

  // The nodes and edges, drawn once; render() fills in their text.
  drawGraph() {
    const p = this.params;
    const g = layout(p);
    this.svg.setAttribute("viewBox", `0 0 ${WIDTH} ${g.height}`);
    const edges = svg("g", { class: "bp-stepper__edges" });
    const labels = svg("g", { class: "bp-stepper__labels" });
    const nodes = svg("g", { class: "bp-stepper__nodes" });
    this.svg.replaceChildren(edges, labels, nodes);
    this.slots = {}; // key -> SVG text element to fill
    this.boxes = {}; // key -> group to highlight

    const edge = (from, to, key, t, lines) => {
      const a = bottom(from);
      const b = topOf(to);
      const line = svg("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y, "data-edge": key });
      edges.append(line);
      const at = along(a, b, t);
      const height = 6 + lines * 14;
      const group = svg("g", { "data-edge": key, class: "bp-stepper__edge-label" });
      group.append(svg("rect", { x: at.x - EDGE_LABEL_W / 2, y: at.y - height / 2, width: EDGE_LABEL_W,
        height, rx: 4 }));
      for (let k = 0; k < lines; k++) {
        const text = svg("text", { x: at.x, y: at.y - height / 2 + 14 * (k + 1) - 1, "text-anchor": "middle",
          "data-slot": `${key}:${k}` });
        group.append(text);
        this.slots[`${key}:${k}`] = text;
      }
      labels.append(group);
      this.boxes[key] = group;
    };
    const node = (n, key, lines) => {
      const group = svg("g", { class: `bp-stepper__node bp-stepper__node--${n.kind}`, "data-node": key });
      group.append(svg("rect", { x: n.cx - n.w / 2, y: n.top, width: n.w, height: n.height, rx: 6 }));
      lines.forEach((cls, k) => {
        const text = svg("text", { x: n.cx, y: n.top + 6 + LINE * (k + 1) - 2, "text-anchor": "middle",
          class: `bp-stepper__${cls}`, "data-slot": `${key}:${cls}` });
        group.append(text);
        this.slots[`${key}:${cls}`] = text;
      });
      nodes.append(group);
      this.boxes[key] = group;
    };

    // weights on the edges from the inputs: crossing edges labelled near their tail,
    // straight ones near their head, so no two labels overlap
    p.W1.forEach((row, j) => row.forEach((_, r) => {
      edge(g.x[r], g.z[j], `W1[${j + 1},${r + 1}]`, r === j ? 0.72 : 0.25, 2);
    }));
    p.b1.forEach((_, j) => edge(g.z[j], g.a[j], `sigma${j + 1}`, 0.5, 1));
    p.W2[0].forEach((_, j) => edge(g.a[j], g.y_hat, `W2[1,${j + 1}]`, 0.45, 2));
    edge(g.y_hat, g.L, "dL", 0.5, 1);
    const t = bottom(g.target);
    edges.append(svg("line", { x1: t.x, y1: t.y, x2: g.L.cx + g.L.w / 2 - 10, y2: g.L.top, "data-edge": "y" }));

    g.x.forEach((n, r) => node(n, `x${r + 1}`, ["value", "grad"]));
    g.z.forEach((n, j) => node(n, `z${j + 1}`, ["value", "grad", "bias", "bias-grad"]));
    g.a.forEach((n, j) => node(n, `a${j + 1}`, ["value", "grad"]));
    node(g.y_hat, "y_hat", ["value", "grad", "bias", "bias-grad"]);
    node(g.target, "y", ["value", "grad"]);
    node(g.L, "L", ["value", "grad"]);
  }

  /** Back to the page's values, nothing computed. */
  reset() {
    this.params = structuredClone(this.defaults);
    this.fields.forEach(({ input, get }) => {
      input.value = String(get());
      input.setAttribute("aria-invalid", "false");
    });
    this.forwardDone = 0;
    this.backwardDone = 0;
    this.current = null;
    this.compute();
    this.render();
    this.say("");
  }

  compute() {
    const { values, grads } = graph.compute(this.params);
    this.values = values;
    this.grads = grads;
  }

  /** Compute the next node of the forward pass. */
  forward() {
    const order = this.forwardOrder;
    if (this.forwardDone >= order.length) {
      this.say("The forward pass is done: press Backward.");
      return;
    }
    const [kind, i] = order[this.forwardDone++];
    this.current = this.key(kind, i);
    this.render();
    this.say(this.forwardSentence(kind, i)
      + (this.forwardDone === order.length ? " Forward pass done: press Backward." : ""));
  }

  /** Compute the gradient of the next node of the backward pass. */
  backward() {
    const order = this.backwardOrder;
    if (this.forwardDone < this.forwardOrder.length) {
      this.say("Finish the forward pass first: the backward pass needs its values.");
      return;
    }
    if (this.backwardDone >= order.length) {
      this.say("The backward pass is done: press Reset to start again.");
      return;
    }
    const [kind, i] = order[this.backwardDone++];
    this.current = this.key(kind, i);
    this.render();
    this.say(this.backwardSentence(kind, i)
      + (this.backwardDone === order.length ? " Backward pass done: every gradient is known." : ""));
  }

  key(kind, i) {
    return kind === "y_hat" || kind === "L" ? kind : `${kind}${i + 1}`;
  }

  /** Which nodes have their value and their gradient, as sets of keys. */
  known() {
    const k = (list) => new Set(list.map(([kind, i]) => this.key(kind, i)));
    return {
      values: k([...this.params.x.map((_, r) => ["x", r]), ...this.forwardOrder.slice(0, this.forwardDone)]),
      grads: k(this.backwardOrder.slice(0, this.backwardDone)),
    };
  }

  forwardSentence(kind, i) {
    const v = this.values;
    const n = i + 1;
    if (kind === "z") {
      const terms = this.params.x.map((_, r) => `W1[${n},${r + 1}]·x${r + 1}`).join(" + ");
      return `Forward: z${n} = ${terms} + b1[${n}] = ${fmt(v.z[i])}.`;
    }
    if (kind === "a") return `Forward: a${n} = σ(z${n}) = ${fmt(v.a[i])}.`;
    if (kind === "y_hat") {
      const terms = this.params.W2[0].map((_, j) => `W2[1,${j + 1}]·a${j + 1}`).join(" + ");
      return `Forward: y-hat = ${terms} + b2 = ${fmt(v.y_hat)}.`;
    }
    return `Forward: L = (y-hat − y)² = ${fmt(v.L)}.`;
  }

  backwardSentence(kind, i) {
    const g = this.grads;
    const n = i + 1;
    if (kind === "L") return "Backward: ∂L/∂L = 1, the start of the backward pass.";
    if (kind === "y_hat") {
      return `Backward: ∂L/∂y-hat = 2(y-hat − y) = ${fmt(g.y_hat)}; so ∂L/∂b2 = ${fmt(g.b2[0])}`
        + ` and ∂L/∂W2[1,j] = ∂L/∂y-hat · aj: ${g.W2[0].map(fmt).join(", ")}.`;
    }
    if (kind === "a") return `Backward: ∂L/∂a${n} = ∂L/∂y-hat · W2[1,${n}] = ${fmt(g.a[i])}.`;
    if (kind === "z") {
      return `Backward: ∂L/∂z${n} = ∂L/∂a${n} · σ′(z${n}) = ${fmt(g.a[i])} · ${fmt(g.local.sigma[i])}`
        + ` = ${fmt(g.z[i])}; so ∂L/∂b1[${n}] = ${fmt(g.b1[i])} and ∂L/∂W1[${n},r] = ∂L/∂z${n} · xr:`
        + ` ${g.W1[i].map(fmt).join(", ")}.`;
    }
    const paths = this.params.W1.map((_, j) => `∂L/∂z${j + 1} · W1[${j + 1},${n}]`).join(" + ");
    return `Backward: ∂L/∂x${n} = ${paths} = ${fmt(g.x[i])}: x${n} feeds every z, so the paths add up.`;
  }

  // Fill every text of the graph from what is known so far.
  render() {
    const p = this.params;
    const v = this.values;
    const g = this.grads;
    const { values, grads } = this.known();
    const set = (slot, text) => {
      if (this.slots[slot].textContent !== text) this.slots[slot].textContent = text;
    };
    const grad = (key, name, value) => set(`${key}:grad`, grads.has(key) ? `∂L/∂${name} = ${fmt(value)}` : "");
    const value = (key, name, x) => set(`${key}:value`, values.has(key) ? `${name} = ${fmt(x)}` : name);
    p.x.forEach((x, r) => {
      const key = `x${r + 1}`;
      value(key, `x${sub(r + 1)}`, x);
      grad(key, `x${sub(r + 1)}`, g.x[r]);
    });
    p.W1.forEach((row, j) => {
      const key = `z${j + 1}`;
      value(key, `z${sub(j + 1)}`, v.z[j]);
      grad(key, `z${sub(j + 1)}`, g.z[j]);
      set(`${key}:bias`, `b${sub(1)}[${j + 1}] = ${fmt(p.b1[j])}`);
      set(`${key}:bias-grad`, grads.has(key) ? `∂L/∂b${sub(1)}[${j + 1}] = ${fmt(g.b1[j])}` : "");
      value(`a${j + 1}`, `a${sub(j + 1)}`, v.a[j]);
      grad(`a${j + 1}`, `a${sub(j + 1)}`, g.a[j]);
      row.forEach((w, r) => {
        const e = `W1[${j + 1},${r + 1}]`;
        set(`${e}:0`, `W${sub(1)}[${j + 1},${r + 1}] = ${fmt(w)}`);
        set(`${e}:1`, grads.has(key) ? `∂L/∂w = ${fmt(g.W1[j][r])}` : "");
      });
      set(`sigma${j + 1}:0`, grads.has(key) ? `σ′(z${sub(j + 1)}) = ${fmt(g.local.sigma[j])}` : "σ");
    });
    p.W2[0].forEach((w, j) => {
      const e = `W2[1,${j + 1}]`;
      set(`${e}:0`, `W${sub(2)}[1,${j + 1}] = ${fmt(w)}`);
      set(`${e}:1`, grads.has("y_hat") ? `∂L/∂w = ${fmt(g.W2[0][j])}` : "");
    });
    value("y_hat", Y_HAT, v.y_hat);
    grad("y_hat", Y_HAT, g.y_hat);
    set("y_hat:bias", `b${sub(2)} = ${fmt(p.b2[0])}`);
    set("y_hat:bias-grad", grads.has("y_hat") ? `∂L/∂b${sub(2)} = ${fmt(g.b2[0])}` : "");
    set("y:value", `y = ${fmt(p.y)}`);
    set("y:grad", "target");
    set("dL:0", grads.has("y_hat") ? `2(${Y_HAT} − y) = ${fmt(g.local.L)}` : `(${Y_HAT} − y)²`);
    value("L", "L", v.L);
    grad("L", "L", 1);
    for (const [key, box] of Object.entries(this.boxes)) {
      const node = box.dataset.node;
      box.classList.toggle("is-known", node !== undefined && (values.has(node) || node === "y"));
      box.classList.toggle("is-current", key === this.current
        || (this.current !== null && key.startsWith(`W`) && this.currentWeights().has(key)));
    }
    this.fillTable(values, grads);
    const fwd = this.forwardOrder.length;
    const bwd = this.backwardOrder.length;
    this.progress.textContent = `Forward ${this.forwardDone} of ${fwd} · backward ${this.backwardDone} of ${bwd}`;
    this.forwardButton.setAttribute("aria-disabled", String(this.forwardDone >= fwd));
    this.backwardButton.setAttribute("aria-disabled", String(this.forwardDone < fwd || this.backwardDone >= bwd));
  }

  /** The weights whose gradient the current backward step found (the edges into it). */
  currentWeights() {
    if (this.backwardDone === 0 || this.current === null) return new Set();
    if (this.current === "y_hat") return new Set(this.params.W2[0].map((_, j) => `W2[1,${j + 1}]`));
    const m = /^z(\d+)$/.exec(this.current);
    if (!m) return new Set();
    return new Set(this.params.x.map((_, r) => `W1[${m[1]},${r + 1}]`));
  }

  say(message) {
    if (this.status.textContent !== message) this.status.textContent = message;
  }

  /** For the tests: what is computed so far, and every value and gradient. */
  state() {
    return { params: structuredClone(this.params), forwardDone: this.forwardDone,
      backwardDone: this.backwardDone, values: structuredClone(this.values),
      grads: structuredClone(this.grads) };
  }
}

// --- Set-up on every page load, including instant navigation -----------------------

function setUp() {
  for (const instance of live) if (!instance.root.isConnected) live.delete(instance);
  document.querySelectorAll(".bp-stepper").forEach((el) => {
    if (!el.stepper) el.stepper = new Stepper(el);
  });
}

if (typeof document$ !== "undefined") document$.subscribe(setUp);
else setUp();
