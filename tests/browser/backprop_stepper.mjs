// Runs the backpropagation stepper's maths (docs/assets/javascripts/stepper/graph.js)
// on a fixture written by tests/browser/backprop_fixture.py with the page's NumPy
// backprop, asserts that every node's value and gradient equals the fixture's within
// TOL, and prints what it computed as JSON (tests/browser/test_backprop_stepper.py
// checks it again, and against torch).
//   node tests/browser/backprop_stepper.mjs FIXTURE.json > RESULT.json
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const TOL = 1e-12;
const GRAPH_JS = new URL("../../docs/assets/javascripts/stepper/graph.js", import.meta.url);
// graph.js is an ES module in a .js file: import its text, so no package.json
// "type" setting and no Node flag decides how it is read.
const source = readFileSync(GRAPH_JS, "utf8");
const graph = await import("data:text/javascript;base64," + Buffer.from(source).toString("base64"));

const fixture = JSON.parse(readFileSync(process.argv[2], "utf8"));

/** Every number of a (nested) value, flattened, with its path. */
function leaves(value, path = "") {
  if (typeof value === "number") return [[path, value]];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, `${path}.${k}`));
}

function close(mine, theirs, where) {
  const a = leaves(mine);
  const b = leaves(theirs);
  assert.deepEqual(a.map(([p]) => p), b.map(([p]) => p), `${where}: not the same nodes`);
  a.forEach(([path, v], k) => {
    const diff = Math.abs(v - b[k][1]);
    assert.ok(diff <= TOL, `${where}${path}: ${v} against ${b[k][1]} (difference ${diff})`);
  });
}

const cases = fixture.cases.map((c, index) => {
  const { values, grads } = graph.compute(c.params);
  const mine = {
    values: { z: values.z, a: values.a, y_hat: values.y_hat, L: values.L },
    grads: { y_hat: grads.y_hat, a: grads.a, z: grads.z, x: grads.x, sigma: grads.local.sigma,
             W1: grads.W1, b1: grads.b1, W2: grads.W2, b2: grads.b2 },
  };
  close(mine.values, c.values, `case ${index} values`);
  close(mine.grads, c.grads, `case ${index} grads`);
  assert.equal(grads.L, 1);
  assert.equal(grads.local.L, grads.y_hat);
  return mine;
});

const p = fixture.cases[0].params;
process.stdout.write(JSON.stringify({
  cases,
  tolerance: TOL,
  order: { forward: graph.forwardOrder(p), backward: graph.backwardOrder(p) },
}));
