#!/usr/bin/env python3
"""Reference generator for the tfjs-recurrent interop fixtures (issue 6).

Writes test/fixtures/interop/: converted Keras models in the TensorFlow.js "layers-model"
format (one directory per case) and torch.json (PyTorch state dicts with PyTorch's outputs).

Three modes:

  * Generate the Keras fixtures (run inside the Keras 3 venv, KERAS_BACKEND=jax):
        KERAS_BACKEND=jax /work/venv/bin/python test/reference/make_interop.py \
            [--out test/fixtures/interop] [--torch-python /usr/bin/python3]
    For each case it writes, with h5py, the HDF5 file that tf.keras 2.12 `model.save("m.h5")`
    writes (attrs keras_version / backend / model_config; group model_weights with one
    group per layer holding the `weight_names` attr and the TF2 variable names such as
    "bidirectional/forward_gru/gru_cell/kernel:0"), then converts that file exactly as
    `tensorflowjs_converter --input_format keras m.h5 outdir` does
    (tensorflowjs/converters/keras_h5_conversion.py: h5_merged_saved_model_to_tfjs_format +
    write_artifacts, and write_weights.py), which cannot be installed here:
      - model.json = {"format": "layers-model", "generatedBy": "keras v2.12.0",
        "convertedBy": "TensorFlow.js Converter v4.6.0", "modelTopology": {"keras_version",
        "backend", "model_config"}, "weightsManifest": [{"paths": ["group1-shard1of1.bin"],
        "weights": [{"name", "shape", "dtype": "float32"}, ...]}]}, dumped with json.dump
        defaults (", " / ": " separators), no training_config (the model is not compiled);
      - weight names = the HDF5 weight names without ":0"; manifest order = the order in which
        h5py iterates the layer groups of model_weights (sorted by name, NOT layer order),
        then each layer's weight_names order (trainable then non-trainable, forward then
        backward for Bidirectional);
      - group1-shard1of1.bin = the little-endian float32 values concatenated in manifest order.
    The expected outputs come from REAL Keras 3 (jax, float64, training=False): the Keras 3
    model is instantiated from that same tf.keras-2 model_config by Keras 3's own legacy
    deserializer (keras.src.legacy.saving.saving_utils.model_from_config, the path Keras 3
    uses for old .h5 files), with only two edits: "time_major" is dropped (not a Keras 3
    argument) and every "dtype": "float32" becomes "float64" (so the reference computes in
    float64); the built-in SimpleRNN / LSTM / GRU classes are passed as custom_objects because
    Keras 3's Bidirectional.from_config cannot resolve a module-less (Keras 2) inner layer
    config by itself. Its weights are loaded from the same HDF5 file by Keras 3's legacy loader
    (legacy_h5_format.load_weights_from_hdf5_group). Case keras3_seq_emb_bigru instead takes
    model_config verbatim from Keras 3's model.to_json() and weight names from Keras 3's
    variable .path. It then runs the PyTorch cross-check below in a subprocess
    (pass --torch-python "" to skip it).

  * PyTorch (run with a python that has torch + numpy, no Keras needed):
        /usr/bin/python3 test/reference/make_interop.py --torch [--out test/fixtures/interop]
    (a) writes torch.json: nn.RNN(tanh), nn.RNN(relu), nn.LSTM, nn.GRU, bidirectional LSTM and
        GRU and a 2-layer LSTM, each with seeded default init (float32 weights), state dict
        (exactly module.state_dict(), values .tolist()), a batch-first input and PyTorch's
        output / h_n / c_n computed in float64 from the same float32 values (12 significant digits);
    (b) cross-checks every Keras fixture independently of Keras: it reads model.json and the
        .bin shard by manifest name, re-computes the model with torch.nn.GRU / LSTM / RNN (and
        the explicit formula for GRU reset_after=False, which has no torch module), and
        asserts max |diff| < 1e-6 against expected.json.

Weight mapping Keras -> PyTorch (G = number of gates, H = units):
  kernel [D, G*H] -> weight_ih_l0 = kernel^T ; recurrent_kernel [H, G*H] -> weight_hh_l0^T
  SimpleRNN / LSTM bias [G*H] -> bias_ih_l0 = bias, bias_hh_l0 = 0 ; LSTM gates i,f,c,o == i,f,g,o
  GRU gates z,r,h vs torch r,z,n (swap the first two H-blocks);
  GRU reset_after=True bias [2, 3H] -> bias_ih_l0 = row 0, bias_hh_l0 = row 1 (reordered).

tf.keras 2.12 conventions reproduced here (see test/reference/README.md for the sources):
  - the RNN cell has the fixed name "<layer>_cell" (lstm_cell, gru_cell, simple_rnn_cell), so
    variables are "<layer>/<cell>/kernel"; Bidirectional's copies are named forward_<inner> and
    backward_<inner>: "bidirectional/forward_gru/gru_cell/kernel";
  - Sequential config lists an InputLayer "<first layer>_input" and the first layer keeps
    "batch_input_shape"; functional model class_name "Functional", layers carry "name" and
    "inbound_nodes" [[["input_1", 0, 0, {}]]], input_layers / output_layers [["name", 0, 0]];
  - initializers {"class_name": "GlorotUniform", "config": {"seed": null}} (no "module" key).
"""

import argparse
import copy
import json
import shutil
import os
import subprocess
import sys
import zlib

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_OUT = os.path.join(REPO, "test", "fixtures", "interop")
TF_KERAS_VERSION = "2.12.0"
CONVERTER = "TensorFlow.js Converter v4.6.0"
SHARD = "group1-shard1of1.bin"
TOL = 1e-6


def state_dict_to_json(module, path):
    """The snippet users copy: write a torch module's state_dict as JSON of nested lists."""
    import json
    with open(path, "w") as f:
        json.dump({k: v.detach().cpu().tolist() for k, v in module.state_dict().items()}, f)


# ---------------------------------------------------------------------------
# tf.keras 2.12 get_config() dialect (key order as tf.keras writes it)
# ---------------------------------------------------------------------------

def _init(cls, **cfg):
    return {"class_name": cls, "config": cfg}


GLOROT = _init("GlorotUniform", seed=None)
ORTHO = _init("Orthogonal", gain=1.0, seed=None)
ZEROS = _init("Zeros")
EMB_INIT = _init("RandomUniform", minval=-0.05, maxval=0.05, seed=None)


def _base(name, batch_input_shape=None):
    cfg = {"name": name, "trainable": True, "dtype": "float32"}
    if batch_input_shape is not None:
        cfg["batch_input_shape"] = list(batch_input_shape)
    return cfg


def k2_input(name, batch_input_shape, dtype="float32"):
    return {"class_name": "InputLayer", "config": {
        "batch_input_shape": list(batch_input_shape), "dtype": dtype, "sparse": False,
        "ragged": False, "name": name}}


def k2_embedding(name, input_dim, output_dim, mask_zero=False, input_length=None, bis=None):
    cfg = _base(name, bis)
    cfg.update(input_dim=input_dim, output_dim=output_dim, embeddings_initializer=EMB_INIT,
               embeddings_regularizer=None, activity_regularizer=None, embeddings_constraint=None,
               mask_zero=mask_zero, input_length=input_length)
    return {"class_name": "Embedding", "config": cfg}


def _rnn_base(name, bis, return_sequences):
    cfg = _base(name, bis)
    cfg.update(return_sequences=return_sequences, return_state=False, go_backwards=False,
               stateful=False, unroll=False, time_major=False)
    return cfg


def _regs(cfg):
    cfg.update(kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
               activity_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
               bias_constraint=None, dropout=0.0, recurrent_dropout=0.0)


def k2_simple_rnn(name, units, return_sequences=False, activation="tanh", bis=None):
    cfg = _rnn_base(name, bis, return_sequences)
    cfg.update(units=units, activation=activation, use_bias=True, kernel_initializer=GLOROT,
               recurrent_initializer=ORTHO, bias_initializer=ZEROS)
    _regs(cfg)
    return {"class_name": "SimpleRNN", "config": cfg}


def k2_gru(name, units, return_sequences=False, reset_after=True, bis=None):
    cfg = _rnn_base(name, bis, return_sequences)
    cfg.update(units=units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
               kernel_initializer=GLOROT, recurrent_initializer=ORTHO, bias_initializer=ZEROS)
    _regs(cfg)
    cfg.update(implementation=2, reset_after=reset_after)
    return {"class_name": "GRU", "config": cfg}


def k2_lstm(name, units, return_sequences=False, bis=None):
    cfg = _rnn_base(name, bis, return_sequences)
    cfg.update(units=units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
               kernel_initializer=GLOROT, recurrent_initializer=ORTHO, bias_initializer=ZEROS,
               unit_forget_bias=True)
    _regs(cfg)
    cfg.update(implementation=2)
    return {"class_name": "LSTM", "config": cfg}


def k2_bidirectional(name, layer, merge_mode="concat", bis=None):
    cfg = _base(name, bis)
    cfg.update(layer=layer, merge_mode=merge_mode)
    return {"class_name": "Bidirectional", "config": cfg}


def k2_dense(name, units, activation="linear", bis=None):
    cfg = _base(name, bis)
    cfg.update(units=units, activation=activation, use_bias=True, kernel_initializer=GLOROT,
               bias_initializer=ZEROS, kernel_regularizer=None, bias_regularizer=None,
               activity_regularizer=None, kernel_constraint=None, bias_constraint=None)
    return {"class_name": "Dense", "config": cfg}


def k2_dropout(name, rate):
    cfg = _base(name)
    cfg.update(rate=rate, noise_shape=None, seed=None)
    return {"class_name": "Dropout", "config": cfg}


def k2_sequential(name, layers):
    """tf.keras 2.x Sequential built with an input shape: an InputLayer comes first."""
    first = layers[0]["config"]
    inp = k2_input(first["name"] + "_input", first["batch_input_shape"], "float32")
    return {"class_name": "Sequential", "config": {"name": name, "layers": [inp] + layers}}


def k2_functional(name, nodes, inputs, outputs):
    """nodes: list of (layer_config, [inbound layer names]); single-tensor nodes only."""
    layers = []
    for cfg, inbound in nodes:
        entry = dict(cfg)
        entry["name"] = cfg["config"]["name"]
        entry["inbound_nodes"] = [[[n, 0, 0, {}] for n in inbound]] if inbound else []
        layers.append(entry)
    return {"class_name": "Functional", "config": {
        "name": name, "trainable": True, "layers": layers,
        "input_layers": [[n, 0, 0] for n in inputs],
        "output_layers": [[n, 0, 0] for n in outputs]}}


# Names of the TF2 variables of each layer, in weight order (tf.keras 2.12).
CELL = {"SimpleRNN": "simple_rnn_cell", "LSTM": "lstm_cell", "GRU": "gru_cell"}


def k2_weight_names(layer_cfg):
    cls, cfg = layer_cfg["class_name"], layer_cfg["config"]
    name = cfg["name"]
    if cls == "Embedding":
        return [f"{name}/embeddings"]
    if cls == "Dense":
        return [f"{name}/kernel", f"{name}/bias"]
    if cls in CELL:
        return [f"{name}/{CELL[cls]}/{w}" for w in ("kernel", "recurrent_kernel", "bias")]
    if cls == "Bidirectional":
        inner = layer_cfg["config"]["layer"]
        out = []
        for d in ("forward", "backward"):
            out += [f"{name}/{d}_{inner['config']['name']}/{CELL[inner['class_name']]}/{w}"
                    for w in ("kernel", "recurrent_kernel", "bias")]
        return out
    return []


# ---------------------------------------------------------------------------
# Case specifications
# ---------------------------------------------------------------------------

def case_specs():
    C = []
    # 1. Sequential Embedding(mask_zero) -> Bidirectional(GRU reset_after) -> Dense(sigmoid)
    C.append(dict(
        name="keras_seq_emb_bigru",
        description="Sequential: Embedding(30, 8, mask_zero, input_length 7) -> Bidirectional(GRU(6, "
                    "reset_after=True), concat) -> Dense(1, sigmoid). Rows 0 and 2 pre-padded with id 0, "
                    "row 1 post-padded, row 3 unpadded.",
        model_config=k2_sequential("sequential", [
            k2_embedding("embedding", 30, 8, mask_zero=True, input_length=7, bis=[None, 7]),
            k2_bidirectional("bidirectional", k2_gru("gru", 6), "concat"),
            k2_dense("dense", 1, "sigmoid")]),
        x=np.array([[0, 0, 0, 5, 12, 29, 3], [7, 1, 18, 4, 0, 0, 0],
                    [0, 0, 0, 0, 0, 9, 22], [14, 2, 27, 8, 11, 6, 19]], dtype=np.int32)))
    # 2. Sequential GRU(reset_after=False) -> Dropout -> SimpleRNN -> Dense(softmax), float input
    C.append(dict(
        name="keras_seq_gru_before",
        description="Sequential: GRU(5, reset_after=False, return_sequences, input [6, 4]) -> Dropout(0.3) -> "
                    "SimpleRNN(4) -> Dense(3, softmax); float input [3, 6, 4] (float32-exact values).",
        model_config=k2_sequential("sequential", [
            k2_gru("gru", 5, return_sequences=True, reset_after=False, bis=[None, 6, 4]),
            k2_dropout("dropout", 0.3),
            k2_simple_rnn("simple_rnn", 4),
            k2_dense("dense", 3, "softmax")]),
        x=("float", 3, 6, 4)))
    # 3. Functional Input(int) -> Embedding -> LSTM(seq) -> Bidirectional(LSTM, sum) -> Dense
    emb = k2_embedding("embedding", 25, 6)
    lstm = k2_lstm("lstm", 7, return_sequences=True)
    bi = k2_bidirectional("bidirectional", k2_lstm("lstm_1", 4), "sum")
    dense = k2_dense("dense", 2)
    C.append(dict(
        name="keras_func_lstm",
        description="Functional: Input([9], int32) -> Embedding(25, 6) (no mask) -> LSTM(7, return_sequences) "
                    "-> Bidirectional(LSTM(4), merge_mode sum) -> Dense(2, linear). Ids include 0 (not masked).",
        model_config=k2_functional("model", [
            (k2_input("input_1", [None, 9], "int32"), []), (emb, ["input_1"]), (lstm, ["embedding"]),
            (bi, ["lstm"]), (dense, ["bidirectional"])], ["input_1"], ["dense"]),
        x=("ids", 3, 9, 25)))
    # 4. Functional with one GRU output feeding two heads (two model outputs)
    nodes = [
        (k2_input("input_1", [None, 8], "int32"), []),
        (k2_embedding("embedding", 20, 5, mask_zero=True), ["input_1"]),
        (k2_gru("gru", 6, return_sequences=True), ["embedding"]),
        (k2_dropout("dropout", 0.2), ["gru"]),
        (k2_simple_rnn("simple_rnn", 3), ["dropout"]),
        (k2_bidirectional("bidirectional", k2_lstm("lstm", 3), "ave"), ["gru"]),
        (k2_dense("dense", 2, "softmax"), ["simple_rnn"]),
        (k2_dense("dense_1", 1), ["bidirectional"]),
    ]
    C.append(dict(
        name="keras_func_two_heads",
        description="Functional, two outputs: Input([8], int32) -> Embedding(20, 5, mask_zero) -> GRU(6, "
                    "reset_after, return_sequences) which feeds (a) Dropout(0.2) -> SimpleRNN(3) -> "
                    "Dense(2, softmax) [output 0] and (b) Bidirectional(LSTM(3), ave) -> Dense(1) [output 1]. "
                    "The mask flows through GRU (return_sequences) and Dropout to both heads.",
        model_config=k2_functional("model", nodes, ["input_1"], ["dense", "dense_1"]),
        x=np.array([[0, 0, 3, 17, 5, 9, 1, 12], [4, 8, 15, 16, 0, 0, 0, 0],
                    [19, 2, 6, 11, 7, 13, 18, 10]], dtype=np.int32)))
    return C


def float32_exact(rng, shape):
    return rng.normal(0.0, 1.0, shape).astype(np.float32).astype(np.float64)


def make_input(spec, rng):
    x = spec["x"]
    if isinstance(x, np.ndarray):
        return x
    if x[0] == "float":
        return float32_exact(rng, x[1:])
    return rng.integers(0, x[3], size=x[1:3]).astype(np.int32)  # ("ids", B, T, vocab)


def layer_list(model_config):
    return model_config["config"]["layers"]


# ---------------------------------------------------------------------------
# HDF5 (tf.keras 2.x model.save) and the tensorflowjs_converter re-implementation
# ---------------------------------------------------------------------------

def write_tf_keras_h5(path, model_config, weights_by_layer):
    """weights_by_layer: {layer name: [(tf2 name without :0, float32 array), ...]}."""
    import h5py
    with h5py.File(path, "w") as f:
        f.attrs["backend"] = "tensorflow"
        f.attrs["keras_version"] = TF_KERAS_VERSION
        f.attrs["model_config"] = json.dumps(model_config)
        mw = f.create_group("model_weights")
        names = [l["config"]["name"] for l in layer_list(model_config)]
        mw.attrs["layer_names"] = np.array([n.encode("utf8") for n in names])
        mw.attrs["backend"] = b"tensorflow"
        mw.attrs["keras_version"] = TF_KERAS_VERSION.encode("utf8")
        for lname in names:
            g = mw.create_group(lname)
            ws = weights_by_layer.get(lname, [])
            g.attrs["weight_names"] = np.array([(n + ":0").encode("utf8") for n, _ in ws])
            for n, v in ws:
                g.create_dataset(n + ":0", data=np.asarray(v, dtype=np.float32))


def convert_h5_like_tfjs(h5_path, out_dir):
    """keras_h5_conversion.h5_merged_saved_model_to_tfjs_format + write_artifacts (one group, one shard)."""
    import h5py

    def as_text(b):
        return b.decode("utf8") if isinstance(b, bytes) else str(b)

    def convert_group(group):
        out = []
        if "weight_names" in group.attrs:
            names = [as_text(n) for n in group.attrs["weight_names"].tolist()]
            for n in names:
                out.append({"name": n[:-2] if n.endswith(":0") else n, "data": np.array(group[n])})
        else:
            for key in group.keys():
                out += convert_group(group[key])
        return out

    with h5py.File(h5_path, "r") as f:
        if as_text(f.attrs["keras_version"]).split(".")[0] != "2":
            raise ValueError("Expected Keras version 2")
        topology = {"keras_version": as_text(f.attrs["keras_version"]),
                    "backend": as_text(f.attrs["backend"]),
                    "model_config": json.loads(as_text(f.attrs["model_config"]))}
        group = []
        for layer_name in [as_text(n) for n in f["model_weights"]]:  # h5py order: sorted by name
            group += convert_group(f["model_weights"][layer_name])
    return write_artifacts(topology, group, out_dir, "keras v%s" % topology["keras_version"])


def write_artifacts(topology, group, out_dir, generated_by):
    os.makedirs(out_dir, exist_ok=True)
    data = b"".join(np.ascontiguousarray(e["data"], dtype="<f4").tobytes() for e in group)
    with open(os.path.join(out_dir, SHARD), "wb") as f:
        f.write(data)
    model_json = {
        "format": "layers-model",
        "generatedBy": generated_by,
        "convertedBy": CONVERTER,
        "modelTopology": topology,
        "weightsManifest": [{"paths": [SHARD], "weights": [
            {"name": e["name"], "shape": list(e["data"].shape), "dtype": "float32"} for e in group]}],
    }
    with open(os.path.join(out_dir, "model.json"), "wt") as f:
        json.dump(model_json, f)
    return model_json


# ---------------------------------------------------------------------------
# Keras 3 (jax backend, float64) generator
# ---------------------------------------------------------------------------

def keras3_config(model_config):
    """The tf.keras-2 config as Keras 3's legacy loader gets it: time_major dropped, float64."""
    def walk(o):
        if isinstance(o, dict):
            return {k: ("float64" if k == "dtype" and v == "float32" else walk(v))
                    for k, v in o.items() if k != "time_major"}
        if isinstance(o, list):
            return [walk(v) for v in o]
        return o
    return walk(copy.deepcopy(model_config))


def to_list(a):
    return np.asarray(a).tolist()


def generate(out_dir, torch_python):
    os.environ.setdefault("KERAS_BACKEND", "jax")
    import tempfile
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    import keras
    from keras import ops
    from keras.src.backend.common import dtypes as keras_dtypes
    from keras.src.legacy.saving import legacy_h5_format, saving_options, saving_utils
    from keras.src.saving import serialization_lib
    import h5py
    assert keras.backend.backend() == "jax", "run with KERAS_BACKEND=jax"
    keras.config.set_floatx("float64")
    keras_dtypes.BIT64_TO_BIT32_DTYPE.clear()  # see make_goldens.py: keep every op in float64
    assert ops.tanh(ops.ones((1,), dtype="float64")).dtype == jnp.float64

    os.makedirs(out_dir, exist_ok=True)
    tmp = tempfile.mkdtemp()
    summary = []
    case1 = None
    for spec in case_specs():
        name = spec["name"]
        rng = np.random.default_rng(zlib.crc32(name.encode()))
        keras.backend.clear_session()
        keras.utils.set_random_seed(1234)
        mc = spec["model_config"]
        # Real Keras 3 model from the tf.keras-2 config (legacy deserializer).
        # (same scopes as keras.src.legacy.saving.legacy_h5_format.load_model_from_hdf5)
        with saving_options.keras_option_scope(use_legacy_config=True), serialization_lib.SafeModeScope(True):
            model = saving_utils.model_from_config(keras3_config(mc), custom_objects={
                c: getattr(keras.layers, c) for c in ("SimpleRNN", "LSTM", "GRU")})
        # Seeded weights in tf.keras's per-layer weight order, float32.
        weights_by_layer = {}
        for lc in layer_list(mc):
            wnames = k2_weight_names(lc)
            if not wnames:
                continue
            k3layer = model.get_layer(lc["config"]["name"])
            shapes = [tuple(w.shape) for w in legacy_h5_format._legacy_weights(k3layer)]
            assert len(shapes) == len(wnames), (name, lc["config"]["name"])
            std = 1.0 if lc["class_name"] == "Embedding" else 0.5
            weights_by_layer[lc["config"]["name"]] = [
                (n, rng.normal(0.0, std, s).astype(np.float32)) for n, s in zip(wnames, shapes)]
        h5 = os.path.join(tmp, name + ".h5")
        write_tf_keras_h5(h5, mc, weights_by_layer)
        with h5py.File(h5, "r") as f:
            legacy_h5_format.load_weights_from_hdf5_group(f["model_weights"], model)
        for lname, ws in weights_by_layer.items():  # loaded by layer order: check by name too
            for (n, v), var in zip(ws, legacy_h5_format._legacy_weights(model.get_layer(lname))):
                assert np.array_equal(np.asarray(var.value), v.astype(np.float64)), n
        case_dir = os.path.join(out_dir, name)
        mj = convert_h5_like_tfjs(h5, case_dir)
        if not name.startswith("keras3_"):  # tf.keras 2's own file, for loadKerasModel('model.h5')
            shutil.copy(h5, os.path.join(case_dir, "model.h5"))
        x = make_input(spec, rng)
        outs = model(x, training=False)
        outs = [np.asarray(o) for o in (outs if isinstance(outs, (list, tuple)) else [outs])]
        assert all(o.dtype == np.float64 for o in outs)
        # Param counts as the tf.keras summary lists them (Sequential: no InputLayer row).
        shown = [l for l in model.layers]
        per_layer = {l.name: int(l.count_params()) for l in shown}
        if mc["class_name"] == "Functional":
            assert list(per_layer) == [l["config"]["name"] for l in layer_list(mc)], per_layer
        expected = {
            "description": spec["description"],
            "reference": f"keras {keras.__version__} (jax {jax.__version__}), float64, training=False",
            "input": to_list(x),
            "inputDtype": "int32" if x.dtype.kind == "i" else "float32",
            "output": to_list(outs[0]) if len(outs) == 1 else [to_list(o) for o in outs],
            "countParams": int(model.count_params()),
            "layerParams": per_layer,
        }
        with open(os.path.join(case_dir, "expected.json"), "w") as f:
            json.dump(expected, f, separators=(",", ":"))
            f.write("\n")
        if name == "keras_seq_emb_bigru":
            case1 = (spec, weights_by_layer, x, outs[0])
        summary.append(f"{name}: {len(mj['weightsManifest'][0]['weights'])} weights, "
                       f"{model.count_params()} params, outputs "
                       + ", ".join("x".join(map(str, o.shape)) for o in outs))

    # 5. The same model as case 1, authored in Keras 3: model_config = Keras 3's own to_json().
    spec, weights_by_layer, x, out1 = case1
    keras.backend.clear_session()
    keras.utils.set_random_seed(1234)
    k3 = keras.Sequential([
        keras.Input((7,), dtype="int32"),
        keras.layers.Embedding(30, 8, mask_zero=True, dtype="float32"),
        keras.layers.Bidirectional(keras.layers.GRU(6, reset_after=True, dtype="float32"),
                                   merge_mode="concat", dtype="float32"),
        keras.layers.Dense(1, activation="sigmoid", dtype="float32"),
    ])
    topology_cfg = json.loads(k3.to_json())  # authentic float32 Keras 3 topology
    # Same weights, in Keras 3 layer order (= tf.keras per-layer order).
    ordered = [v for lname in ("embedding", "bidirectional", "dense") for _, v in weights_by_layer[lname]]
    k3.set_weights(ordered)
    group = [{"name": v.path, "data": np.asarray(v.value, dtype=np.float32)} for v in k3.weights]
    case_dir = os.path.join(out_dir, "keras3_seq_emb_bigru")
    topology = {"keras_version": keras.__version__, "backend": keras.backend.backend(),
                "model_config": topology_cfg}
    mj = write_artifacts(topology, group, case_dir, "keras v%s" % keras.__version__)
    # Reference: the float64 twin of that Keras 3 model (built from the same config, float64).
    k3_64 = keras.Sequential.from_config(
        keras3_config_k3(topology_cfg["config"]))
    k3_64.set_weights([g["data"].astype(np.float64) for g in group])
    out5 = np.asarray(k3_64(x, training=False))
    d = float(np.max(np.abs(out5 - out1)))
    assert d < 1e-12, ("keras3 twin differs from the tf.keras-2 config model", d)
    expected = {
        "description": "The model of keras_seq_emb_bigru authored in Keras 3: model_config is Keras 3's own "
                       "model.to_json() (module / registered_name / DTypePolicy / build_config dialect), weight "
                       "names are Keras 3 variable paths (sequential/embedding/embeddings, ...), same weights, "
                       "input and output as keras_seq_emb_bigru.",
        "reference": f"keras {keras.__version__} (jax), float64, training=False",
        "input": to_list(x),
        "inputDtype": "int32",
        "output": to_list(out5),
        "countParams": int(k3_64.count_params()),
        "layerParams": {l.name: int(l.count_params()) for l in k3_64.layers},
    }
    with open(os.path.join(case_dir, "expected.json"), "w") as f:
        json.dump(expected, f, separators=(",", ":"))
        f.write("\n")
    summary.append(f"keras3_seq_emb_bigru: {len(group)} weights, {k3_64.count_params()} params; "
                   f"vs case 1 diff {d:.1e}")
    for s in summary:
        print(s)

    if torch_python:
        subprocess.run([torch_python, os.path.abspath(__file__), "--torch", "--out", out_dir], check=True)


def keras3_config_k3(config):
    """Keras 3 config -> the same config with every float32 dtype policy set to float64."""
    def walk(o):
        if isinstance(o, dict):
            if o.get("class_name") == "DTypePolicy":
                return {**o, "config": {"name": "float64"}}
            return {k: walk(v) for k, v in o.items()}
        if isinstance(o, list):
            return [walk(v) for v in o]
        return o
    return walk(copy.deepcopy(config))


# ---------------------------------------------------------------------------
# PyTorch: torch.json and the cross-check of the Keras fixtures
# ---------------------------------------------------------------------------

TORCH_CASES = [
    # name, module, kwargs
    ("rnn_tanh", "RNN", dict(input_size=2, hidden_size=3, num_layers=1, bidirectional=False, nonlinearity="tanh")),
    ("rnn_relu", "RNN", dict(input_size=2, hidden_size=3, num_layers=1, bidirectional=False, nonlinearity="relu")),
    ("lstm", "LSTM", dict(input_size=2, hidden_size=3, num_layers=1, bidirectional=False)),
    ("gru", "GRU", dict(input_size=2, hidden_size=3, num_layers=1, bidirectional=False)),
    ("lstm_bidirectional", "LSTM", dict(input_size=2, hidden_size=3, num_layers=1, bidirectional=True)),
    ("gru_bidirectional", "GRU", dict(input_size=2, hidden_size=3, num_layers=1, bidirectional=True)),
    ("lstm_two_layers", "LSTM", dict(input_size=2, hidden_size=3, num_layers=2, bidirectional=False)),
]


def round12(t):
    """Nested list of a float64 tensor, rounded to 12 significant digits (plenty for a 1e-5 test)."""
    return np.vectorize(lambda v: float(f"{v:.12g}"))(t.detach().cpu().numpy()).tolist()


def torch_state_dicts(out_dir):
    import tempfile
    import torch
    from torch import nn
    cases = []
    for name, mod, kw in TORCH_CASES:
        torch.manual_seed(zlib.crc32(name.encode()))
        module = getattr(nn, mod)(batch_first=True, **kw)  # default init, float32
        x = torch.randn(2, 4, kw["input_size"])  # float32
        sd = {k: v.detach().cpu().tolist() for k, v in module.state_dict().items()}
        tmp = os.path.join(tempfile.mkdtemp(), "state_dict.json")
        state_dict_to_json(module, tmp)  # the documented snippet writes exactly this
        assert json.load(open(tmp)) == sd, name
        m64 = copy.deepcopy(module).double()
        with torch.no_grad():
            y, hn = m64(x.double())
        h_n, c_n = (hn if mod == "LSTM" else (hn, None))
        config = dict(kw, batch_first=True)
        config.setdefault("nonlinearity", None)
        cases.append({
            "name": name, "module": mod,
            "config": {k: config[k] for k in ("input_size", "hidden_size", "num_layers", "bidirectional",
                                              "nonlinearity", "batch_first")},
            "stateDict": sd,
            "input": x.double().tolist(),
            "output": round12(y),
            "h_n": round12(h_n),
            "c_n": None if c_n is None else round12(c_n),
        })
        print(f"torch {name}: keys {list(sd)}; output {list(y.shape)}, h_n {list(h_n.shape)}")
    doc = {
        "generator": "test/reference/make_interop.py --torch",
        "reference": f"torch {torch.__version__}: default init (float32, seeded per case), outputs in float64 "
                     "from the same float32 values (rounded to 12 significant digits); batch_first input [B, T, D]; output [B, T, dirs*H]; "
                     "h_n / c_n [num_layers*dirs, B, H]",
        "cases": cases,
    }
    path = os.path.join(out_dir, "torch.json")
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path}: {len(cases)} cases, {os.path.getsize(path)} bytes")


def torch_check(out_dir):
    """Re-compute each Keras fixture with torch from model.json + the .bin shard (by weight name)."""
    import torch
    from torch import nn
    torch.set_default_dtype(torch.float64)

    def load(case):
        d = os.path.join(out_dir, case)
        mj = json.load(open(os.path.join(d, "model.json")))
        exp = json.load(open(os.path.join(d, "expected.json")))
        man = mj["weightsManifest"][0]
        buf = np.fromfile(os.path.join(d, man["paths"][0]), dtype="<f4")
        W, off = {}, 0
        for w in man["weights"]:
            n = int(np.prod(w["shape"]))
            W[w["name"]] = torch.tensor(buf[off:off + n].astype(np.float64).reshape(w["shape"]))
            off += n
        assert off == buf.size, case
        return W, exp

    def swap(w, dim):  # GRU z,r,h <-> r,z,n
        a, b, c = torch.chunk(w, 3, dim=dim)
        return torch.cat([b, a, c], dim=dim)

    def torch_rnn(cls, prefixes, W):
        """One torch module (bidirectional if two prefixes) from Keras weights '<prefix>/kernel' etc."""
        k = W[prefixes[0] + "/kernel"]
        d_in, gh = k.shape
        h = W[prefixes[0] + "/recurrent_kernel"].shape[0]
        mod = {"LSTM": nn.LSTM, "GRU": nn.GRU, "SimpleRNN": nn.RNN}[cls](
            d_in, h, batch_first=True, bidirectional=len(prefixes) == 2)
        sw = swap if cls == "GRU" else (lambda w, dim: w)
        with torch.no_grad():
            for i, p in enumerate(prefixes):
                sfx = "_reverse" if i else ""
                getattr(mod, "weight_ih_l0" + sfx).copy_(sw(W[p + "/kernel"], 1).t())
                getattr(mod, "weight_hh_l0" + sfx).copy_(sw(W[p + "/recurrent_kernel"], 1).t())
                b = W[p + "/bias"]
                if cls == "GRU":
                    getattr(mod, "bias_ih_l0" + sfx).copy_(sw(b[0], 0))
                    getattr(mod, "bias_hh_l0" + sfx).copy_(sw(b[1], 0))
                else:
                    getattr(mod, "bias_ih_l0" + sfx).copy_(b)
                    getattr(mod, "bias_hh_l0" + sfx).zero_()
        return mod

    def final_h(mod, x, cls):
        """Final hidden state(s) [dirs, H] for one unbatched sequence x [T, D] (masked steps removed)."""
        _, hn = mod(x.unsqueeze(0))
        return (hn[0] if cls == "LSTM" else hn)[:, 0]

    def gru_before(x, W, p):  # reset_after=False: hh = tanh(x Wh + b_h + (r*h) Uh)
        k, u, b = W[p + "/kernel"], W[p + "/recurrent_kernel"], W[p + "/bias"]
        H = u.shape[0]
        h, outs = torch.zeros(x.shape[0], H), []
        for t in range(x.shape[1]):
            xw = x[:, t] @ k + b
            z = torch.sigmoid(xw[:, :H] + h @ u[:, :H])
            r = torch.sigmoid(xw[:, H:2 * H] + h @ u[:, H:2 * H])
            hh = torch.tanh(xw[:, 2 * H:] + (r * h) @ u[:, 2 * H:])
            h = z * h + (1 - z) * hh
            outs.append(h)
        return torch.stack(outs, 1)

    def dense(x, W, p, act):
        y = x @ W[p + "/kernel"] + W[p + "/bias"]
        return {"sigmoid": torch.sigmoid, "softmax": lambda v: torch.softmax(v, -1),
                "linear": lambda v: v}[act](y)

    def emb_bigru(W, ids, names):
        e, fw, bw, dk = names
        gru = torch_rnn("GRU", [fw, bw], W)
        rows = []
        for row in ids:  # masked steps only carry state, so drop them and run the rest
            keep = row != 0
            h = final_h(gru, W[e][row[keep]], "GRU")
            rows.append(torch.cat([h[0], h[1]]))
        return dense(torch.stack(rows), W, dk, "sigmoid")

    def case_seq_emb_bigru(W, ids):
        return [emb_bigru(W, ids, ("embedding/embeddings", "bidirectional/forward_gru/gru_cell",
                                   "bidirectional/backward_gru/gru_cell", "dense"))]

    def case_keras3(W, ids):
        return [emb_bigru(W, ids, ("sequential/embedding/embeddings",
                                   "sequential/bidirectional/forward_gru/gru_cell",
                                   "sequential/bidirectional/backward_gru/gru_cell", "sequential/dense"))]

    def case_seq_gru_before(W, x):
        seq = gru_before(x, W, "gru/gru_cell")  # Dropout is the identity at inference
        rnn = torch_rnn("SimpleRNN", ["simple_rnn/simple_rnn_cell"], W)
        _, hn = rnn(seq)
        return [dense(hn[0], W, "dense", "softmax")]

    def case_func_lstm(W, ids):
        x = W["embedding/embeddings"][ids]  # no mask_zero: zeros are ordinary ids
        seq, _ = torch_rnn("LSTM", ["lstm/lstm_cell"], W)(x)
        bi = torch_rnn("LSTM", ["bidirectional/forward_lstm_1/lstm_cell",
                                "bidirectional/backward_lstm_1/lstm_cell"], W)
        _, (hn, _) = bi(seq)
        return [dense(hn[0] + hn[1], W, "dense", "linear")]

    def case_two_heads(W, ids):
        gru = torch_rnn("GRU", ["gru/gru_cell"], W)
        rnn = torch_rnn("SimpleRNN", ["simple_rnn/simple_rnn_cell"], W)
        bi = torch_rnn("LSTM", ["bidirectional/forward_lstm/lstm_cell",
                                "bidirectional/backward_lstm/lstm_cell"], W)
        a, b = [], []
        for row in ids:
            # The mask (ids != 0) propagates through GRU(return_sequences) and Dropout; every recurrent
            # consumer returns only its final state, so masked steps can be dropped from the sequence.
            x = W["embedding/embeddings"][row[row != 0]].unsqueeze(0)
            seq, _ = gru(x)
            _, hn = rnn(seq)
            a.append(hn[0, 0])
            _, (hb, _) = bi(seq)
            b.append((hb[0, 0] + hb[1, 0]) / 2)
        return [dense(torch.stack(a), W, "dense", "softmax"), dense(torch.stack(b), W, "dense_1", "linear")]

    checks = {"keras_seq_emb_bigru": case_seq_emb_bigru, "keras_seq_gru_before": case_seq_gru_before,
              "keras_func_lstm": case_func_lstm, "keras_func_two_heads": case_two_heads,
              "keras3_seq_emb_bigru": case_keras3}
    worst = 0.0
    for case, fn in checks.items():
        W, exp = load(case)
        if exp["inputDtype"] == "int32":
            x = torch.tensor(exp["input"], dtype=torch.long)
        else:
            x = torch.tensor(exp["input"])
        with torch.no_grad():
            outs = fn(W, x)
        refs = [exp["output"]] if len(outs) == 1 else exp["output"]
        d = max(float((o - torch.tensor(r)).abs().max()) for o, r in zip(outs, refs))
        print(f"torch-check {case}: max|diff| {d:.2e}")
        assert d < TOL, case
        worst = max(worst, d)
    print(f"torch-check OK (torch {torch.__version__}): {len(checks)} Keras fixtures, max abs diff {worst:.2e}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=DEFAULT_OUT, help="fixture directory")
    ap.add_argument("--torch-python", default="/usr/bin/python3",
                    help="python with torch, run after the Keras mode ('' to skip)")
    ap.add_argument("--torch", action="store_true",
                    help="write torch.json and cross-check the Keras fixtures (python with torch)")
    args = ap.parse_args()
    if args.torch:
        torch_state_dicts(args.out)
        torch_check(args.out)
    else:
        generate(args.out, args.torch_python)


if __name__ == "__main__":
    sys.exit(main())
