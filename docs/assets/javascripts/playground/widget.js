// The playground widget: controls, the decision surface and the loss curve.
// Every element with class "nn-playground" becomes one playground, configured by
// data attributes (all optional):
//   data-shape="2-5-4-1"  data-lr="0.1"  data-activation="tanh"  data-init="xavier"
//   data-loss="mse"  data-dataset="xor"  data-seed="1"
// The maths lives in nn.js. Material's document$ emits on the first load and after
// every instant navigation, so new elements are set up on each emission.
//
// Test hook: element.playground is the Playground below. Besides the buttons it
// offers step(n), reset(), run(), pause(), losses (loss after 0, 1, 2... steps),
// weights() (a copy of W and b), settings and running.
import { element } from "../dom.js";
import * as nn from "./nn.js";

const STEPS_PER_FRAME = 4;
const MAX_STEPS = 20000; // a run stops here, so a forgotten tab does not spin forever
const LR_RANGE = [-3, 1]; // the slider moves log10(lr) from 0.001 to 10
const LOSS_FLOOR = 1e-10; // the loss plot's lowest line; smaller losses sit on it
const SURFACE_CELLS = 64; // the decision surface is sampled on a 64 x 64 grid
const UNIT_CELLS = 20;
const DEFAULTS = {
  shape: "2-4-1", lr: "0.1", activation: "tanh", init: "xavier", loss: "mse",
  dataset: "xor", seed: "1",
};

const live = new Set();
let uid = 0;

// --- Small helpers -------------------------------------------------------------

function options(table) {
  return Object.entries(table).map(([value, { label }]) => element("option", { value, text: label }));
}

/** log10(lr) on the slider -> lr rounded to 3 significant digits, shown as used. */
const lrFromSlider = (v) => Number((10 ** Number(v)).toPrecision(3));

function formatNumber(x) {
  if (!Number.isFinite(x)) return String(x);
  const size = Math.abs(x);
  return size !== 0 && (size >= 1e4 || size < 1e-3) ? x.toExponential(2) : x.toFixed(3);
}

/** Parse "5-4" into [5, 4]: one to four hidden layers of 1 to 16 units. */
function parseHidden(text) {
  const parts = text.trim().split(/\s*[-,\s]\s*/);
  if (parts.length < 1 || parts.length > 4) return null;
  const sizes = parts.map(Number);
  return sizes.every((n) => Number.isInteger(n) && n >= 1 && n <= 16) ? sizes : null;
}

/** The colour a CSS value resolves to inside root, as [r, g, b, a] in 0..255 and 0..1. */
function resolveColor(root, value) {
  const probe = element("span", { hidden: true });
  probe.style.color = value;
  root.append(probe);
  const text = getComputedStyle(probe).color;
  probe.remove();
  const [r, g, b, a = 1] = (text.match(/[\d.]+/g) || [0, 0, 0]).map(Number);
  return [r, g, b, a];
}

const css = ([r, g, b, a]) => `rgba(${r}, ${g}, ${b}, ${a})`;

/** Mix colour c over the background bg with weight t in [0, 1]; opaque result. */
function mix(bg, c, t) {
  return [0, 1, 2].map((k) => Math.round(bg[k] + (c[k] - bg[k]) * t));
}

/** Size a canvas's backing store to its CSS box; returns its context and size. */
function fit(canvas) {
  const dpr = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(canvas.clientWidth * dpr));
  const height = Math.max(1, Math.round(canvas.clientHeight * dpr));
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { ctx, width: width / dpr, height: height / dpr };
}

// --- The widget ------------------------------------------------------------------

export class Playground {
  constructor(root) {
    this.root = root;
    this.id = `nn-playground-${++uid}`;
    const data = { ...DEFAULTS, ...root.dataset };
    // an unknown value in the page's data attributes falls back to the default
    const pick = (name, table) => (data[name] in table ? data[name] : DEFAULTS[name]);
    const sizes = data.shape.split("-").map(Number); // 2 inputs, hidden sizes, 1 output
    const lr = Number(data.lr);
    this.settings = {
      hidden: parseHidden(sizes.slice(1, -1).join("-")) || [4],
      lr: lr > 0 ? lr : Number(DEFAULTS.lr),
      activation: pick("activation", nn.ACTIVATIONS),
      init: pick("init", nn.INITS),
      loss: pick("loss", nn.LOSSES),
      dataset: pick("dataset", nn.DATASETS),
      seed: Math.max(0, Math.floor(Number(data.seed)) || 0),
    };
    this.running = false;
    this.build();
    this.reset();
    this.resizeObserver = new ResizeObserver(() => this.render());
    this.resizeObserver.observe(this.views);
    live.add(this);
  }

  // The controls, each with a visible label; every one works from the keyboard.
  build() {
    const s = this.settings;
    const id = (name) => `${this.id}-${name}`;
    this.inputs = {};
    const field = (name, label, control, extra = []) =>
      element("div", { class: "nn-playground__field" }, [
        element("label", { for: id(name), text: label }), control, ...extra]);

    this.inputs.dataset = element("select", { id: id("dataset") }, options(nn.DATASETS));
    this.inputs.hidden = element("input", {
      id: id("hidden"), type: "text", inputmode: "numeric", autocomplete: "off",
      spellcheck: false, "aria-describedby": id("hidden-hint"), value: s.hidden.join("-"),
    });
    this.hiddenHint = element("span", { id: id("hidden-hint"), class: "nn-playground__hint" });
    this.inputs.activation = element("select", { id: id("activation") }, options(nn.ACTIVATIONS));
    this.inputs.init = element("select", { id: id("init") }, options(nn.INITS));
    this.inputs.loss = element("select", { id: id("loss") }, options(nn.LOSSES));
    this.inputs.lr = element("input", {
      id: id("lr"), type: "range", min: String(LR_RANGE[0]), max: String(LR_RANGE[1]),
      step: "0.05", value: String(Math.log10(s.lr)),
    });
    // a plain span, not <output>: the slider announces its value itself (aria-valuetext)
    this.lrValue = element("span", { class: "nn-playground__value" });
    this.inputs.seed = element("input", {
      id: id("seed"), type: "number", min: "0", max: "4294967295", step: "1", value: String(s.seed),
    });
    this.inputs.dataset.value = s.dataset;
    this.inputs.activation.value = s.activation;
    this.inputs.init.value = s.init;
    this.inputs.loss.value = s.loss;

    this.stepButton = element("button", { type: "button", class: "md-button", text: "Step" });
    this.runButton = element("button", { type: "button", class: "md-button md-button--primary", text: "Run" });
    this.resetButton = element("button", { type: "button", class: "md-button", text: "Reset" });

    const lrLabel = element("div", { class: "nn-playground__field nn-playground__field--wide" }, [
      element("label", { for: id("lr") }, ["Learning rate ", this.lrValue]), this.inputs.lr]);
    const controls = element("div", { class: "nn-playground__controls" }, [
      field("dataset", "Data set", this.inputs.dataset),
      field("hidden", "Hidden units", this.inputs.hidden, [this.hiddenHint]),
      field("activation", "Activation", this.inputs.activation),
      field("init", "Initialization", this.inputs.init),
      field("loss", "Loss", this.inputs.loss),
      field("seed", "Seed", this.inputs.seed),
      lrLabel,
      element("div", { class: "nn-playground__buttons" },
        [this.stepButton, this.runButton, this.resetButton]),
    ]);

    this.surface = element("canvas", { class: "nn-playground__surface", role: "img",
      "aria-label": "The network's output over the input plane, with the data points" });
    this.curve = element("canvas", { class: "nn-playground__curve", role: "img",
      "aria-label": "The loss against the step number, on a log scale" });
    this.views = element("div", { class: "nn-playground__views" }, [
      element("figure", {}, [this.surface, element("figcaption", {
        text: "The prediction over the input plane (x₁ across, x₂ up): orange towards 1, "
          + "blue towards 0. The dots are the data." })]),
      element("figure", {}, [this.curve, element("figcaption", {
        text: "Loss on the whole data set after each step (log scale)." })]),
    ]);
    this.readout = element("p", { class: "nn-playground__readout" });
    this.status = element("p", { class: "nn-playground__status", role: "status" });
    this.units = element("div", { class: "nn-playground__units" });

    this.root.replaceChildren(controls, this.readout, this.status, this.views,
      element("p", { class: "nn-playground__units-title",
        text: "The hidden units, one row each: a picture of the unit's activation over the plane "
          + "(orange where positive, blue where negative), its incoming weights and its bias." }),
      this.units);

    const resetOnChange = (control, apply) => control.addEventListener("change", () => {
      apply();
      this.reset();
    });
    resetOnChange(this.inputs.dataset, () => { s.dataset = this.inputs.dataset.value; });
    resetOnChange(this.inputs.activation, () => { s.activation = this.inputs.activation.value; });
    resetOnChange(this.inputs.init, () => { s.init = this.inputs.init.value; });
    resetOnChange(this.inputs.loss, () => { s.loss = this.inputs.loss.value; });
    resetOnChange(this.inputs.seed, () => {
      s.seed = Math.max(0, Math.floor(Number(this.inputs.seed.value)) || 0);
      this.inputs.seed.value = String(s.seed);
    });
    this.inputs.hidden.addEventListener("change", () => {
      const hidden = parseHidden(this.inputs.hidden.value);
      this.inputs.hidden.setAttribute("aria-invalid", String(!hidden));
      if (!hidden) {
        this.hiddenHint.textContent = "Write 1 to 4 layer sizes from 1 to 16, like 5-4.";
        return;
      }
      s.hidden = hidden;
      this.reset();
    });
    // The learning rate changes in place, so it can be raised in the middle of a run.
    this.inputs.lr.addEventListener("input", () => this.showLearningRate(lrFromSlider(this.inputs.lr.value)));
    this.stepButton.addEventListener("click", () => { this.pause(); this.step(1); });
    this.runButton.addEventListener("click", () => (this.running ? this.pause() : this.run()));
    this.resetButton.addEventListener("click", () => this.reset());
    this.showLearningRate(s.lr); // the page's rate exactly, until the slider moves
  }

  showLearningRate(lr) {
    this.settings.lr = lr;
    this.lrValue.textContent = String(lr);
    this.inputs.lr.setAttribute("aria-valuetext", String(lr));
  }

  get sizes() {
    return [2, ...this.settings.hidden, 1];
  }

  /** New weights from the seed, an empty loss curve; the run stops. */
  reset() {
    const s = this.settings;
    this.pause();
    this.data = nn.DATASETS[s.dataset].make();
    this.net = nn.initNetwork(this.sizes, s.init, s.seed);
    this.grads = nn.gradients(this.net, this.data.X, this.data.Y, s.activation, s.loss);
    this.lossHistory = [this.grads.loss];
    this.hiddenHint.textContent = `${nn.countParameters(this.sizes)} parameters`;
    this.say("");
    this.buildUnits();
    this.render();
  }

  /** n steps of plain gradient descent on the whole data set: w <- w - lr * dL/dw. */
  step(n = 1) {
    const s = this.settings;
    for (let k = 0; k < n && !this.stopped(); k++) {
      nn.sgdStep(this.net, this.grads, s.lr);
      this.grads = nn.gradients(this.net, this.data.X, this.data.Y, s.activation, s.loss);
      this.lossHistory.push(this.grads.loss); // the loss after this step
    }
    if (!Number.isFinite(this.currentLoss)) {
      this.say("The loss overflowed: training diverged. Lower the learning rate and press Reset.");
    }
    this.render();
  }

  stopped() {
    return !Number.isFinite(this.currentLoss) || this.lossHistory.length > MAX_STEPS;
  }

  run() {
    if (this.running || this.stopped()) return;
    this.running = true;
    this.runButton.textContent = "Pause";
    this.say("");
    const tick = () => {
      if (!this.running) return;
      if (!this.root.isConnected) {
        this.destroy();
        return;
      }
      this.step(STEPS_PER_FRAME);
      if (this.stopped()) {
        this.pause();
        if (this.lossHistory.length > MAX_STEPS) this.say(`Stopped after ${MAX_STEPS} steps.`);
        return;
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }

  pause() {
    this.running = false;
    if (this.runButton) this.runButton.textContent = "Run";
  }

  destroy() {
    this.pause();
    this.resizeObserver.disconnect();
    live.delete(this);
  }

  say(message) {
    if (this.status.textContent !== message) this.status.textContent = message;
  }

  get currentLoss() {
    return this.lossHistory[this.lossHistory.length - 1];
  }

  get losses() {
    return this.lossHistory.slice();
  }

  weights() {
    return { W: structuredClone(this.net.W), b: structuredClone(this.net.b) };
  }

  // --- Drawing ---------------------------------------------------------------------

  colors() {
    const c = (name) => resolveColor(this.root, `var(--nn-${name})`);
    return { class0: c("class-0"), class1: c("class-1"), ink: c("ink"), muted: c("muted"),
      grid: c("grid"), paper: c("paper"), font: getComputedStyle(this.root).fontFamily };
  }

  render() {
    if (!this.root.isConnected) return;
    const colors = this.colors();
    this.drawSurface(colors);
    this.drawCurve(colors);
    this.drawUnits(colors);
    const s = this.settings;
    const correct = this.data.X.filter((x, n) =>
      (nn.predict(this.net, x, s.activation, s.loss) > 0.5) === (this.data.Y[n] === 1)).length;
    this.readout.textContent = `Step ${this.lossHistory.length - 1} · loss ${formatNumber(this.currentLoss)}`
      + ` · ${correct} of ${this.data.X.length} points classified correctly`;
  }

  /** Paint f(x1, x2) on a grid: colour(value) -> [r, g, b]; returns an offscreen canvas. */
  paint(cells, colorOf) {
    const [lo, hi] = this.data.extent;
    const image = new ImageData(cells, cells);
    for (let row = 0; row < cells; row++) {
      const x2 = hi - ((row + 0.5) / cells) * (hi - lo); // x2 grows upwards
      for (let col = 0; col < cells; col++) {
        const x1 = lo + ((col + 0.5) / cells) * (hi - lo);
        const [r, g, b] = colorOf([x1, x2]);
        const k = 4 * (row * cells + col);
        image.data.set([r, g, b, 255], k);
      }
    }
    const off = document.createElement("canvas");
    off.width = off.height = cells;
    off.getContext("2d").putImageData(image, 0, 0);
    return off;
  }

  /** Prediction 0 -> class-0 colour, 0.5 -> background, 1 -> class-1 colour. */
  shade(colors, p) {
    const t = Math.min(1, Math.max(0, Number.isFinite(p) ? p : 0.5));
    return t < 0.5 ? mix(colors.paper, colors.class0, 0.7 * (0.5 - t) * 2)
      : mix(colors.paper, colors.class1, 0.7 * (t - 0.5) * 2);
  }

  drawSurface(colors) {
    const { ctx, width, height } = fit(this.surface);
    const s = this.settings;
    const [lo, hi] = this.data.extent;
    const pad = { left: 22, right: 6, top: 6, bottom: 20 };
    const size = Math.min(width - pad.left - pad.right, height - pad.top - pad.bottom);
    const X0 = pad.left;
    const Y0 = pad.top;
    const toX = (v) => X0 + ((v - lo) / (hi - lo)) * size;
    const toY = (v) => Y0 + ((hi - v) / (hi - lo)) * size;
    ctx.clearRect(0, 0, width, height);
    const image = this.paint(SURFACE_CELLS,
      (x) => this.shade(colors, nn.predict(this.net, x, s.activation, s.loss)));
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(image, X0, Y0, size, size);
    ctx.strokeStyle = css(colors.grid);
    ctx.lineWidth = 1;
    ctx.strokeRect(X0 + 0.5, Y0 + 0.5, size - 1, size - 1);
    // ticks at the whole numbers inside the extent
    ctx.fillStyle = css(colors.muted);
    ctx.font = `11px ${colors.font}`;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (let v = Math.ceil(lo); v <= hi; v++) ctx.fillText(String(v), toX(v), Y0 + size + 4);
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (let v = Math.ceil(lo); v <= hi; v++) ctx.fillText(String(v), X0 - 5, toY(v));
    // the data: filled with its class colour, outlined in the text colour
    const radius = this.data.X.length > 10 ? 3.5 : 7;
    this.data.X.forEach(([x1, x2], n) => {
      ctx.beginPath();
      ctx.arc(toX(x1), toY(x2), radius, 0, 2 * Math.PI);
      ctx.fillStyle = css(this.data.Y[n] === 1 ? colors.class1 : colors.class0);
      ctx.fill();
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = css(colors.ink);
      ctx.stroke();
    });
  }

  drawCurve(colors) {
    const { ctx, width, height } = fit(this.curve);
    const pad = { left: 44, right: 10, top: 10, bottom: 22 };
    const w = width - pad.left - pad.right;
    const h = height - pad.top - pad.bottom;
    ctx.clearRect(0, 0, width, height);
    const losses = this.lossHistory;
    const finite = losses.filter(Number.isFinite);
    const logs = finite.map((v) => Math.log10(Math.max(v, LOSS_FLOOR)));
    // powers of ten from the data's range, one grid line every 1, 2, 5, 10... decades
    const high = Math.max(0, Math.ceil(Math.max(...logs)));
    const low = Math.min(-2, Math.floor(Math.min(...logs)));
    const every = [1, 2, 5, 10, 20, 50, 100].find((e) => (high - low) / e <= 6) || 100;
    const top = Math.ceil(high / every) * every;
    const bottom = Math.floor(low / every) * every;
    const steps = Math.max(100, niceCeil(losses.length - 1));
    const toX = (t) => pad.left + (t / steps) * w;
    const toY = (log) => pad.top + ((top - log) / (top - bottom)) * h;
    ctx.font = `11px ${colors.font}`;
    ctx.lineWidth = 1;
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (let p = bottom; p <= top; p += every) {
      const y = Math.round(toY(p)) + 0.5;
      ctx.strokeStyle = css(colors.grid);
      ctx.beginPath();
      ctx.moveTo(pad.left, y);
      ctx.lineTo(pad.left + w, y);
      ctx.stroke();
      ctx.fillStyle = css(colors.muted);
      ctx.fillText(p === 0 ? "1" : `1e${p}`, pad.left - 5, y);
    }
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (const t of [0, steps / 2, steps]) ctx.fillText(String(t), toX(t), pad.top + h + 4);
    ctx.textAlign = "right";
    ctx.textBaseline = "bottom";
    ctx.fillText("step", pad.left + w, pad.top + h - 2);
    // the curve: per pixel column, its lowest and highest loss
    ctx.strokeStyle = css(colors.class0);
    ctx.lineWidth = 2;
    ctx.lineJoin = "round";
    ctx.beginPath();
    const perColumn = Math.max(1, Math.floor(losses.length / Math.max(1, w)));
    let drawn = 0;
    for (let t = 0; t < losses.length; t += perColumn) {
      const chunk = losses.slice(t, t + perColumn).filter(Number.isFinite);
      if (!chunk.length) break;
      for (const v of [Math.max(...chunk), Math.min(...chunk)]) {
        const y = toY(Math.log10(Math.max(v, LOSS_FLOOR)));
        if (drawn++ === 0) ctx.moveTo(toX(t), y);
        else ctx.lineTo(toX(t), y);
        if (perColumn === 1) break;
      }
    }
    if (drawn === 1) ctx.lineTo(toX(0) + 1, toY(logs[0]));
    ctx.stroke();
    if (!Number.isFinite(this.currentLoss)) {
      ctx.fillStyle = css(colors.class1);
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      ctx.font = `bold 13px ${colors.font}`;
      ctx.fillText("diverged: the loss overflowed", pad.left + w / 2, pad.top + 4);
    }
  }

  // One row per hidden unit of every hidden layer: a picture of its activation
  // over the plane, then its incoming weights and its bias (symmetry shows here).
  buildUnits() {
    this.unitCells = [];
    const tables = this.net.W.slice(0, -1).map((W, l) => {
      const n_in = W[0].length;
      const head = element("tr", {}, [
        element("th", { scope: "col", text: "unit" }),
        ...Array.from({ length: n_in }, (_, i) => element("th", { scope: "col" },
          [`W${l + 1}`, element("sub", { text: `j,${i + 1}` })])),
        element("th", { scope: "col" }, [`b${l + 1}`, element("sub", { text: "j" })]),
      ]);
      const rows = W.map((_, j) => {
        const picture = element("canvas", { class: "nn-playground__unit", width: UNIT_CELLS,
          height: UNIT_CELLS, "aria-hidden": "true" });
        const cells = Array.from({ length: n_in + 1 }, () => element("td"));
        this.unitCells.push({ l, j, picture, cells });
        return element("tr", {}, [element("th", { scope: "row" }, [picture, ` ${j + 1}`]), ...cells]);
      });
      return element("div", { class: "nn-playground__table" }, [element("table", { class: "nn-playground__weights" }, [
        element("caption", { text: `Hidden layer ${l + 1}: ${W.length} units` }),
        element("thead", {}, [head]), element("tbody", {}, rows)])]);
    });
    this.units.replaceChildren(...tables);
  }

  drawUnits(colors) {
    const s = this.settings;
    for (const { l, j, picture, cells } of this.unitCells) {
      const row = this.net.W[l][j];
      row.forEach((w, i) => { cells[i].textContent = formatNumber(w); });
      cells[row.length].textContent = formatNumber(this.net.b[l][j]);
      // the unit's activation a: orange where it is positive, blue where negative
      const off = this.paint(UNIT_CELLS, (x) => {
        const { a } = nn.forward(this.net, x, s.activation);
        const v = a[l + 1][j];
        return this.shade(colors, 0.5 + 0.5 * Math.tanh(v));
      });
      const ctx = picture.getContext("2d");
      ctx.drawImage(off, 0, 0);
    }
  }
}

/** The next "round" number of steps at or above n: 100, 200, 500, 1000, ... */
function niceCeil(n) {
  for (let scale = 100; ; scale *= 10) {
    for (const m of [1, 2, 5]) if (m * scale >= n) return m * scale;
  }
}

// --- Set-up on every page load, including instant navigation -----------------------

function setUp() {
  for (const instance of live) if (!instance.root.isConnected) instance.destroy();
  document.querySelectorAll(".nn-playground").forEach((el) => {
    if (!el.playground) el.playground = new Playground(el);
  });
}

// The palette toggle flips data-md-color-scheme on <body>: redraw in the new colours.
new MutationObserver(() => live.forEach((p) => p.render()))
  .observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

if (typeof document$ !== "undefined") document$.subscribe(setUp);
else setUp();
