#!/usr/bin/env python3
"""Fixture for toTorchStateDict (issue 17): our exported state dicts, loaded into real PyTorch.

For each case it draws seeded float32 weights in Keras layout (kernel [D, G*H],
recurrent_kernel [H, G*H], bias), asks this package (the built dist/, through node)
to export them with toTorchStateDict, loads that JSON into torch.nn.RNN / LSTM / GRU
with load_state_dict (strict: every key and shape must be PyTorch's), runs a seeded
batch-first input in float64 and writes PyTorch's output, h_n and c_n.

    npx tsc -p tsconfig.build.json          # dist/ must hold toTorchStateDict
    python3 test/reference/make_torch_export.py   # (a python with torch) writes test/fixtures/interop/torch_export.json

torch_export.json: {"generator", "cases": [{"name", "module", "config": {"input_size", "hidden_size",
"bidirectional", "nonlinearity", "bias"}, "layer": {"class", "units", "activation"}, "weights": [Keras-layout
arrays, forward then backward], "stateDict": what toTorchStateDict wrote, "input": [B, T, D],
"output": [B, T, dirs*H], "h_n": [dirs, B, H], "c_n": same or null}], "model": {"weights", "stateDict", "input",
"output"}, "demo": [...]}: "model" is a Sequential Embedding(12, 4) → LSTM(3, return_sequences) → Bidirectional(GRU(2)) →
Dense(2) exported whole by toTorchModelStateDict and loaded into the module Net below (embedding, lstm, bidirectional,
dense). "demo" holds the sentiment demo's models of keras_export_cases.js (the default one on subword bags, --wide,
--no-subwords; seeded weights), exported by toTorchModelStateDict and loaded strictly into the module users copy,
docs/python/sentiment_torch.py: {"name", "keys": {key: [shape, first 4 values, sum]}, "input", "output"} with PyTorch's
output in float64.
"""

import json
import os
import subprocess

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(REPO, "test", "fixtures", "interop", "torch_export.json")

# (name, our class, torch module, activation, bidirectional, use_bias)
CASES = [
    ("rnn_tanh", "SimpleRNN", "RNN", "tanh", False, True),
    ("rnn_relu", "SimpleRNN", "RNN", "relu", False, True),
    ("lstm", "LSTM", "LSTM", "tanh", False, True),
    ("gru", "GRU", "GRU", "tanh", False, True),
    ("lstm_no_bias", "LSTM", "LSTM", "tanh", False, False),
    ("bi_lstm", "LSTM", "LSTM", "tanh", True, True),
    ("bi_gru", "GRU", "GRU", "tanh", True, True),
    ("bi_rnn", "SimpleRNN", "RNN", "tanh", True, True),
]
B, T, D, H = 3, 5, 4, 3
GATES = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}

# Reads [{cls, units, activation, bidirectional, useBias, D, weights}] on stdin, writes the state dicts.
NODE = r"""
const { LSTM, GRU, SimpleRNN, Bidirectional, toTorchStateDict, tf } = require(process.argv[1]);
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = cases.map((c) => {
  const C = { LSTM, GRU, SimpleRNN }[c.cls];
  const inner = new C({ units: c.units, activation: c.activation, useBias: c.useBias });
  const layer = c.bidirectional ? new Bidirectional({ layer: inner }) : inner;
  layer.build([null, null, c.D]);
  layer.setWeights(c.weights.map((w) => tf.tensor(w)));
  return toTorchStateDict(layer);
});
process.stdout.write(JSON.stringify(out));
"""


# toTorchModelStateDict: Embedding(12, 4) → LSTM(3, return_sequences) → Bidirectional(GRU(2)) → Dense(2), as this module.
MODEL_NODE = r"""
const { Sequential, Embedding, LSTM, GRU, Bidirectional, Dense, toTorchModelStateDict, tf } = require(process.argv[1]);
const weights = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const m = new Sequential();
m.add(new Embedding({ inputDim: 12, outputDim: 4, inputShape: [5] }));
m.add(new LSTM({ units: 3, returnSequences: true }));
m.add(new Bidirectional({ layer: new GRU({ units: 2 }) }));
m.add(new Dense({ units: 2 }));
m.setWeights(weights.map((w) => tf.tensor(w)));
process.stdout.write(JSON.stringify(toTorchModelStateDict(m)));
"""


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = torch.nn.Embedding(12, 4)
        self.lstm = torch.nn.LSTM(4, 3, batch_first=True)
        self.bidirectional = torch.nn.GRU(3, 2, batch_first=True, bidirectional=True)
        self.dense = torch.nn.Linear(4, 2)

    def forward(self, ids):
        y, _ = self.lstm(self.embedding(ids))
        _, h = self.bidirectional(y)                  # [2, B, H]: forward, backward
        return self.dense(torch.cat([h[0], h[1]], 1))


def model_case(rng, dist):
    f = lambda *shape: rng.uniform(-0.6, 0.6, shape).astype(np.float32).tolist()
    weights = [f(12, 4), f(4, 12), f(3, 12), f(12)] + [f(3, 6), f(2, 6), f(2, 6)] * 2 + [f(4, 2), f(2)]
    done = subprocess.run(["node", "-e", MODEL_NODE, dist], input=json.dumps(weights), capture_output=True, text=True, check=True)
    sd = json.loads(done.stdout)
    net = Net()
    net.load_state_dict({k: torch.tensor(v) for k, v in sd.items()})
    ids = np.random.default_rng(5).integers(1, 12, (3, 5))
    with torch.no_grad():
        y = net.double()(torch.tensor(ids))
    return {"weights": weights, "stateDict": sd, "input": ids.tolist(), "output": np.round(y.numpy(), 12).tolist()}


# The demo's models of keras_export_cases.js, exported whole.
DEMO_NODE = r"""
const lib = require(process.argv[1]);
const { cases } = require(process.argv[2]);
const demo = { ...require(process.argv[3] + '/model.js'), ...require(process.argv[3] + '/options.js') };
const out = cases(lib, demo).filter((c) => c.name.startsWith('func_sentiment_')).map((c) => ({ name: c.name, input: c.input, stateDict: lib.toTorchModelStateDict(c.build()) }));
process.stdout.write(JSON.stringify(out));
"""


def demo_cases(dist):
    import sys
    sys.path.insert(0, os.path.join(REPO, "docs", "python"))
    from sentiment_torch import Sentiment  # the module docs/interop.md shows

    done = subprocess.run(["node", "-e", DEMO_NODE, dist, os.path.join(HERE, "keras_export_cases.js"), os.path.join(REPO, "dist", "sentiment")],
                          capture_output=True, text=True, check=True)
    out = []
    for case in json.loads(done.stdout):
        sd = {k: torch.tensor(v) for k, v in case["stateDict"].items()}
        net = Sentiment(sd)
        net.load_state_dict(sd)  # strict
        with torch.no_grad():
            y = net.double().eval()(torch.tensor(case["input"]))
        keys = {k: [list(v.shape), [round(float(a), 7) for a in v.flatten()[:4]], round(float(v.double().sum()), 6)] for k, v in sd.items()}
        out.append({"name": case["name"], "keys": keys, "input": case["input"], "output": np.round(y.numpy(), 12).tolist()})
    return out


def keras_weights(rng, cls, use_bias):
    g = GATES[cls]
    w = [rng.uniform(-0.6, 0.6, (D, g * H)), rng.uniform(-0.6, 0.6, (H, g * H))]
    if use_bias:
        w.append(rng.uniform(-0.3, 0.3, (2, g * H) if cls == "GRU" else (g * H,)))
    return [a.astype(np.float32).tolist() for a in w]


def main():
    rng = np.random.default_rng(17)
    requests, cases = [], []
    for name, cls, module, act, bi, use_bias in CASES:
        weights = keras_weights(rng, cls, use_bias) + (keras_weights(rng, cls, use_bias) if bi else [])
        requests.append({"cls": cls, "units": H, "activation": act, "bidirectional": bi, "useBias": use_bias, "D": D, "weights": weights})
        cases.append({"name": name, "module": module, "layer": {"class": cls, "units": H, "activation": act},
                      "config": {"input_size": D, "hidden_size": H, "bidirectional": bi,
                                 "nonlinearity": act if module == "RNN" else None, "bias": use_bias},
                      "weights": weights})
    dist = os.path.join(REPO, "dist", "index.js")
    done = subprocess.run(["node", "-e", NODE, dist], input=json.dumps(requests), capture_output=True, text=True, check=True)
    state_dicts = json.loads(done.stdout)
    torch.manual_seed(0)
    for case, sd in zip(cases, state_dicts):
        cfg = case["config"]
        kwargs = {"batch_first": True, "bidirectional": cfg["bidirectional"], "bias": cfg["bias"]}
        if case["module"] == "RNN":
            kwargs["nonlinearity"] = cfg["nonlinearity"]
        module = getattr(torch.nn, case["module"])(cfg["input_size"], cfg["hidden_size"], **kwargs)
        # The snippet of docs/interop.md: strict, so a missing, extra or misshapen key fails here.
        module.load_state_dict({k: torch.tensor(v) for k, v in sd.items()})
        module = module.double()
        x = np.random.default_rng(len(case["name"])).normal(0, 1, (B, T, D)).astype(np.float32)
        with torch.no_grad():
            out = module(torch.tensor(x, dtype=torch.float64))
        y, state = out
        h_n, c_n = state if case["module"] == "LSTM" else (state, None)
        r = lambda t: np.round(t.numpy(), 12).tolist()
        case.update({"stateDict": sd, "input": x.tolist(), "output": r(y), "h_n": r(h_n), "c_n": None if c_n is None else r(c_n)})
    model = model_case(rng, dist)
    with open(OUT, "w") as f:
        json.dump({"generator": "test/reference/make_torch_export.py", "torch": torch.__version__, "cases": cases, "model": model,
                   "demo": demo_cases(dist)}, f)
    print(f"wrote {OUT}: {len(cases)} cases")


if __name__ == "__main__":
    main()
