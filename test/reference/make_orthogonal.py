"""Writes test/fixtures/orthogonal.json: Keras 3's Orthogonal initializer on given normal draws.

For each case, the standard-normal draw Keras's `Orthogonal(gain, seed)` makes for `shape` (a matrix of
[max(rows, cols), min(rows, cols)], rows = prod(shape[:-1]), cols = shape[-1], from `keras.random.normal`
with the same seed, float32), and Keras's result for that draw computed in float64: the draw, as float64,
is handed to Keras's own `Orthogonal.__call__` in place of its `random.normal`, so Keras's code does the
QR (`ops.qr`), the sign fix (`q *= sign(diag(r))`), the transpose and the gain. A check first: with the
draw in float32, that patched call must equal Keras's unpatched `Orthogonal(gain, seed)(shape)` (same
values up to float32 rounding), so the draw is the one Keras makes, laid out as Keras lays it out.

    KERAS_BACKEND=jax /path/to/venv/bin/python test/reference/make_orthogonal.py

(a venv with keras, jax, jaxlib and numpy; see README.md for the pip index).
"""
import json
import os

os.environ.setdefault('KERAS_BACKEND', 'jax')
import jax  # noqa: E402

jax.config.update('jax_enable_x64', True)
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras.src.initializers import random_initializers as ri  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'orthogonal.json')

# (shape, gain, seed): tall, wide, square, rank 3, LSTM(4)'s [H, 4H], GRU(6)'s [H, 3H] with a gain,
# and sizes past one 32-column panel of the blocked QR (33 columns, wide and square).
CASES = [
    ([5, 3], 1.0, 1),
    ([3, 5], 1.0, 2),
    ([6, 6], 1.0, 3),
    ([2, 3, 4], 1.0, 4),
    ([4, 16], 1.0, 5),
    ([6, 18], 1.5, 6),
    ([33, 40], 1.0, 7),
    ([33, 33], 0.5, 8),
]


def keras_on(draw, shape, gain, dtype):
    """Keras's Orthogonal(gain)(shape) with `draw` in place of its random.normal."""
    real = ri.random.normal
    ri.random.normal = lambda flat_shape, seed=None, dtype=None: keras.ops.convert_to_tensor(draw, dtype=dtype)
    try:
        return np.asarray(ri.Orthogonal(gain=gain, seed=0)(shape, dtype=dtype))
    finally:
        ri.random.normal = real


def case(shape, gain, seed):
    rows = int(np.prod(shape[:-1]))
    cols = shape[-1]
    flat = (max(rows, cols), min(rows, cols))
    draw = np.asarray(keras.random.normal(flat, seed=seed, dtype='float32'))
    own = np.asarray(keras.initializers.Orthogonal(gain=gain, seed=seed)(shape, dtype='float32'))
    patched = keras_on(draw, shape, gain, 'float32')
    assert np.max(np.abs(own - patched)) < 1e-6, (shape, np.max(np.abs(own - patched)))
    w = keras_on(draw.astype(np.float64), shape, gain, 'float64')
    assert w.dtype == np.float64 and list(w.shape) == shape
    return {'shape': shape, 'gain': gain, 'seed': seed,
            'normal': [float(str(x)) for x in draw.reshape(-1)],  # float32's shortest form: exact once rounded to float32
            'expected': [float(f'{x:.9g}') for x in w.reshape(-1)]}


def main():
    out = {'generator': 'test/reference/make_orthogonal.py',
           'reference': f'keras {keras.__version__} (jax {jax.__version__}, float64), Orthogonal on the given draw',
           'cases': [case(*c) for c in CASES]}
    with open(OUT, 'w') as f:
        json.dump(out, f)
    print(f'wrote {OUT}: {len(out["cases"])} cases')


if __name__ == '__main__':
    main()
