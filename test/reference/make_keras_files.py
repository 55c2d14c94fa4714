#!/usr/bin/env python3
"""Fixtures for loadKerasModel on Keras's own files: models saved by real Keras 3.

Each case builds a small model in Keras 3 (jax) with seeded weights, saves it with
`model.save("model.keras")` (a zip of config.json, metadata.json, model.weights.h5) and
`model.save("model.h5")` (the legacy HDF5 format: the model_config attribute and
model_weights/<layer>/<weight path>), and records Keras's predictions (float64) on the case's
input. test/interop/keras_files.test.ts loads both files with loadKerasModel and compares.

    KERAS_BACKEND=jax /tmp/kvenv/bin/python test/reference/make_keras_files.py   # keras, jax, h5py

Writes test/fixtures/keras_files/<case>/{model.keras, model.h5} and
test/fixtures/keras_files/expected.json: {"generator", "keras", "backend", "cases": [{"name", "description",
"inputs": [[...], ...], "dtypes": ["int32" | "float32", ...], "outputs": [[...], ...]}]}.
tf.keras 2's .h5 files are the interop cases' model.h5 (make_interop.py).
"""

import json
import os
import shutil
import warnings

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "fixtures", "keras_files")

# Padding in front, behind, in holes, none.
IDS = [[0, 0, 0, 4, 12, 7, 3], [5, 9, 2, 0, 0, 0, 0], [0, 8, 0, 11, 0, 6, 1], [3, 14, 15, 9, 2, 6, 19]]


def seeded(model, seed):
    """Every weight uniform in [-0.6, 0.6), in float32."""
    rng = np.random.default_rng(seed)
    model.set_weights([rng.uniform(-0.6, 0.6, w.shape).astype(np.float32) for w in model.get_weights()])
    return model


def floats(seed, *shape):
    return np.random.default_rng(seed).uniform(-1, 1, shape).astype(np.float32)


def cases():
    ids = np.array(IDS, dtype=np.int32)

    m1 = keras.Sequential([
        keras.Input((7,), dtype="int32"),
        layers.Embedding(20, 5, mask_zero=True),
        layers.Bidirectional(layers.GRU(4, return_sequences=True)),
        layers.LSTM(3),
        layers.Dense(2, activation="softmax"),
    ], name="seq_emb_bigru_lstm")
    yield "seq_emb_bigru_lstm", "Sequential: Embedding(20, 5, mask_zero) → Bidirectional(GRU(4, return_sequences)) → LSTM(3) → Dense(2, softmax); masked ids", seeded(m1, 1), [ids]

    x = keras.Input((7,), dtype="int32", name="ids")
    e = layers.Embedding(20, 6, mask_zero=True)(x)
    r = layers.Bidirectional(layers.LSTM(4, dropout=0.5))(e)
    a = layers.GlobalAveragePooling1D()(e)
    c = layers.Concatenate()([r, a])
    y = layers.Dense(1, activation="sigmoid")(layers.Dropout(0.5)(c))
    m2 = keras.Model(x, y, name="sentiment")
    yield "func_sentiment", "Functional, the demo's --no-subwords model: Embedding(20, 6, mask_zero) → [Bidirectional(LSTM(4)), GlobalAveragePooling1D] → Concatenate → Dropout → Dense(1, sigmoid)", seeded(m2, 2), [ids]

    m3 = keras.Sequential([
        keras.Input((6, 4)),
        layers.GRU(5, reset_after=False, recurrent_activation="hard_sigmoid", return_sequences=True),
        layers.SimpleRNN(3, activation="relu", go_backwards=True, return_sequences=True),
        layers.GlobalMaxPooling1D(),
        layers.Dense(3),
    ], name="seq_float")
    yield "seq_float_gru_before", "Sequential on floats [6, 4]: GRU(5, reset_after=False, hard_sigmoid) → SimpleRNN(3, relu, go_backwards) → GlobalMaxPooling1D → Dense(3)", seeded(m3, 3), [floats(4, 3, 6, 4)]

    s = keras.Input((5, 3), name="series")
    f = keras.Input((4,), name="features")
    h = layers.LSTM(4)(s)
    g = layers.Dense(4)(f)
    z = layers.Activation("tanh")(layers.Add()([h, g]))
    m4 = keras.Model([s, f], layers.Dense(1)(z), name="two_inputs")
    yield "func_two_inputs_add", "Functional, two inputs: LSTM(4) of a series [5, 3] plus Dense(4) of features [4] → Add → Activation(tanh) → Dense(1)", seeded(m4, 5), [floats(6, 3, 5, 3), floats(7, 3, 4)]


def tagger_cases():
    x = floats(8, 3, 6, 3)
    for b, ts in enumerate([[0, 1], [4, 5], [1, 3]]):
        x[b, ts] = 0
    m = keras.Sequential([
        keras.Input((6, 3)),
        layers.Masking(0.0),
        layers.TimeDistributed(layers.Dense(4, activation="tanh")),
        layers.LSTM(3, return_sequences=True),
        layers.TimeDistributed(layers.Dense(2, activation="softmax")),
    ], name="tagger")
    yield "seq_masking_tagger", "Sequential on padded floats [6, 3]: Masking(0) → TimeDistributed(Dense(4, tanh)) (the mask goes on) → LSTM(3, return_sequences) → TimeDistributed(Dense(2, softmax))", seeded(m, 8), [x]


    x2 = x.copy()
    x2[:, :, :][x2 == 0] = -1.0
    s = keras.Input((6, 3), name="series")
    m = layers.Masking(-1.0)(s)
    t = layers.TimeDistributed(layers.Dense(4))(m)
    h = layers.Bidirectional(layers.LSTM(3))(t)
    m2 = keras.Model(s, layers.Dense(1)(layers.Concatenate()([h, layers.GlobalAveragePooling1D()(m)])), name="masked_functional")
    yield "func_masking_bilstm", "Functional on padded floats [6, 3]: Masking(-1) → TimeDistributed(Dense(4)) → Bidirectional(LSTM(3)), beside the masked mean of the input → Concatenate → Dense(1); Keras writes the mask as ops, Any(NotEqual(x, -1))", seeded(m2, 11), [x2]


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    out = []
    for name, description, model, inputs in [*cases(), *tagger_cases()]:
        d = os.path.join(OUT, name)
        os.makedirs(d)
        model.save(os.path.join(d, "model.keras"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Keras's note that HDF5 is a legacy format
            model.save(os.path.join(d, "model.h5"))
        y = model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)
        ys = y if isinstance(y, (list, tuple)) else [y]
        out.append({
            "name": name, "description": description,
            "inputs": [np.asarray(v).tolist() for v in inputs], "dtypes": [str(np.asarray(v).dtype) for v in inputs],
            "outputs": [np.asarray(v, dtype=np.float64).round(9).tolist() for v in ys],
        })
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump({"generator": "test/reference/make_keras_files.py", "keras": keras.__version__, "backend": keras.backend.backend(), "cases": out}, f)
    print(f"wrote {OUT}: {len(out)} cases")


if __name__ == "__main__":
    main()
