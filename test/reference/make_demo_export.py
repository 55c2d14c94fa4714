#!/usr/bin/env python3
"""The demo's default model, end to end from text to probability, in Keras 3 and PyTorch.

A short default run of the sentiment demo (`--epochs 1 --ensemble 1 --limit 600`, every
other option its default: subword bags, EmbeddingBag, BiLSTM beside the mean word vector),
through the built dist/ and its command line, is exported with `tfjs-recurrent export` to
Keras 3 and to PyTorch, each with the preprocessing.json written beside it. Then, in Python
alone, the texts become ids through docs/python/sentiment_preprocessing.py, and real
Keras 3 (`keras.saving.load_model`, no custom objects) and real PyTorch (the module of
docs/python/sentiment_torch.py, loaded strictly) give probabilities, which must equal ours
(`predictSentiment` on the run) to 1e-5. ONNX is checked the same way in the jest suite
(test/interop/export_demo.test.ts), where onnxruntime-node runs.

    npx tsc -p tsconfig.build.json
    KERAS_BACKEND=jax /tmp/kvenv/bin/python test/reference/make_demo_export.py   # keras, jax, h5py and torch
    KERAS_BACKEND=jax /tmp/kvenv/bin/python test/reference/make_demo_export.py --run runs/sentiment-<time>

With --run, an existing run folder (say of `npm run demo`, an ensemble: the mean of its models) is exported
and checked the same way, and nothing is written.

Writes test/fixtures/interop/demo_export.json: {"generator", "keras", "torch", "command", "texts",
"ours", "keras", "torch", "maxDiff": {"keras", "torch"}}.
"""

import json
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(REPO, "test", "fixtures", "interop", "demo_export.json")
CLI = os.path.join(REPO, "dist", "cli", "main.js")
sys.path.insert(0, os.path.join(REPO, "docs", "python"))

from sentiment_preprocessing import load_preprocessing  # noqa: E402
from sentiment_torch import load as load_torch  # noqa: E402

RUN = ["sentiment", "--epochs", "1", "--ensemble", "1", "--limit", "600", "--backend", "cpu", "--no-progress"]

# Sentences of the bundled data, and texts at the edges: unknown words, unicode, nothing to read, past maxlen.
TEXTS = [
    "Great for the jawbone.",
    "The food was not good at all, and the service was slow.",
    "I loved this movie, the acting is superb!",
    "Waste of money.",
    "Pas mal du tout, très bon café ☕ 😀",
    "東京の寿司はおいしい",
    "",
    "!!! ...",
    "zxqv blorfing unpossible wordz",
    " ".join(["good but not great and then quite bad"] * 8),
]

OURS = r"""
const { predictSentiment } = require(process.argv[1]);
predictSentiment(process.argv[2], JSON.parse(require('fs').readFileSync(0, 'utf8')))
  .then((p) => process.stdout.write(JSON.stringify(p)))
  .catch((e) => { console.error(e); process.exit(1); });
"""


def node(*args, stdin=None):
    return subprocess.run(["node", *args], input=stdin, capture_output=True, text=True, check=True).stdout


def main():
    given = sys.argv[sys.argv.index("--run") + 1] if "--run" in sys.argv else None
    with tempfile.TemporaryDirectory() as tmp:
        run = given or os.path.join(tmp, "run")
        if given is None:
            node(CLI, *RUN, "--out", run)
        ours = json.loads(node("-e", OURS, os.path.join(REPO, "dist", "sentiment", "index.js"), run, stdin=json.dumps(TEXTS)))
        got = {}
        for fmt, ext in (("keras", ".keras"), ("torch", ".json")):
            out = os.path.join(tmp, fmt)
            os.makedirs(out)
            node(CLI, "export", "--to", fmt, run, out)
            encode = load_preprocessing(os.path.join(out, "preprocessing.json"))
            ids = np.array(encode(TEXTS), dtype=np.int32)
            files = sorted(f for f in os.listdir(out) if f.endswith(ext) and f != "preprocessing.json")
            ps = []
            for f in files:  # an ensemble: the mean of its models, as predict gives it
                if fmt == "keras":
                    ps.append(keras.saving.load_model(os.path.join(out, f)).predict(ids, verbose=0))
                else:
                    with torch.no_grad():
                        ps.append(load_torch(os.path.join(out, f))(torch.tensor(ids)).numpy())
            got[fmt] = np.mean([np.asarray(p, dtype=np.float64).reshape(-1) for p in ps], axis=0)
    diff = {k: float(np.max(np.abs(v - np.array(ours)))) for k, v in got.items()}
    for k, d in diff.items():
        if not d < 1e-5:
            raise SystemExit(f"{k}: the exported model's probabilities differ from ours by {d} (> 1e-5)")
    if given is not None:
        print(f"{given}: max difference {diff}")
        return
    with open(OUT, "w") as f:
        json.dump({
            "generator": "test/reference/make_demo_export.py", "keras": keras.__version__, "torch": torch.__version__,
            "command": "tfjs-recurrent " + " ".join(RUN), "texts": TEXTS, "ours": ours,
            "keras_output": got["keras"].round(9).tolist(), "torch_output": got["torch"].round(9).tolist(), "maxDiff": diff,
        }, f, ensure_ascii=False, indent=1)
    print(f"wrote {OUT}: max difference {diff}")


if __name__ == "__main__":
    main()
