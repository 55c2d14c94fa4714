#!/usr/bin/env python3
"""Fixture for summary({ style: 'keras3' }): Keras 3's own model.summary() text.

Builds each model of summary_cases.json in Keras 3 (jax backend) and captures model.summary(print_fn=...)
for each variant (show_trainable, expand_nested, line_length, positions, layer_range; compiled; after one
training step, when Keras adds "Optimizer params"), under the COLUMNS the variant names. Keras's width
depends on the terminal: its default line length is min(default, shutil.get_terminal_size().columns - 4),
and rich's console, which crops the table and folds the text lines, is as wide as COLUMNS or the first
terminal among stdin, stdout and stderr, else 80. So the summaries are captured in a child process with
no terminal (stdin from /dev/null, stdout and stderr piped) and COLUMNS unset (null in the cases) or set.

Also renders, with rich alone, seeded random tables and text lines (words of random lengths and spaces,
long words, wide characters), laid out as Keras lays out its table (fixed-width columns, a table width,
show_lines), for test/model/rich_table.test.ts.

    KERAS_BACKEND=jax /tmp/kvenv/bin/python test/reference/make_keras3_summary.py   # a venv with keras 3 (and so rich) and jax

keras3_summary.json: {"generator", "keras", "rich", "backend", "cases": [{"name", "variants": [{"options",
"columns", "compile"?, "train"?, "text"}]}], "files": [{"file", "options", "text"}] (Keras's summary of
a .keras file it saved, test/fixtures/keras_files/), "tables": [{"columns": [{"header", "justify", "width"}],
"width", "console", "rows", "text"}], "lines": [{"text", "console", "out"}]}. "text" is the string Keras
hands print_fn (lines ending in a newline).
"""

import json
import os
import random
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CASES = os.path.join(HERE, "summary_cases.json")
OUT = os.path.join(REPO, "test", "fixtures", "keras3_summary.json")
# .keras files Keras 3 saved (make_keras_files.py), whose summary the package's CLI prints from the file.
# (func_sentiment is left out: Keras's NotEqual mask op in it loads as the Embedding's own mask, so its graph has one layer less.)
KERAS_FILES = ["func_two_inputs_add", "seq_emb_bigru_lstm", "seq_float_gru_before"]


def snake(name):
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def make_layer(keras, spec):
    args = {snake(k): v for k, v in spec["args"].items()}
    if "layer" in args:
        args["layer"] = make_layer(keras, args["layer"])
    return getattr(keras.layers, spec["class"])(name=spec["name"], **args)


def make_model(keras, spec):
    if spec["kind"] == "sequential":
        inp = keras.Input(tuple(spec["input"]["shape"]), dtype=spec["input"]["dtype"])
        layers = [make_layer(keras, s) for s in spec["layers"]]
        model = keras.Sequential([inp, *layers], name=spec["name"])
        for layer, s in zip(layers, spec["layers"]):
            if s.get("trainable") is False:
                layer.trainable = False
        return model
    tensors = {i["name"]: keras.Input(tuple(i["shape"]), dtype=i["dtype"], name=i["name"]) for i in spec["inputs"]}
    inputs = list(tensors.values())
    made = {}
    frozen = []
    for call in spec["calls"]:
        if "model" in call:
            op = make_model(keras, call["model"])
        elif "shared" in call:
            op = made[call["shared"]]
        else:
            op = make_layer(keras, call["layer"])
        made[op.name] = op
        if call.get("trainable") is False or call.get("layer", {}).get("trainable") is False:
            frozen.append(op)
        x = [tensors[t] for t in call["inputs"]] if isinstance(call["inputs"], list) else tensors[call["inputs"]]
        y = op(x)
        ys = y if isinstance(y, (list, tuple)) else [y]
        tensors.update(zip(call["outputs"], ys))
    outputs = [tensors[t] for t in spec["outputs"]]
    model = keras.Model(inputs, outputs if len(outputs) > 1 else outputs[0], name=spec["name"])
    for op in frozen:
        op.trainable = False
    return model


def compile_model(keras, model, how):
    opt = how["optimizer"]
    if opt == "sgd" and how.get("momentum"):
        opt = keras.optimizers.SGD(momentum=how["momentum"])
    model.compile(optimizer=opt, loss="mse")


def train(keras, np, model, how):
    """One step on zeros: any None length is 3, batch 2."""
    compile_model(keras, model, how)
    x = [np.zeros([2] + [d or 3 for d in t.shape[1:]], dtype=t.dtype) for t in model.inputs]
    y = [np.zeros([2] + [d or 3 for d in t.shape[1:]], dtype="float32") for t in model.outputs]
    model.fit(x if len(x) > 1 else x[0], y if len(y) > 1 else y[0], batch_size=2, epochs=1, verbose=0)


def capture_summaries():
    """In the child process: every variant's summary text, as JSON on stdout."""
    import keras
    import numpy as np

    cases = json.load(open(CASES))["cases"]
    out = []
    for case in cases:
        variants = []
        for v in case["variants"]:
            if v["columns"] is None:
                os.environ.pop("COLUMNS", None)
            else:
                os.environ["COLUMNS"] = str(v["columns"])
            model = make_model(keras, case["model"])
            if "compile" in v:
                compile_model(keras, model, v["compile"])
            if "train" in v:
                train(keras, np, model, v["train"])
            texts = []
            kwargs = {snake(k): (tuple(x) if k == "layerRange" else x) for k, x in v["options"].items()}
            model.summary(print_fn=lambda s, line_break=True: texts.append(s), **kwargs)
            assert len(texts) == 1, texts
            variants.append({**v, "text": texts[0]})
        out.append({"name": case["name"], "variants": variants})
    os.environ.pop("COLUMNS", None)
    files = []
    for name in KERAS_FILES:
        model = keras.saving.load_model(os.path.join(REPO, "test", "fixtures", "keras_files", name, "model.keras"))
        for options in ({}, {"showTrainable": True}):
            texts = []
            model.summary(print_fn=lambda s, line_break=True: texts.append(s), **{snake(k): x for k, x in options.items()})
            files.append({"file": f"test/fixtures/keras_files/{name}/model.keras", "options": options, "text": texts[0]})
    json.dump({"keras": keras.__version__, "backend": keras.backend.backend(), "cases": out, "files": files}, sys.stdout)


# Words for the random tables: ASCII of all lengths, Keras-like tokens, wide and zero-width characters.
ALPHABET = "abcdefghijklmnopqrstuvwxyz_0123456789()[],."
WIDE = ["編碼", "器", "層", "データ", "😀", "한국어", "ｗｉｄｅ"]
SPECIAL = ["é", "ü", "ß", "ﬁ", "е\u0301", "x\u0308"]


def random_text(rng):
    parts = []
    for _ in range(rng.randint(0, 6)):
        kind = rng.random()
        if kind < 0.6:
            word = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 14)))
        elif kind < 0.75:
            word = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(15, 40)))
        elif kind < 0.9:
            word = "".join(rng.choice(WIDE) for _ in range(rng.randint(1, 4)))
        else:
            word = "".join(rng.choice(SPECIAL + list("abc")) for _ in range(rng.randint(1, 6)))
        parts.append(word)
        parts.append(" " * rng.choice([1, 1, 1, 2, 3]))
    text = "".join(parts)
    if rng.random() < 0.2:
        text = text.strip()
    if rng.random() < 0.1:
        text = "   └ " + text
    return text


def render_tables():
    """rich alone: random tables as Keras builds them, and random text lines as console.print folds them."""
    import rich.console
    import rich.markup
    import rich.table

    rng = random.Random(27)
    tables = []
    for _ in range(50):
        n = rng.randint(1, 5)
        width = rng.randint(12, 100)
        console = rng.choice([40, 60, 80, 80, 100, 200])
        cols = [{"header": rng.choice(["Layer (type)", "Output Shape", "Param #", "Connected to", "Trainable", random_text(rng)]),
                 "justify": rng.choice(["left", "left", "right", "center"]), "width": rng.randint(1, 45)} for _ in range(n)]
        rows = [[random_text(rng) for _ in range(n)] for _ in range(rng.randint(0, 4))]
        table = rich.table.Table(*[rich.table.Column(rich.markup.escape(c["header"]), justify=c["justify"], width=c["width"]) for c in cols],
                                 width=width, show_lines=True)
        for row in rows:
            table.add_row(*[rich.markup.escape(t) for t in row])
        con = rich.console.Console(highlight=False, force_terminal=False, color_system=None, width=console)
        con.begin_capture()
        con.print(table)
        tables.append({"columns": cols, "width": width, "console": console, "rows": rows, "text": con.end_capture()})
    lines = []
    for _ in range(60):
        text = random_text(rng) + random_text(rng)
        console = rng.randint(5, 60)
        con = rich.console.Console(highlight=False, force_terminal=False, color_system=None, width=console)
        con.begin_capture()
        con.print(rich.markup.escape(text))
        lines.append({"text": text, "console": console, "out": con.end_capture()})
    return tables, lines


def main():
    if sys.argv[1:] == ["--child"]:
        capture_summaries()
        return
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.setdefault("KERAS_BACKEND", "jax")
    done = subprocess.run([sys.executable, os.path.abspath(__file__), "--child"], env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        sys.stderr.write(done.stderr)
        sys.exit(done.returncode)
    summaries = json.loads(done.stdout)
    import rich

    tables, lines = render_tables()
    from importlib.metadata import version

    fixture = {"generator": "test/reference/make_keras3_summary.py", "keras": summaries["keras"], "rich": version("rich"),
               "backend": summaries["backend"], "cases": summaries["cases"], "files": summaries["files"], "tables": tables, "lines": lines}
    del rich
    with open(OUT, "w") as f:
        json.dump(fixture, f, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {OUT}: {len(summaries['cases'])} models, {sum(len(c['variants']) for c in summaries['cases'])} summaries, "
          f"{len(tables)} tables, {len(lines)} lines")


if __name__ == "__main__":
    main()
