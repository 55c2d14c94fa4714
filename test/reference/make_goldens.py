#!/usr/bin/env python3
"""Reference generator for the tfjs-recurrent golden fixtures.

Two modes:

  * Generate (run inside the Keras 3 venv, KERAS_BACKEND=jax):
        KERAS_BACKEND=jax /work/venv/bin/python test/reference/make_goldens.py \
            [--out test/fixtures/goldens.json] [--torch-python /usr/bin/python3]
    Builds every case with real Keras layers in float64 (jax x64), records the
    forward outputs and, for non-stateful cases, gradients computed with
    jax.grad through `Layer.stateless_call`. It then runs the PyTorch
    cross-check below in a subprocess (pass --torch-python "" to skip it).

  * Cross-check (run with a python that has torch + numpy, no Keras needed):
        /usr/bin/python3 test/reference/make_goldens.py --torch-check test/fixtures/goldens.json
    Re-computes every case (outputs and gradients) in float64 with PyTorch from the
    same weights and asserts max |diff| < 1e-5: unmasked SimpleRNN / LSTM /
    GRU(resetAfter=true), plain or in Bidirectional, with torch.nn.RNN / LSTM / GRU
    on the whole sequence; masked cases (Embedding maskZero) by stepping the same
    torch modules one step at a time with the Keras 3 mask rule; GRU resetAfter=false
    (no torch module) and Dense with the explicit formulas written in torch ops.

Weight mapping Keras -> PyTorch (G = number of gates, H = units):
  Keras kernel            [D, G*H]   (x @ kernel)      -> torch weight_ih_l0 [G*H, D] (transpose)
  Keras recurrent_kernel  [H, G*H]   (h @ rec_kernel)  -> torch weight_hh_l0 [G*H, H] (transpose)
  SimpleRNN / LSTM: Keras bias [G*H]   -> torch bias_ih_l0 = bias, bias_hh_l0 = 0
  LSTM gate order: Keras i,f,c,o == torch i,f,g,o (no reordering)
  GRU gate order:  Keras z,r,h   vs torch r,z,n  -> torch blocks = [keras r, keras z, keras h]
  GRU reset_after=True: Keras bias [2, 3H] = [input bias row; recurrent bias row]
                        -> torch bias_ih_l0 = reorder(row 0), bias_hh_l0 = reorder(row 1)
  GRU reset_after=False has no torch module (torch applies r after the matmul) -> explicit formula.
  Keras GRU: h = z*h_prev + (1-z)*hh ; torch: h = (1-z)*n + z*h_prev (same formula).
"""

import argparse
import json
import math
import os
import subprocess
import sys
import zlib

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_OUT = os.path.join(REPO, "test", "fixtures", "goldens.json")
RECURRENT = ("SimpleRNN", "LSTM", "GRU")
TOL = 1e-5


# ---------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------

def round_sig(a):
    """Nested list with floats rounded to 10 significant digits (ints kept)."""
    a = np.asarray(a)
    if a.dtype.kind in "iub":
        return a.astype(np.int64).tolist()

    def r(v):
        if isinstance(v, list):
            return [r(e) for e in v]
        v = float(v)
        if v == 0.0 or not math.isfinite(v):
            return 0.0 if v == 0.0 else v
        return float(f"{v:.10g}")

    return r(a.astype(np.float64).tolist())


def rnd(a):
    """Random data rounded exactly as stored, so the JSON inputs reproduce the JSON outputs."""
    return np.array(round_sig(a), dtype=np.float64)


# ---------------------------------------------------------------------------
# Case specifications (backend-independent)
# ---------------------------------------------------------------------------

def rnn_cfg(cls, units=3, **kw):
    """Full, explicit camelCase config for a recurrent layer (no reliance on defaults)."""
    cfg = {
        "units": units,
        "activation": "tanh",
        "useBias": True,
        "returnSequences": False,
        "returnState": False,
        "goBackwards": False,
        "stateful": False,
    }
    if cls in ("LSTM", "GRU"):
        cfg["recurrentActivation"] = "sigmoid"
    if cls == "LSTM":
        cfg["unitForgetBias"] = True
    if cls == "GRU":
        cfg["resetAfter"] = True
    cfg.update(kw)
    return {"className": cls, "config": cfg}


def bidi(inner, merge_mode="concat"):
    return {"className": "Bidirectional", "config": {"mergeMode": merge_mode, "layer": inner}}


def embedding():
    return {"className": "Embedding", "config": {"inputDim": 7, "outputDim": 4, "maskZero": True}}


# Token ids for masking cases: pre-padded, post-padded, unpadded rows.
PADDED_IDS = [[0, 0, 3, 5, 2], [4, 1, 6, 0, 0], [2, 6, 1, 3, 4]]

MASK_NOTE = ("Keras 3 masking: a masked step keeps the previous states and outputs the previous "
             "output (= previous h; zeros before the first unmasked step) because "
             "zero_output_for_mask is false.")
BACK_NOTE = ("goBackwards: the sequence is processed from the last step to the first and the "
             "output sequence is returned in processing (reversed time) order, so output[:, 0] "
             "belongs to the last input step and the last output equals the final h.")
BIDI_NOTE = ("Bidirectional: backward layer is a copy with goBackwards=true and its own weights "
             "(weights = forward then backward); with returnSequences the backward output is "
             "flipped back to input time order before merging.")


def case_specs():
    """List of case dicts: name, description, layers, x-spec, plus generator options."""
    C = []

    def add(name, description, layers, x, calls=1, initial_state=False, grads=True):
        C.append(dict(name=name, description=description, layers=layers, x=x,
                      calls=calls, initial_state=initial_state, grads=grads))

    # 1. SimpleRNN
    add("simple_rnn_seq_state",
        "SimpleRNN(3, tanh) with returnSequences and returnState; outputs [seq, h].",
        [rnn_cfg("SimpleRNN", returnSequences=True, returnState=True)], ("float", 2, 5, 4))
    add("simple_rnn_relu_no_bias",
        "SimpleRNN(3) with activation relu and useBias false (weights are only [kernel, recurrentKernel]); "
        "returnSequences and returnState.",
        [rnn_cfg("SimpleRNN", activation="relu", useBias=False, returnSequences=True, returnState=True)],
        ("float", 3, 4, 4))
    # 2. SimpleRNN goBackwards
    add("simple_rnn_go_backwards",
        "SimpleRNN(3) goBackwards with returnSequences. " + BACK_NOTE,
        [rnn_cfg("SimpleRNN", returnSequences=True, goBackwards=True)], ("float", 2, 6, 4))
    # 3. LSTM
    add("lstm_seq_state",
        "LSTM(3) with returnSequences and returnState; outputs [seq, h, c]; gate order i,f,c,o.",
        [rnn_cfg("LSTM", returnSequences=True, returnState=True)], ("float", 2, 5, 4))
    add("lstm_go_backwards",
        "LSTM(3) goBackwards with returnSequences and returnState. " + BACK_NOTE,
        [rnn_cfg("LSTM", returnSequences=True, returnState=True, goBackwards=True)], ("float", 3, 4, 4))
    add("lstm_initial_state",
        "LSTM(3) with returnSequences and returnState, called with initial_state=[h0, c0] (random).",
        [rnn_cfg("LSTM", returnSequences=True, returnState=True)], ("float", 2, 5, 4),
        initial_state=True)
    # 4. GRU
    add("gru_reset_after_seq_state",
        "GRU(3, resetAfter true) with returnSequences and returnState; gate order z,r,h; bias [2, 9] = "
        "[input bias; recurrent bias]; hh = tanh(x Wh + bi_h + r * (h Uh + br_h)); h = z*h_prev + (1-z)*hh.",
        [rnn_cfg("GRU", resetAfter=True, returnSequences=True, returnState=True)], ("float", 2, 5, 4))
    add("gru_reset_before_seq_state",
        "GRU(3, resetAfter false) with returnSequences and returnState; bias [9]; "
        "hh = tanh(x Wh + b_h + (r * h) Uh); h = z*h_prev + (1-z)*hh.",
        [rnn_cfg("GRU", resetAfter=False, returnSequences=True, returnState=True)], ("float", 3, 5, 4))
    add("gru_go_backwards",
        "GRU(3, resetAfter true) goBackwards with returnSequences and returnState. " + BACK_NOTE,
        [rnn_cfg("GRU", resetAfter=True, returnSequences=True, returnState=True, goBackwards=True)],
        ("float", 2, 6, 4))
    add("gru_initial_state",
        "GRU(3, resetAfter true) with returnSequences and returnState, called with initial_state=[h0] (random).",
        [rnn_cfg("GRU", resetAfter=True, returnSequences=True, returnState=True)], ("float", 2, 4, 4),
        initial_state=True)
    # 5. Masking
    for cls in RECURRENT:
        add(f"masked_{cls_snake(cls)}_seq_state",
            f"Embedding(7, 4, maskZero) then {cls}(3) with returnSequences and returnState; row 0 pre-padded, "
            "row 1 post-padded, row 2 unpadded. " + MASK_NOTE,
            [embedding(), rnn_cfg(cls, returnSequences=True, returnState=True)], ("ids",))
    add("masked_lstm_go_backwards",
        "Embedding(7, 4, maskZero) then LSTM(3) goBackwards with returnSequences and returnState. "
        + MASK_NOTE + " " + BACK_NOTE,
        [embedding(), rnn_cfg("LSTM", returnSequences=True, returnState=True, goBackwards=True)], ("ids",))
    add("masked_gru_last_output",
        "Embedding(7, 4, maskZero) then GRU(3) with returnSequences false: the output is the output of the "
        "last unmasked step (masked trailing steps carry it forward). " + MASK_NOTE,
        [embedding(), rnn_cfg("GRU", returnSequences=False)], ("ids",))
    # 6. Bidirectional
    for mode in ("concat", "sum", "mul", "ave", None):
        tag = "none" if mode is None else mode
        extra = (" mergeMode null: outputs are [forwardSeq, backwardSeq] (backward in input time order)."
                 if mode is None else "")
        add(f"bidirectional_lstm_{tag}",
            f"Bidirectional(LSTM(3, returnSequences)) mergeMode {json.dumps(mode)}. " + BIDI_NOTE + extra,
            [bidi(rnn_cfg("LSTM", returnSequences=True), mode)], ("float", 2, 5, 4))
    add("bidirectional_gru_last",
        "Bidirectional(GRU(3, resetAfter true)) returnSequences false, mergeMode concat: "
        "[forward final output, backward final output (after processing step 0)].",
        [bidi(rnn_cfg("GRU", resetAfter=True), "concat")], ("float", 3, 4, 4))
    add("bidirectional_lstm_state",
        "Bidirectional(LSTM(3, returnState)) returnSequences false, mergeMode concat; "
        "outputs [merged, forward h, forward c, backward h, backward c].",
        [bidi(rnn_cfg("LSTM", returnState=True), "concat")], ("float", 2, 5, 4))
    add("masked_bidirectional_simple_rnn",
        "Embedding(7, 4, maskZero) then Bidirectional(SimpleRNN(3, returnSequences)) mergeMode concat. "
        "Keras 3 Bidirectional forces zero_output_for_mask = returnSequences (true here) on both wrapped "
        "layers, so masked steps output zeros in both directions (states still carried). " + BIDI_NOTE,
        [embedding(), bidi(rnn_cfg("SimpleRNN", returnSequences=True), "concat")], ("ids",))
    # 7. Stateful
    for cls in ("LSTM", "GRU"):
        add(f"{cls_snake(cls)}_stateful",
            f"{cls}(3, stateful, returnSequences) with fixed batch 2, called twice on different x; the second "
            "call starts from the final states of the first (fresh layer starts from zeros).",
            [rnn_cfg(cls, returnSequences=True, stateful=True)], ("float", 2, 4, 4), calls=2, grads=False)
    # 8. Dense
    add("dense_2d", "Dense(2, sigmoid) on a [3, 4] input.",
        [{"className": "Dense", "config": {"units": 2, "activation": "sigmoid", "useBias": True}}],
        ("float2d", 3, 4))
    add("dense_3d", "Dense(2, sigmoid) on a [2, 5, 4] input; applied to the last axis.",
        [{"className": "Dense", "config": {"units": 2, "activation": "sigmoid", "useBias": True}}],
        ("float", 2, 5, 4))
    return C


def cls_snake(cls):
    return {"SimpleRNN": "simple_rnn", "LSTM": "lstm", "GRU": "gru"}[cls]


# ---------------------------------------------------------------------------
# Keras (jax backend) generator
# ---------------------------------------------------------------------------

def camel_to_snake(s):
    return "".join("_" + c.lower() if c.isupper() else c for c in s)


def make_keras_layer(spec, keras):
    cls = spec["className"]
    cfg = dict(spec["config"])
    if cls == "Bidirectional":
        inner = make_keras_layer(cfg["layer"], keras)
        return keras.layers.Bidirectional(inner, merge_mode=cfg["mergeMode"])
    kwargs = {camel_to_snake(k): v for k, v in cfg.items()}
    return getattr(keras.layers, cls)(**kwargs)


def weight_std(spec):
    return 1.0 if spec["className"] == "Embedding" else 0.5


def as_list(out):
    return list(out) if isinstance(out, (list, tuple)) else [out]


def generate(out_path, torch_python):
    os.environ.setdefault("KERAS_BACKEND", "jax")
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    import keras
    from keras import ops
    assert keras.backend.backend() == "jax", "run with KERAS_BACKEND=jax"
    keras.config.set_floatx("float64")
    # Keras 3's dtype promotion (keras.src.backend.common.dtypes.result_type) always maps 64-bit
    # results to 32-bit, e.g. ops.tanh(float64) -> float32 even with jax x64 enabled. That would
    # silently compute every tanh in float32 (and crash SimpleRNN's float64 scan carry). Disable
    # that mapping so the whole reference is genuinely float64; semantics are unchanged.
    from keras.src.backend.common import dtypes as keras_dtypes
    keras_dtypes.BIT64_TO_BIT32_DTYPE.clear()
    assert ops.tanh(ops.ones((1,), dtype="float64")).dtype == jnp.float64
    keras.utils.set_random_seed(1234)  # only affects unused initializers; weights are overwritten

    torch_version = None
    if torch_python:
        torch_version = subprocess.run(
            [torch_python, "-c", "import torch; print(torch.__version__)"],
            check=True, capture_output=True, text=True).stdout.strip()

    def call_layer(layer, h, mask, initial_state, stateless_params=None):
        kwargs = {}
        if mask is not None:
            kwargs["mask"] = mask
        if initial_state is not None:
            kwargs["initial_state"] = initial_state
        if layer.__class__.__name__ in RECURRENT + ("Bidirectional",):
            kwargs["training"] = False
        if stateless_params is None:
            out = layer(h, **kwargs)
        else:
            out, _ = layer.stateless_call(stateless_params, [v.value for v in layer.non_trainable_variables],
                                          h, **kwargs)
        return out

    def run_chain(layers, x, initial_state, params=None):
        """Apply layers in order (like Sequential), propagating the Embedding mask explicitly."""
        h, mask = x, None
        first_rnn = next((i for i, l in enumerate(layers)
                          if l.__class__.__name__ in RECURRENT + ("Bidirectional",)), None)
        for i, layer in enumerate(layers):
            init = initial_state if i == first_rnn else None
            out = call_layer(layer, h, mask, init, None if params is None else params[i])
            if i < len(layers) - 1:
                assert not isinstance(out, (list, tuple)), "only the last layer may return several tensors"
                mask = layer.compute_mask(h, mask)
                h = out
            else:
                return as_list(out)

    cases_json = []
    for spec in case_specs():
        name = spec["name"]
        rng = np.random.default_rng(zlib.crc32(name.encode()))
        kind = spec["x"][0]

        def make_x():
            if kind == "ids":
                return np.array(PADDED_IDS, dtype=np.int32)
            return rnd(rng.normal(0.0, 1.0, spec["x"][1:]))

        xs = [make_x() for _ in range(spec["calls"])]
        layers = [make_keras_layer(ls, keras) for ls in spec["layers"]]

        # Build by a dry run, then overwrite every weight with seeded N(0, std^2) values.
        run_chain(layers, xs[0], None)
        weights = []
        for ls, layer in zip(spec["layers"], layers):
            # get_weights() order must equal trainable_variables order (used for the grads).
            assert [id(v) for v in layer.weights] == [id(v) for v in layer.trainable_variables], name
            ws = [rnd(rng.normal(0.0, weight_std(ls), w.shape)) for w in layer.get_weights()]
            layer.set_weights(ws)
            weights.append(ws)
            if getattr(layer, "stateful", False):
                layer.reset_state()

        init_state = None
        rnn_spec = next((ls for ls in spec["layers"] if ls["className"] in RECURRENT), None)
        if spec["initial_state"]:
            n_states = 2 if rnn_spec["className"] == "LSTM" else 1
            init_state = [rnd(rng.normal(0.0, 0.5, (xs[0].shape[0], rnn_spec["config"]["units"])))
                          for _ in range(n_states)]

        calls, raw_outs = [], []
        for ci, x in enumerate(xs):
            outs = [np.asarray(o) for o in run_chain(layers, x, init_state)]
            raw_outs.append(outs)
            call = {
                "x": round_sig(x),
                "initialState": None if init_state is None else [round_sig(s) for s in init_state],
                "outputs": [round_sig(o) for o in outs],
                "grads": None,
            }
            if spec["grads"]:
                R = rnd(rng.normal(0.0, 1.0, outs[0].shape))
                is_ids = kind == "ids"
                params0 = [[jnp.asarray(v.value) for v in l.trainable_variables] for l in layers]
                init_j = None if init_state is None else [jnp.asarray(s) for s in init_state]

                def loss(params, xin):
                    o = run_chain(layers, xin, init_j, params)
                    return jnp.sum(o[0] * R), o

                if is_ids:
                    (_, o_sl), dparams = jax.value_and_grad(loss, has_aux=True)(params0, jnp.asarray(x))
                    dx = None
                else:
                    (_, o_sl), (dparams, dx) = jax.value_and_grad(loss, argnums=(0, 1), has_aux=True)(
                        params0, jnp.asarray(x))
                # The stateless (differentiated) forward must equal the eager Keras forward.
                for a, b in zip(o_sl, outs):
                    assert np.max(np.abs(np.asarray(a) - b)) < 1e-12, name
                call["grads"] = {
                    "loss": "sum(outputs[0] * R)",
                    "R": round_sig(R),
                    "dx": None if dx is None else round_sig(dx),
                    "dweights": [[round_sig(g) for g in lg] for lg in dparams],
                }
            calls.append(call)

        check = ""
        # Native Keras mask propagation (functional model) must give the same outputs.
        if spec["calls"] == 1 and init_state is None:
            inp = keras.Input(batch_shape=xs[0].shape, dtype="int32" if kind == "ids" else "float64")
            h = inp
            for layer in layers:
                h = layer(h)
            model = keras.Model(inp, h)
            mouts = as_list(model(xs[0], training=False))
            d = max(float(np.max(np.abs(np.asarray(a) - np.asarray(b))))
                    for a, b in zip(mouts, raw_outs[0]))
            assert d < 1e-9, (name, d)
            check = f" functional-model diff {d:.1e}"
        # Stateful: second call must equal a fresh non-stateful layer started from call 1's final states.
        if spec["calls"] == 2:
            ls = json.loads(json.dumps(rnn_spec))
            ls["config"].update(stateful=False, returnState=True)
            fresh = make_keras_layer(ls, keras)
            fresh(xs[0])
            fresh.set_weights(weights[0])
            o1 = as_list(fresh(xs[0]))
            o2 = as_list(fresh(xs[1], initial_state=o1[1:]))
            d = max(float(np.max(np.abs(np.asarray(o1[0]) - raw_outs[0][0]))),
                    float(np.max(np.abs(np.asarray(o2[0]) - raw_outs[1][0]))))
            assert d < 1e-9, (name, d)
            check = f" stateful-vs-initial_state diff {d:.1e}"

        cases_json.append({
            "name": name,
            "description": spec["description"],
            "layers": [{"className": ls["className"], "config": ls["config"],
                        "weights": [round_sig(w) for w in ws]}
                       for ls, ws in zip(spec["layers"], weights)],
            "inputs": calls,
        })
        shapes = ", ".join("x".join(map(str, o.shape)) for o in raw_outs[0])
        print(f"{name}: {len(layers)} layer(s), {len(calls)} call(s), outputs [{shapes}], "
              f"grads {'yes' if spec['grads'] else 'no'};{check}")

    names = [c["name"] for c in cases_json]
    assert len(names) == len(set(names))
    ref = f"keras {keras.__version__} (jax {jax.__version__})"
    if torch_version:
        ref += f", cross-checked with torch {torch_version}"
    doc = {
        "generator": "test/reference/make_goldens.py",
        "reference": ref,
        "dtype": "float64",
        "cases": cases_json,
    }
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    with open(out_path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {out_path}: {len(cases_json)} cases, {os.path.getsize(out_path)} bytes")

    if torch_python:
        subprocess.run([torch_python, os.path.abspath(__file__), "--torch-check", out_path], check=True)


# ---------------------------------------------------------------------------
# PyTorch cross-check
# ---------------------------------------------------------------------------

def torch_checkable(case):
    layers = case["layers"]
    if layers[0]["className"] == "Embedding":
        layers = layers[1:]
    if len(layers) != 1:
        return False, "not a single recurrent layer"
    layer = layers[0]
    if layer["className"] == "Dense":
        return layer["config"]["activation"] == "sigmoid", "activation"
    spec = layer["config"]["layer"] if layer["className"] == "Bidirectional" else layer
    cls, cfg = spec["className"], spec["config"]
    if cls not in RECURRENT:
        return False, f"{cls} layer"
    if cfg["activation"] != "tanh" and not (cls == "SimpleRNN" and cfg["activation"] == "relu"):
        return False, "activation"
    if cfg.get("recurrentActivation", "sigmoid") != "sigmoid":
        return False, "recurrentActivation"
    return True, ""


def torch_check(path):
    """Independent re-computation with PyTorch in float64 (see the module docstring for the mapping).

    Plain cases use torch.nn.RNN/LSTM/GRU on the whole sequence. Masked cases (Embedding with
    maskZero) step the same torch modules one time step at a time and apply the Keras 3 mask rule
    (masked step: keep states; output previous h, or zeros when zero_output_for_mask, which
    Bidirectional forces to returnSequences). GRU resetAfter=false has no torch module, so it is
    checked against the explicit Keras formula written with torch ops.
    """
    import torch
    from torch import nn
    torch.set_default_dtype(torch.float64)
    T = lambda a: torch.tensor(np.asarray(a, dtype=np.float64))  # noqa: E731

    def gru_swap(w, axis):
        # Keras blocks z, r, h <-> torch blocks r, z, n (swapping the first two blocks is self-inverse)
        a, b, c = torch.chunk(w, 3, dim=axis)
        return torch.cat([b, a, c], dim=axis)

    class RecurrentNet:
        """One Keras recurrent layer's weights as a torch module, with the mapping in both directions."""

        def __init__(self, spec, weights):
            self.cls, self.cfg = spec["className"], spec["config"]
            cfg = self.cfg
            d_in, h = len(weights[0]), cfg["units"]
            self.use_bias = cfg["useBias"]
            self.manual = self.cls == "GRU" and not cfg["resetAfter"]
            if self.manual:  # Keras-layout leaf tensors used directly by gru_reset_before_step
                self.weights = [T(w).requires_grad_(True) for w in weights]
                return
            if self.cls == "SimpleRNN":
                mod = nn.RNN(d_in, h, nonlinearity=cfg["activation"], bias=self.use_bias, batch_first=True)
            elif self.cls == "LSTM":
                mod = nn.LSTM(d_in, h, bias=self.use_bias, batch_first=True)
            else:
                mod = nn.GRU(d_in, h, bias=self.use_bias, batch_first=True)
            self.mod = mod.double()
            self.swap = gru_swap if self.cls == "GRU" else (lambda w, axis: w)
            with torch.no_grad():
                mod.weight_ih_l0.copy_(self.swap(T(weights[0]), 1).t())  # [D, G*H] -> [G*H, D]
                mod.weight_hh_l0.copy_(self.swap(T(weights[1]), 1).t())  # [H, G*H] -> [G*H, H]
                if self.use_bias:
                    b = T(weights[2])
                    if self.cls == "GRU":  # reset_after bias [2, 3H] = [input row; recurrent row]
                        mod.bias_ih_l0.copy_(self.swap(b[0], 0))
                        mod.bias_hh_l0.copy_(self.swap(b[1], 0))
                    else:  # the single Keras bias goes to b_ih; torch's b_hh stays zero
                        mod.bias_ih_l0.copy_(b)
                        mod.bias_hh_l0.zero_()

        def params(self):
            if self.manual:
                return self.weights
            p = [self.mod.weight_ih_l0, self.mod.weight_hh_l0]
            return p + ([self.mod.bias_ih_l0, self.mod.bias_hh_l0] if self.use_bias else [])

        def keras_grads(self, g):
            """Gradients w.r.t. params() -> Keras weight layout."""
            if self.manual:
                return list(g)
            out = [self.swap(g[0].t(), 1), self.swap(g[1].t(), 1)]
            if self.use_bias:
                if self.cls == "GRU":
                    out.append(torch.stack([self.swap(g[2], 0), self.swap(g[3], 0)]))
                else:
                    out.append(g[2])  # b_hh is not a Keras weight
            return out

        def gru_reset_before_step(self, x_t, h):
            W, U = self.weights[0], self.weights[1]
            H = self.cfg["units"]
            xw = x_t @ W + (self.weights[2] if self.use_bias else 0.0)
            z = torch.sigmoid(xw[:, :H] + h @ U[:, :H])
            r = torch.sigmoid(xw[:, H:2 * H] + h @ U[:, H:2 * H])
            hh = torch.tanh(xw[:, 2 * H:] + (r * h) @ U[:, 2 * H:])
            return z * h + (1 - z) * hh

        def run(self, x, states):
            """x [B, T, D] in processing order; returns (outputs [B, T, H], final states list)."""
            if self.manual:
                h, outs = states[0], []
                for t in range(x.shape[1]):
                    h = self.gru_reset_before_step(x[:, t], h)
                    outs.append(h)
                return torch.stack(outs, 1), [h]
            hx = [s.unsqueeze(0) for s in states]
            seq, hn = self.mod(x, tuple(hx) if self.cls == "LSTM" else hx[0])
            return seq, ([s[0] for s in hn] if self.cls == "LSTM" else [hn[0]])

    def run_rnn(spec, net, x, state, mask, zero_output_for_mask):
        """Keras semantics on top of torch: returns (output, [final states in Keras order])."""
        cls, cfg = spec["className"], spec["config"]
        if state is None:
            z = torch.zeros(x.shape[0], cfg["units"])
            state = [z, z] if cls == "LSTM" else [z]
        if cfg["goBackwards"]:  # process reversed; outputs stay in processing order
            x = torch.flip(x, [1])
            mask = None if mask is None else torch.flip(mask, [1])
        if mask is None:
            seq, state = net.run(x, state)
        else:
            outs = []
            for t in range(x.shape[1]):
                o, new = net.run(x[:, t:t + 1], state)
                m = mask[:, t]  # [B, 1]
                o = torch.where(m, o[:, 0], torch.zeros_like(state[0]) if zero_output_for_mask else state[0])
                state = [torch.where(m, n, s) for n, s in zip(new, state)]
                outs.append(o)
            seq = torch.stack(outs, 1)
        return (seq if cfg["returnSequences"] else seq[:, -1]), state

    class DenseNet:
        def __init__(self, layer):
            self.weights = [T(w).requires_grad_(True) for w in layer["weights"]]

        def params(self):
            return self.weights

        def keras_grads(self, g):
            return list(g)

    def build_nets(layer):
        if layer["className"] == "Dense":
            return [DenseNet(layer)]
        if layer["className"] != "Bidirectional":
            return [RecurrentNet(layer, layer["weights"])]
        n = len(layer["weights"]) // 2
        inner = layer["config"]["layer"]
        return [RecurrentNet(inner, layer["weights"][:n]), RecurrentNet(inner, layer["weights"][n:])]

    def run_layer(layer, nets, x, init, mask):
        cls, cfg = layer["className"], layer["config"]
        if cls == "Dense":  # applies to the last axis
            w = nets[0].weights
            return [torch.sigmoid(x @ w[0] + (w[1] if cfg["useBias"] else 0.0))], []
        if cls != "Bidirectional":
            zero = cfg.get("zeroOutputForMask", False)
            out, states = run_rnn(layer, nets[0], x, init, mask, zero)
            return [out] + (states if cfg["returnState"] else []), states
        inner = layer["config"]["layer"]
        bwd_spec = json.loads(json.dumps(inner))
        bwd_spec["config"]["goBackwards"] = True
        zero = inner["config"]["returnSequences"]  # Keras 3 Bidirectional forces this
        half = None if init is None else len(init) // 2
        y, fs = run_rnn(inner, nets[0], x, None if init is None else init[:half], mask, zero)
        yr, bs = run_rnn(bwd_spec, nets[1], x, None if init is None else init[half:], mask, zero)
        if inner["config"]["returnSequences"]:
            yr = torch.flip(yr, [1])
        mode = cfg["mergeMode"]
        merged = {"concat": lambda: [torch.cat([y, yr], -1)], "sum": lambda: [y + yr],
                  "ave": lambda: [(y + yr) / 2], "mul": lambda: [y * yr], None: lambda: [y, yr]}[mode]()
        return merged + (fs + bs if inner["config"]["returnState"] else []), fs + bs

    data = json.load(open(path))
    worst_out, worst_grad, n_checked = 0.0, 0.0, 0
    for case in data["cases"]:
        ok, why = torch_checkable(case)
        if not ok:
            print(f"torch-check {case['name']}: skipped ({why})")
            continue
        layers = case["layers"]
        emb = layers[0] if layers[0]["className"] == "Embedding" else None
        layer = layers[-1]
        nets = build_nets(layer)
        emb_w = None if emb is None else T(emb["weights"][0]).requires_grad_(True)
        carried = None  # stateful: states carried between calls
        case_out, case_grad = 0.0, 0.0
        for call in case["inputs"]:
            if emb is None:
                x_leaf = T(call["x"]).requires_grad_(True)
                x, mask = x_leaf, None
            else:
                ids = torch.tensor(call["x"], dtype=torch.long)
                x = emb_w[ids]
                mask = (ids != 0).unsqueeze(-1) if emb["config"]["maskZero"] else None
            init = [T(s) for s in call["initialState"]] if call["initialState"] is not None else carried
            outs, final_states = run_layer(layer, nets, x, init, mask)
            assert len(outs) == len(call["outputs"]), case["name"]
            for o, ref in zip(outs, call["outputs"]):
                case_out = max(case_out, float((o.detach() - T(ref)).abs().max()))
            if layer["config"].get("stateful"):
                carried = [s.detach() for s in final_states]
            g = call["grads"]
            if g is not None:
                loss = (outs[0] * T(g["R"])).sum()
                params = [p for net in nets for p in net.params()]
                wrt = ([x_leaf] if emb is None else [emb_w]) + params
                grads = torch.autograd.grad(loss, wrt, allow_unused=True)
                grads = [torch.zeros_like(t) if gr is None else gr for gr, t in zip(grads, wrt)]
                dws, i = [], 1
                for net in nets:
                    k = len(net.params())
                    dws += net.keras_grads(grads[i:i + k])
                    i += k
                if emb is None:
                    pairs = [(grads[0], g["dx"])] + list(zip(dws, g["dweights"][0]))
                else:
                    pairs = [(grads[0], g["dweights"][0][0])] + list(zip(dws, g["dweights"][1]))
                for gt, ref in pairs:
                    case_grad = max(case_grad, float((gt - T(ref)).abs().max()))
        n_checked += 1
        worst_out, worst_grad = max(worst_out, case_out), max(worst_grad, case_grad)
        print(f"torch-check {case['name']}: max|diff| outputs {case_out:.2e}, grads {case_grad:.2e}")
        assert case_out < TOL and case_grad < TOL, case["name"]
    print(f"torch-check OK (torch {torch.__version__}): {n_checked} cases, "
          f"max abs diff outputs {worst_out:.2e}, grads {worst_grad:.2e}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=DEFAULT_OUT, help="output JSON (generate mode)")
    ap.add_argument("--torch-python", default="/usr/bin/python3",
                    help="python with torch for the cross-check after generating ('' to skip)")
    ap.add_argument("--torch-check", metavar="GOLDENS_JSON", help="only run the PyTorch cross-check")
    args = ap.parse_args()
    if args.torch_check:
        torch_check(args.torch_check)
    else:
        generate(args.out, args.torch_python)


if __name__ == "__main__":
    sys.exit(main())
