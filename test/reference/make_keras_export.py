#!/usr/bin/env python3
"""Fixture for saveKeras (issue 17): our .keras files, loaded by real Keras 3.

This package (the built dist/, through node) builds each model of keras_export_cases.js with its
seeded weights and writes it with saveKeras. Keras 3 then loads each file with
keras.saving.load_model, predicts the case's input, and saves the loaded model again with its own
model.save, whose model.weights.h5 gives the layout Keras itself writes for that model.

    npx tsc -p tsconfig.build.json
    KERAS_BACKEND=jax /tmp/kvenv/bin/python test/reference/make_keras_export.py   # a venv with keras, jax, h5py

keras_export.json: {"generator", "keras", "backend", "cases": [{"name", "description", "inputDtype", "input",
"output": Keras's prediction (a list of outputs), "classes": Keras's class name of each layer of the loaded
model, "weights": ["path shape", ...] of Keras's own model.weights.h5 for the loaded model, sorted}]}; a case with
regularizers and constraints also has "penalties": {"layer.key": {"class_name", "config"}} of every regularizer and
constraint Keras's loaded layers hold (a Bidirectional's two layers, a TimeDistributed's, an RNN's cells under
`outer/inner`), and "losses": Keras's `sum(model.losses)` after a call on the input (the weight penalties and the
activity penalties of that call).
"""

import json
import os
import subprocess
import tempfile
import zipfile

os.environ.setdefault("KERAS_BACKEND", "jax")

import h5py  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(REPO, "test", "fixtures", "interop", "keras_export.json")

def penalties(layer, prefix=""):
    """{'path.key': {class_name, config}} of each regularizer and constraint a loaded layer (and the layers in it) holds."""
    out = {}
    for k, v in layer.get_config().items():
        if (k.endswith("_regularizer") or k.endswith("_constraint")) and v is not None:
            out[f"{prefix}{layer.name}.{k}"] = {"class_name": v["class_name"], "config": v["config"]}
    inner = []
    if isinstance(layer, keras.layers.Bidirectional):
        inner = [layer.forward_layer, layer.backward_layer]
    elif isinstance(layer, keras.layers.TimeDistributed):
        inner = [layer.layer]
    elif type(layer) is keras.layers.RNN:
        inner = layer.cell.cells if isinstance(layer.cell, keras.layers.StackedRNNCells) else [layer.cell]
    for l in inner:
        out.update(penalties(l, f"{prefix}{layer.name}/"))
    return out


NODE = r"""
const lib = require(process.argv[1]);
const { cases } = require(process.argv[2]);
const demo = { ...require(process.argv[4] + '/model.js'), ...require(process.argv[4] + '/options.js') };
(async () => {
  const out = [];
  for (const c of cases(lib, demo)) {
    await lib.saveKeras(c.build(), require('path').join(process.argv[3], c.name + '.keras'));
    out.push({ name: c.name, description: c.description, inputDtype: c.inputDtype, input: c.input, penalties: c.penalties === true });
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
"""


def h5_layout(keras_file):
    """'path shape' of every dataset of a .keras file's model.weights.h5, sorted."""
    with tempfile.TemporaryDirectory() as d:
        zipfile.ZipFile(keras_file).extract("model.weights.h5", d)
        items = []
        with h5py.File(os.path.join(d, "model.weights.h5")) as f:
            f.visititems(lambda name, obj: items.append(f"{name} {list(obj.shape)}") if isinstance(obj, h5py.Dataset) else None)
    return sorted(items)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            ["node", "-e", NODE, os.path.join(REPO, "dist", "index.js"), os.path.join(HERE, "keras_export_cases.js"), tmp,
             os.path.join(REPO, "dist", "sentiment")],
            capture_output=True, text=True, check=True,
        )
        cases = json.loads(done.stdout)
        for case in cases:
            model = keras.saving.load_model(os.path.join(tmp, case["name"] + ".keras"))
            x = np.array(case["input"], dtype=case["inputDtype"])
            y = model.predict(x, verbose=0)
            ys = y if isinstance(y, (list, tuple)) else [y]
            again = os.path.join(tmp, case["name"] + ".keras_again.keras")
            model.save(again)
            if case.pop("penalties"):
                model(x, training=False)
                case["losses"] = float(np.sum([np.asarray(v) for v in model.losses]))
                case["penalties"] = {k: v for layer in model.layers for k, v in penalties(layer).items()}
            case.update({
                "output": [np.asarray(v, dtype=np.float64).round(9).tolist() for v in ys],
                "classes": [layer.__class__.__name__ for layer in model.layers],
                "weights": h5_layout(again),
            })
    with open(OUT, "w") as f:
        json.dump({"generator": "test/reference/make_keras_export.py", "keras": keras.__version__, "backend": keras.backend.backend(), "cases": cases}, f)
    print(f"wrote {OUT}: {len(cases)} cases")


if __name__ == "__main__":
    main()
