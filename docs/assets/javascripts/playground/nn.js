// The playground's maths: a fully connected network, forward and backward, in
// float64 (every JavaScript number is one). Pure functions, no DOM, so Node runs
// the same file in the tests (tests/playground_grads.mjs) against torch.
//
// Names follow the pages: layer l (1-based on the pages) has weights W[l-1]
// (one row per output unit, like nn.Linear) and biases b[l-1];
// z = W a + b, a = f(z); the last layer has no activation, its z is the output.

// --- Seeded random numbers ----------------------------------------------------

/** mulberry32: a small seeded generator of uniform numbers in [0, 1). */
export function mulberry32(seed) {
  let t = seed >>> 0;
  return function () {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw by Box-Muller from two uniform draws. */
export function randn(rand) {
  const u1 = 1 - rand(); // in (0, 1]: log(u1) is finite
  const u2 = rand();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

// --- Activations (activation-functions page): f(z) and its derivative f'(z) ---

const sigmoid = (z) => 1 / (1 + Math.exp(-z));
const LEAKY_SLOPE = 0.01; // torch's default negative_slope
const ELU_ALPHA = 1.0;

export const ACTIVATIONS = {
  tanh: { label: "tanh", f: Math.tanh, df: (z) => 1 - Math.tanh(z) ** 2 },
  sigmoid: { label: "sigmoid", f: sigmoid, df: (z) => sigmoid(z) * (1 - sigmoid(z)) },
  // slope 0 at z = 0, as PyTorch
  relu: { label: "ReLU", f: (z) => (z > 0 ? z : 0), df: (z) => (z > 0 ? 1 : 0) },
  leaky_relu: {
    label: "Leaky ReLU",
    f: (z) => (z > 0 ? z : LEAKY_SLOPE * z),
    df: (z) => (z > 0 ? 1 : LEAKY_SLOPE),
  },
  elu: {
    label: "ELU",
    f: (z) => (z > 0 ? z : ELU_ALPHA * (Math.exp(z) - 1)),
    df: (z) => (z > 0 ? 1 : ELU_ALPHA * Math.exp(z)),
  },
  silu: {
    label: "SiLU (Swish)",
    f: (z) => z * sigmoid(z),
    df: (z) => sigmoid(z) * (1 + z * (1 - sigmoid(z))),
  },
};

// --- Losses (loss page), per sample: the output z of the last layer, target y --
// y_hat(z) is what the network predicts; loss(z, y) and dz(z, y) = dloss/dz.
// The batch loss is the mean over the samples, like torch's reduction="mean".

const HUBER_DELTA = 1.0;

export const LOSSES = {
  mse: {
    label: "MSE",
    y_hat: (z) => z,
    loss: (z, y) => (z - y) ** 2,
    dz: (z, y) => 2 * (z - y),
  },
  l1: {
    label: "L1",
    y_hat: (z) => z,
    loss: (z, y) => Math.abs(z - y),
    dz: (z, y) => Math.sign(z - y), // 0 at z = y, as PyTorch
  },
  huber: {
    label: "Huber",
    y_hat: (z) => z,
    loss: (z, y) => {
      const e = Math.abs(z - y);
      return e < HUBER_DELTA ? 0.5 * e * e : HUBER_DELTA * (e - 0.5 * HUBER_DELTA);
    },
    dz: (z, y) => Math.max(-HUBER_DELTA, Math.min(HUBER_DELTA, z - y)),
  },
  // Binary cross-entropy on the logit z: y_hat = sigmoid(z), computed in the
  // stable form max(z, 0) - z y + log(1 + exp(-|z|)), whose slope is y_hat - y.
  bce: {
    label: "BCE",
    y_hat: sigmoid,
    loss: (z, y) => Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z))),
    dz: (z, y) => sigmoid(z) - y,
  },
};

// --- Initialization (weight-initialization page) -----------------------------
// Each scheme fills one layer: W is n_out x n_in, b has n_out entries.

const uniform = (rand, a) => (2 * rand() - 1) * a; // U(-a, a)

export const INITS = {
  zero: { label: "zero", weight: () => 0, bias: () => 0 },
  constant: { label: "constant 0.5", weight: () => 0.5, bias: () => 0.5 },
  normal: { label: "N(0, 1)", weight: (rand) => randn(rand), bias: () => 0 },
  xavier: {
    label: "Xavier/Glorot", // the uniform version, as symmetry.py uses
    weight: (rand, n_in, n_out) => uniform(rand, Math.sqrt(6 / (n_in + n_out))),
    bias: () => 0,
  },
  kaiming: {
    label: "Kaiming/He", // the normal version, as He et al. draw
    weight: (rand, n_in) => Math.sqrt(2 / n_in) * randn(rand),
    bias: () => 0,
  },
  default: {
    label: "PyTorch default",
    weight: (rand, n_in) => uniform(rand, 1 / Math.sqrt(n_in)),
    bias: (rand, n_in) => uniform(rand, 1 / Math.sqrt(n_in)),
  },
};

/** A network of the given sizes, e.g. [2, 5, 4, 1], initialized by scheme from seed. */
export function initNetwork(sizes, scheme, seed) {
  const rand = mulberry32(seed);
  const init = INITS[scheme];
  const W = [];
  const b = [];
  for (let l = 1; l < sizes.length; l++) {
    const n_in = sizes[l - 1];
    const n_out = sizes[l];
    W.push(Array.from({ length: n_out }, () =>
      Array.from({ length: n_in }, () => init.weight(rand, n_in, n_out))));
    b.push(Array.from({ length: n_out }, () => init.bias(rand, n_in, n_out)));
  }
  return { sizes: sizes.slice(), W, b };
}

/** Number of trainable parameters: n_in n_out + n_out per layer (the neuron page). */
export function countParameters(sizes) {
  let P = 0;
  for (let l = 1; l < sizes.length; l++) P += sizes[l - 1] * sizes[l] + sizes[l];
  return P;
}

// --- Forward and backward (backpropagation page) -------------------------------

/** Forward pass for one input x; returns every layer's z and a (a[0] = x). */
export function forward(net, x, activation) {
  const f = ACTIVATIONS[activation].f;
  const L = net.W.length;
  const z = [null];
  const a = [x];
  for (let l = 0; l < L; l++) {
    const W = net.W[l];
    const b = net.b[l];
    const z_l = W.map((row, j) => row.reduce((s, w, i) => s + w * a[l][i], b[j]));
    z.push(z_l);
    a.push(l < L - 1 ? z_l.map(f) : z_l); // no activation after the last layer
  }
  return { z, a };
}

/** The network's prediction y_hat for one input x. */
export function predict(net, x, activation, loss) {
  const { z } = forward(net, x, activation);
  return LOSSES[loss].y_hat(z[z.length - 1][0]);
}

/** Mean loss over the data set (X: rows of inputs, Y: targets). */
export function lossOf(net, X, Y, activation, loss) {
  let total = 0;
  for (let n = 0; n < X.length; n++) {
    const { z } = forward(net, X[n], activation);
    total += LOSSES[loss].loss(z[z.length - 1][0], Y[n]);
  }
  return total / X.length;
}

/** Mean loss and its gradients dW, db over the data set, by backpropagation. */
export function gradients(net, X, Y, activation, loss) {
  const df = ACTIVATIONS[activation].df;
  const L = net.W.length;
  const N = X.length;
  const dW = net.W.map((W) => W.map((row) => row.map(() => 0)));
  const db = net.b.map((b) => b.map(() => 0));
  let total = 0;
  for (let n = 0; n < N; n++) {
    const { z, a } = forward(net, X[n], activation);
    const z_out = z[L][0];
    total += LOSSES[loss].loss(z_out, Y[n]);
    // delta = dL/dz of the current layer; the mean divides every sample by N
    let delta = [LOSSES[loss].dz(z_out, Y[n]) / N];
    for (let l = L - 1; l >= 0; l--) {
      // dL/dW = delta a_prev^T and dL/db = delta
      for (let j = 0; j < delta.length; j++) {
        db[l][j] += delta[j];
        for (let i = 0; i < a[l].length; i++) dW[l][j][i] += delta[j] * a[l][i];
      }
      if (l > 0) {
        // back through W and the activation: delta_prev = (W^T delta) * f'(z_prev)
        delta = a[l].map((_, i) =>
          delta.reduce((s, d, j) => s + net.W[l][j][i] * d, 0) * df(z[l][i]));
      }
    }
  }
  return { loss: total / N, dW, db };
}

/** One plain gradient-descent step, w <- w - lr * dL/dw (gradient-descent page). */
export function sgdStep(net, grads, lr) {
  net.W.forEach((W, l) => W.forEach((row, j) => row.forEach((w, i) => {
    row[i] = w - lr * grads.dW[l][j][i];
  })));
  net.b.forEach((b, l) => b.forEach((v, j) => {
    b[j] = v - lr * grads.db[l][j];
  }));
}

// --- Data sets -------------------------------------------------------------------

/** XOR: the four corners of the unit square (the 44-parameter page). */
export function xor() {
  return {
    X: [[0, 0], [0, 1], [1, 0], [1, 1]],
    Y: [0, 1, 1, 0],
    extent: [-0.5, 1.5], // the square drawn, on both axes
  };
}

/** Two circles: class 1 inside radius 0.45, class 0 on a ring from 0.75 to 1. */
export function circles(n = 100, seed = 7) {
  const rand = mulberry32(seed); // fixed: the seed control changes the weights only
  const X = [];
  const Y = [];
  for (let k = 0; k < n; k++) {
    const inner = k % 2 === 0;
    const r = inner ? 0.45 * Math.sqrt(rand()) : 0.75 + 0.25 * rand();
    const angle = 2 * Math.PI * rand();
    X.push([r * Math.cos(angle), r * Math.sin(angle)]);
    Y.push(inner ? 1 : 0);
  }
  return { X, Y, extent: [-1.25, 1.25] };
}

export const DATASETS = {
  xor: { label: "XOR", make: xor },
  circles: { label: "two circles", make: circles },
};
