// Runs the playground's maths (docs/assets/javascripts/playground/nn.js) on a
// fixture written by tests/playground_fixture.py and prints what it computes as
// JSON; tests/test_playground.py compares that with torch.
//   node tests/playground_nn.mjs FIXTURE.json > RESULT.json
import { readFileSync } from "node:fs";

const NN_JS = new URL("../../docs/assets/javascripts/playground/nn.js", import.meta.url);
// nn.js is an ES module in a .js file: import its text, so no package.json
// "type" setting and no Node flag decides how it is read.
const source = readFileSync(NN_JS, "utf8");
const nn = await import("data:text/javascript;base64," + Buffer.from(source).toString("base64"));

const fixture = JSON.parse(readFileSync(process.argv[2], "utf8"));

const cases = fixture.cases.map((c) => {
  const net = { sizes: c.sizes, W: c.W, b: c.b };
  const z_out = c.X.map((x) => {
    const { z } = nn.forward(net, x, c.activation);
    return z[z.length - 1][0];
  });
  const y_hat = c.X.map((x) => nn.predict(net, x, c.activation, c.loss));
  const grads = nn.gradients(net, c.X, c.Y, c.activation, c.loss);
  const loss = nn.lossOf(net, c.X, c.Y, c.activation, c.loss);
  nn.sgdStep(net, grads, c.lr); // updates net.W and net.b in place
  return { z_out, y_hat, loss, grad_loss: grads.loss, dW: grads.dW, db: grads.db,
           W_next: net.W, b_next: net.b };
});

const inits = fixture.inits.map(({ scheme, sizes, seed }) => {
  const net = nn.initNetwork(sizes, scheme, seed);
  return { W: net.W, b: net.b, count: nn.countParameters(sizes) };
});

const datasets = Object.fromEntries(
  Object.entries(nn.DATASETS).map(([name, { make }]) => [name, make()]));

process.stdout.write(JSON.stringify({
  cases, inits, datasets,
  offered: {
    activations: Object.keys(nn.ACTIVATIONS),
    losses: Object.keys(nn.LOSSES),
    inits: Object.keys(nn.INITS),
  },
}));
