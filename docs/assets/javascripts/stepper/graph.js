// The backpropagation stepper's maths: the backpropagation page's network for one
// sample, node by node, in float64 (every JavaScript number is one). Pure
// functions, no DOM, so Node runs this same file in the tests
// (tests/browser/backprop_stepper.mjs) against the page's NumPy backprop.
//
// Names follow the page, for one row of X (N = 1), with 1-based unit numbers:
//   z_j = sum_r (W1)_jr x_r + (b1)_j,  a_j = sigmoid(z_j),
//   y_hat = sum_j (W2)_1j a_j + b2,    L = (y_hat - y)^2.
// A parameter set p is { x: [d], y, W1: [h][d], b1: [h], W2: [[h]], b2: [1] }.

const sigmoid = (z) => 1 / (1 + Math.exp(-z));

/** The forward pass: every node's value, { x, z, a, y_hat, L }. */
export function forward(p) {
  const z = p.W1.map((row, j) => row.reduce((s, w, r) => s + w * p.x[r], p.b1[j]));
  const a = z.map(sigmoid);
  const y_hat = p.W2[0].reduce((s, w, j) => s + w * a[j], p.b2[0]);
  return { x: p.x.slice(), z, a, y_hat, L: (y_hat - p.y) ** 2 };
}

/** The backward pass from the values v of forward(p): dL/d(every node and parameter),
 *  and the local derivative of each edge that is not a weight. */
export function backward(p, v) {
  const dL_dy_hat = 2 * (v.y_hat - p.y); // step 1, with N = 1
  const dL_da = p.W2[0].map((w) => dL_dy_hat * w); // step 4
  const dsigma = v.a.map((a) => a * (1 - a)); // sigmoid'(z) = a (1 - a)
  const dL_dz = dL_da.map((g, j) => g * dsigma[j]); // step 5
  // x_r feeds every z_j: the paths add up
  const dL_dx = p.x.map((_, r) => dL_dz.reduce((s, g, j) => s + g * p.W1[j][r], 0));
  return {
    L: 1,
    y_hat: dL_dy_hat,
    a: dL_da,
    z: dL_dz,
    x: dL_dx,
    W2: [v.a.map((a) => dL_dy_hat * a)], // step 2
    b2: [dL_dy_hat], // step 3
    W1: dL_dz.map((g) => p.x.map((x) => g * x)), // step 6
    b1: dL_dz.slice(), // step 7
    local: { L: dL_dy_hat, sigma: dsigma }, // dL/dy_hat on the edge y_hat -> L; a'(z)
  };
}

/** Both passes at once: { values, grads }. */
export function compute(p) {
  const values = forward(p);
  return { values, grads: backward(p, values) };
}

/** The order the stepper visits the nodes: forward from the inputs, then backward from
 *  the loss. Each entry is [kind, index] with kind in x, z, a, y_hat, L (index 0-based). */
export function forwardOrder(p) {
  const h = p.W1.length;
  return [
    ...Array.from({ length: h }, (_, j) => ["z", j]),
    ...Array.from({ length: h }, (_, j) => ["a", j]),
    ["y_hat", 0],
    ["L", 0],
  ];
}

export function backwardOrder(p) {
  const h = p.W1.length;
  const d = p.x.length;
  return [
    ["L", 0],
    ["y_hat", 0],
    ...Array.from({ length: h }, (_, j) => ["a", j]),
    ...Array.from({ length: h }, (_, j) => ["z", j]),
    ...Array.from({ length: d }, (_, r) => ["x", r]),
  ];
}
