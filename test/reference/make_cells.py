#!/usr/bin/env python3
"""Reference fixture for the public cells and RNN: test/fixtures/cells.json.

    KERAS_BACKEND=jax /tmp/ortho-venv/bin/python test/reference/make_cells.py [--out test/fixtures/cells.json]

Builds in real Keras 3 (jax, float64) `RNN(LSTMCell)`, `RNN(GRUCell)` (both
`reset_after` forms), `RNN(SimpleRNNCell)`, `RNN([LSTMCell, GRUCell])` (a
StackedRNNCells) and `Bidirectional(RNN(...))`, each in a functional model
Input -> layer on a float input (names, saved layout and summary from the same
model in float32), with seeded random weights (N(0, 0.5^2), units != input
size), and records for each:

  * `weights` in `model.weights` order, with Keras's `path` of each weight
    (`functional/rnn/lstm_cell/kernel`) and the dataset paths and shapes of the
    `model.weights.h5` that `model.save` writes (`layers/rnn/cell/vars/0`);
  * the parameter count of the model and of the layer, and the rows of
    `model.summary()` (name, class, output shape, parameter count) and its text;
  * for each call: the mask (none, padding in front and holes, padding behind),
    the initial state if given, the outputs (the output, then every final state,
    a stack's flattened cell after cell), and, for the first call, the
    gradients of sum(output * R) with respect to x and to every weight.

Inputs and weights are stored rounded to 10 significant digits, and the
reference is computed from the rounded values.

The files Keras saved are then loaded by this package and written back with
saveKeras (through node and the built dist/: `npx tsc -p tsconfig.build.json`
first), and Keras loads those: their predictions must equal Keras's own to 1e-5
(recorded as `exported`).
"""

import argparse
import io
import json
import math
import os
import sys
import tempfile
import zipfile
import zlib

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_OUT = os.path.join(REPO, "test", "fixtures", "cells.json")

B, T, D = 3, 6, 4
# Row 0 all real; row 1 padding in front; row 2 holes and padding behind.
MASK = [[1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1], [1, 0, 1, 1, 0, 0]]


def round_sig(a):
    a = np.asarray(a, dtype=np.float64)

    def r(v):
        if isinstance(v, list):
            return [r(e) for e in v]
        v = float(v)
        return 0.0 if v == 0.0 or not math.isfinite(v) else float(f"{v:.10g}")

    return r(a.tolist())


def rnd(a):
    return np.array(round_sig(a), dtype=np.float64)


# Each case: our camelCase options; the script writes Keras's snake_case.
CASES = [
    {
        "name": "rnn_lstm_cell",
        "description": "RNN(LSTMCell(5)), returnSequences and returnState; an initial state on one call",
        "cells": [{"class": "LSTMCell", "config": {"units": 5}}],
        "rnn": {"returnSequences": True, "returnState": True},
        "initialState": True,
    },
    {
        "name": "rnn_gru_cell",
        "description": "RNN(GRUCell(5)) (resetAfter, two bias rows), returnState",
        "cells": [{"class": "GRUCell", "config": {"units": 5}}],
        "rnn": {"returnState": True},
        "initialState": False,
    },
    {
        "name": "rnn_gru_cell_reset_before",
        "description": "RNN(GRUCell(5, resetAfter false)), goBackwards, returnSequences",
        "cells": [{"class": "GRUCell", "config": {"units": 5, "resetAfter": False}}],
        "rnn": {"returnSequences": True, "goBackwards": True},
        "initialState": False,
    },
    {
        "name": "rnn_simple_rnn_cell",
        "description": "RNN(SimpleRNNCell(5, relu)), returnSequences and returnState",
        "cells": [{"class": "SimpleRNNCell", "config": {"units": 5, "activation": "relu"}}],
        "rnn": {"returnSequences": True, "returnState": True},
        "initialState": False,
    },
    {
        "name": "rnn_stacked_lstm_gru",
        "description": "RNN([LSTMCell(5), GRUCell(3)]) (a StackedRNNCells), returnSequences and returnState (states h1, c1, h2)",
        "cells": [{"class": "LSTMCell", "config": {"units": 5}}, {"class": "GRUCell", "config": {"units": 3}}],
        "rnn": {"returnSequences": True, "returnState": True},
        "initialState": True,
    },
    {
        "name": "rnn_stacked_backwards",
        "description": "RNN([GRUCell(3), SimpleRNNCell(4)]), goBackwards, last output only",
        "cells": [{"class": "GRUCell", "config": {"units": 3}}, {"class": "SimpleRNNCell", "config": {"units": 4}}],
        "rnn": {"goBackwards": True},
        "initialState": False,
    },
    {
        "name": "bidirectional_rnn_lstm_cell",
        "description": "Bidirectional(RNN(LSTMCell(4), returnSequences)), concat (masked steps output zeros, as Keras sets)",
        "cells": [{"class": "LSTMCell", "config": {"units": 4}}],
        "rnn": {"returnSequences": True},
        "bidirectional": {"mergeMode": "concat"},
        "initialState": False,
    },
    {
        "name": "bidirectional_rnn_stacked",
        "description": "Bidirectional(RNN([GRUCell(3), LSTMCell(2)]), sum), returnState (forward states, then backward states)",
        "cells": [{"class": "GRUCell", "config": {"units": 3}}, {"class": "LSTMCell", "config": {"units": 2}}],
        "rnn": {"returnState": True},
        "bidirectional": {"mergeMode": "sum"},
        "initialState": False,
    },
]

SNAKE = {
    "units": "units", "activation": "activation", "resetAfter": "reset_after", "returnSequences": "return_sequences",
    "returnState": "return_state", "goBackwards": "go_backwards", "mergeMode": "merge_mode",
}


def snake(cfg):
    return {SNAKE[k]: v for k, v in cfg.items()}


def flatten(out):
    """The output, then every state, nested lists flattened (Keras nests a stack's states per cell)."""
    if not isinstance(out, (list, tuple)):
        return [out]
    flat = []
    for o in out:
        flat.extend(flatten(o))
    return flat


def saved_paths(model):
    """The dataset paths and shapes of the model.weights.h5 inside the .keras file model.save writes."""
    import h5py
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "m.keras")
        model.save(path)
        with zipfile.ZipFile(path) as z:
            data = z.read("model.weights.h5")
    out = []
    with h5py.File(io.BytesIO(data), "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out.append([name, list(obj.shape)])
        f.visititems(visit)
    return out


def generate(out_path):
    os.environ.setdefault("KERAS_BACKEND", "jax")
    os.environ["COLUMNS"] = "80"  # the summary's width, as the test sets it
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    import keras
    from keras import layers, ops
    assert keras.backend.backend() == "jax", "run with KERAS_BACKEND=jax"
    keras.config.set_floatx("float64")
    # Keras 3 maps 64-bit results to 32-bit (ops.tanh(float64) -> float32); keep the reference float64 throughout.
    from keras.src.backend.common import dtypes as keras_dtypes
    keras_dtypes.BIT64_TO_BIT32_DTYPE.clear()
    assert ops.tanh(ops.ones((1,), dtype="float64")).dtype == jnp.float64

    cases = []
    for spec in CASES:
        keras.backend.clear_session()  # names start again: rnn, lstm_cell, ...
        name = spec["name"]
        rng = np.random.default_rng(zlib.crc32(name.encode()))

        def make_layer():
            cells = [getattr(layers, c["class"])(**snake(c["config"])) for c in spec["cells"]]
            rnn = layers.RNN(cells if len(cells) > 1 else cells[0], **snake(spec["rnn"]))
            return layers.Bidirectional(rnn, **snake(spec["bidirectional"])) if "bidirectional" in spec else rnn

        def functional(layer):
            # A functional model: tfjs's Sequential (and so ours) holds no layer with several outputs.
            inp = keras.Input((T, D))
            return keras.Model(inp, layer(inp))

        layer = make_layer()
        rnn = layer.forward_layer if "bidirectional" in spec else layer
        model = functional(layer)
        weights = [rnd(rng.normal(0.0, 0.5, w.shape)) for w in model.get_weights()]
        model.set_weights(weights)
        x = rnd(rng.normal(0.0, 1.0, (B, T, D)))
        R = None

        n_states = (2 if "bidirectional" in spec else 1) * len(flat_state_sizes(rnn)) if spec["rnn"].get("returnState") else 0
        mask = np.array(MASK, dtype=bool)
        calls = [(None, None), (mask, None)]
        if spec["initialState"]:
            init = [rnd(rng.normal(0.0, 0.5, s)) for s in [(B, n) for n in flat_state_sizes(rnn)]]
            calls.append((mask, init))

        def run(params, xx, m, init):
            kwargs = {"training": False}
            if m is not None:
                kwargs["mask"] = m
            if init is not None:
                kwargs["initial_state"] = per_cell(rnn, init)
            out, _ = layer.stateless_call(params, [v.value for v in layer.non_trainable_variables], xx, **kwargs)
            return flatten(out)

        params = [v.value for v in layer.trainable_variables]
        assert [id(v) for v in layer.weights] == [id(v) for v in layer.trainable_variables], name
        records = []
        for k, (m, init) in enumerate(calls):
            outs = run(params, x, m, init)
            rec = {
                "mask": None if m is None else m.astype(int).tolist(),
                "initialState": None if init is None else [round_sig(s) for s in init],
                "outputs": [round_sig(np.asarray(o)) for o in outs],
            }
            if k == 1:  # gradients of sum(output * R) on the masked call
                R = rnd(rng.normal(0.0, 1.0, np.asarray(outs[0]).shape))
                loss = lambda p, xx: jnp.sum(run(p, xx, m, None)[0] * R)
                dW, dx = jax.grad(loss, argnums=(0, 1))(params, x)
                rec["grads"] = {"R": round_sig(R), "dx": round_sig(np.asarray(dx)), "dweights": [round_sig(np.asarray(g)) for g in dW]}
            records.append(rec)

        # Names, the saved layout and the summary of the same model in float32 (the summary counts bytes).
        keras.backend.clear_session()
        keras.config.set_floatx("float32")
        model32 = functional(make_layer())
        keras.config.set_floatx("float64")
        assert [w.path for w in model32.weights] == [w.path for w in model.weights], name
        lines = []
        model32.summary(print_fn=lambda s, line_break=True: lines.append(s))
        rows = [{"name": l.name, "class": l.__class__.__name__, "params": l.count_params()} for l in model32.layers]
        cases.append({
            "name": name,
            "description": spec["description"],
            "cells": spec["cells"],
            "rnn": spec["rnn"],
            "bidirectional": spec.get("bidirectional"),
            "x": round_sig(x),
            "weights": [round_sig(w) for w in weights],
            "weightPaths": [w.path for w in model.weights],
            "savedPaths": saved_paths(model32),
            "countParams": model.count_params(),
            "summary": {"rows": rows, "text": "\n".join(lines)},
            "nStates": n_states,
            "calls": records,
        })
        print(f"{name}: {model.count_params()} params, {len(records)} calls", file=sys.stderr)

    files = save_files(keras, layers, os.path.join(os.path.dirname(out_path), "cells"))
    export_check(keras, files, os.path.join(os.path.dirname(out_path), "cells"))
    doc = {
        "generator": "test/reference/make_cells.py",
        "reference": f"keras {keras.__version__}, jax {jax.__version__}, float64, training=False",
        "cases": cases,
        "files": files,
    }
    with open(out_path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {out_path} ({os.path.getsize(out_path)} bytes)", file=sys.stderr)


def save_files(keras, layers, folder):
    """Models with RNNs of cells saved by Keras as model.keras and model.h5 (float32), with Keras's predictions."""
    keras.config.set_floatx("float32")
    rng = np.random.default_rng(7)
    # Zero steps, masked by Masking: in front (row 1), in holes and behind (row 2).
    x = rng.uniform(-1, 1, (B, T, D)).astype(np.float32)
    x[np.array(MASK) == 0] = 0.0
    out = []

    def seq_rnn_lstm_cell():
        return keras.Sequential([keras.Input((T, D)), layers.RNN(layers.LSTMCell(5)), layers.Dense(2)], name="seq_rnn_lstm_cell")

    def seq_cells_masked():
        # Sequential: in a functional model Keras 3 writes Masking's mask as an explicit op argument of the next layer.
        return keras.Sequential([
            keras.Input((T, D)),
            layers.Masking(0.0),
            layers.RNN([layers.GRUCell(3), layers.LSTMCell(4)], return_sequences=True),
            layers.Bidirectional(layers.RNN(layers.SimpleRNNCell(2), return_sequences=True), merge_mode="concat"),
            layers.RNN(layers.GRUCell(3, reset_after=False)),
            layers.Dense(1),
        ], name="seq_cells_masked")

    def func_bidirectional_stack():
        inp = keras.Input((T, D), name="x")
        h = layers.Bidirectional(layers.RNN([layers.LSTMCell(3), layers.GRUCell(2)]), merge_mode="ave")(inp)
        return keras.Model(inp, layers.Dense(2)(h), name="func_bidirectional_stack")

    for make, description in [
        (seq_rnn_lstm_cell, "Sequential: RNN(LSTMCell(5)) → Dense(2)"),
        (seq_cells_masked, "Sequential: Masking → RNN([GRUCell(3), LSTMCell(4)], return_sequences) → "
                           "Bidirectional(RNN(SimpleRNNCell(2), return_sequences)) → RNN(GRUCell(3, reset_after=False)) → Dense(1); zero steps in front, holes and behind"),
        (func_bidirectional_stack, "Functional: Bidirectional(RNN([LSTMCell(3), GRUCell(2)]), ave) → Dense(2)"),
    ]:
        keras.backend.clear_session()
        model = make()
        model.set_weights([rng.uniform(-0.6, 0.6, w.shape).astype(np.float32) for w in model.get_weights()])
        where = os.path.join(folder, model.name)
        os.makedirs(where, exist_ok=True)
        model.save(os.path.join(where, "model.keras"))
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # legacy HDF5 format
            model.save(os.path.join(where, "model.h5"))
        out.append({
            "name": model.name,
            "description": description,
            "input": x.tolist(),
            "output": np.asarray(model.predict(x, verbose=0), dtype=np.float64).tolist(),
            "weightPaths": [w.path for w in model.weights],
        })
    keras.config.set_floatx("float64")
    return out


# Loads a Keras file with this package (the built dist/) and writes it back with saveKeras.
NODE = """
const [dist, src, out] = process.argv.slice(1);
const lib = require(dist);
(async () => {
  await lib.setBackend('cpu', { verbose: false });
  const model = await lib.loadKerasModel(src);
  await lib.saveKeras(model, out);
})().catch((e) => { console.error(e.message); process.exit(1); });
"""


def export_check(keras, files, folder):
    """Each Keras file through loadKerasModel and saveKeras (dist/), loaded back by Keras: its predictions must be Keras's."""
    import subprocess
    keras.config.set_floatx("float32")
    with tempfile.TemporaryDirectory() as d:
        for f in files:
            out = os.path.join(d, f["name"] + ".keras")
            subprocess.run(["node", "-e", NODE, os.path.join(REPO, "dist", "index.js"), os.path.join(folder, f["name"], "model.keras"), out], check=True)
            keras.backend.clear_session()
            model = keras.saving.load_model(out)
            y = np.asarray(model.predict(np.array(f["input"], dtype=np.float32), verbose=0), dtype=np.float64)
            d_max = float(np.max(np.abs(y - np.array(f["output"]))))
            assert d_max < 1e-5, (f["name"], d_max)
            f["exported"] = {"output": y.tolist(), "classes": [l.__class__.__name__ for l in model.layers], "maxAbsDiff": d_max}
            print(f"{f['name']}: saveKeras's file, loaded by Keras, predicts Keras's outputs to {d_max:.1e}", file=sys.stderr)
    keras.config.set_floatx("float64")


def per_cell(rnn, flat):
    """Flat initial states as Keras takes them: a list, for a stack one list per cell."""
    cells = getattr(rnn.cell, "cells", None)
    if cells is None:
        return list(flat)
    out, at = [], 0
    for c in cells:
        n = len(c.state_size) if isinstance(c.state_size, (list, tuple)) else 1
        out.append(list(flat[at:at + n]))
        at += n
    return out


def flat_state_sizes(rnn):
    sizes = []
    for s in rnn.cell.state_size if isinstance(rnn.cell.state_size, (list, tuple)) else [rnn.cell.state_size]:
        sizes.extend(s if isinstance(s, (list, tuple)) else [s])
    return sizes


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=DEFAULT_OUT)
    generate(ap.parse_args().out)
