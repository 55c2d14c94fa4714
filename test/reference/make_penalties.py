"""Writes test/fixtures/penalties.json: Keras 3's numbers for regularizers and constraints.

Every number comes from real Keras 3 (jax backend, float32 as Keras trains by default) on seeded weights
and data that the fixture also holds; each model is described by a JSON spec (our option names, camelCase,
and our serialized regularizers and constraints) that this script builds in Keras and
test/training/penalties_keras.test.ts builds from our layers:

- `models`: for each model, `evaluate` at batch sizes 4 and 3 (the activity penalty is divided by each
  batch's size, and the loss is a mean over batches weighted by their size), `penalty` (Keras's
  `sum(model.losses)` after a call on the whole batch), and `fit` with `shuffle=False` and the given
  batch size for one epoch (one or two optimizer steps): the epoch's loss and every weight after it.
  The models hold each kind of regularizer (kernel, recurrent, bias, embeddings, activity; L1, L2, L1L2,
  Keras's names with their defaults), on SimpleRNN, LSTM, GRU, RNN of cells, Bidirectional (the
  wrapped layer's and its own), TimeDistributed, Dense and Embedding, and each constraint (MaxNorm,
  NonNeg, UnitNorm, MinMaxNorm; other axes and rates) trained by SGD, Adam, Nadam and AdamW.
- `layers`: a layer alone, called on a fixed input with fixed weights: Keras's `layer.losses`, one value
  per weight regularizer and per output (a layer returning its states has one activity penalty each).
- `formulas`: each regularizer and constraint applied to a fixed tensor.
- `penalties/*.keras`: four of the models saved by Keras's `model.save` with their seeded weights, before
  training, for loadKerasModel to read their regularizers and constraints (and then train as Keras did).

    KERAS_BACKEND=jax /path/to/venv/bin/python test/reference/make_penalties.py

(a venv with keras, jax, jaxlib and numpy; see README.md).
"""
import json
import os
import re

os.environ.setdefault('KERAS_BACKEND', 'jax')
import keras  # noqa: E402
import numpy as np  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'penalties.json')
FILES = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'penalties')
SAVED = ['activity', 'bidirectional_time_distributed', 'rnn_of_cells', 'constraints_sgd']


def f32(a):
    """A float32 array as nested lists of float32's shortest decimal forms (exact once read back as float32)."""
    a = np.asarray(a, dtype=np.float32)
    if a.ndim == 0:
        return float(str(a))
    return [f32(x) for x in a]


def snake(name):
    return re.sub(r'([a-z0-9])([A-Z])', r'\1_\2', name).lower()


def penalty(spec, module):
    """Our `{ className, config }` (camelCase keys) or Keras's name, as a Keras regularizer or constraint."""
    if spec is None or isinstance(spec, str):
        return None if spec is None else snake(spec)
    return getattr(module, spec['className'])(**{snake(k): v for k, v in spec['config'].items()})


def keras_args(spec):
    args = {}
    for k, v in spec.items():
        if k in ('class', 'layer', 'cells'):
            continue
        if k.endswith('Regularizer'):
            v = penalty(v, keras.regularizers)
        elif k.endswith('Constraint'):
            v = penalty(v, keras.constraints)
        args[snake(k)] = v
    return args


def layer(spec):
    cls = spec['class']
    args = keras_args(spec)
    if cls == 'Bidirectional':
        return keras.layers.Bidirectional(layer(spec['layer']), **args)
    if cls == 'TimeDistributed':
        return keras.layers.TimeDistributed(layer(spec['layer']), **args)
    if cls == 'RNN':
        return keras.layers.RNN([layer(c) for c in spec['cells']], **args)
    return getattr(keras.layers, cls)(**args)


def build(spec):
    dtype = spec.get('inputDtype', 'float32')
    return keras.Sequential([keras.Input(tuple(spec['input']), dtype=dtype)] + [layer(l) for l in spec['layers']])


def seed_weights(model, seed):
    rng = np.random.default_rng(seed)
    weights = []
    for l in model.layers:
        ws = [(rng.standard_normal(w.shape) * 0.5).astype(np.float32) for w in l.get_weights()]
        l.set_weights(ws)
        weights.append([f32(w) for w in ws])
    return weights


def optimizer(spec):
    cls = getattr(keras.optimizers, spec['class'])
    return cls(**{snake(k): v for k, v in spec.items() if k != 'class'})


L1 = lambda v: {'className': 'L1', 'config': {'l1': v}}  # noqa: E731
L2 = lambda v: {'className': 'L2', 'config': {'l2': v}}  # noqa: E731
L1L2 = lambda a, b: {'className': 'L1L2', 'config': {'l1': a, 'l2': b}}  # noqa: E731

rng = np.random.default_rng(0)
X = (rng.standard_normal((4, 5, 3)) * 0.8).astype(np.float32)
IDS = np.array([[0, 0, 3, 7, 1, 9], [2, 11, 5, 0, 0, 0], [4, 0, 8, 10, 6, 2], [0, 0, 0, 0, 5, 1]], dtype=np.int32)
BINARY = np.array([[1], [0], [1], [0]], dtype=np.float32)
REAL = (rng.standard_normal((4, 1)) * 0.5).astype(np.float32)
CLASSES = np.array([[2], [0], [1], [2]], dtype=np.float32)
STEPS = (rng.standard_normal((4, 5, 2)) * 0.5).astype(np.float32)

SGD = {'class': 'SGD', 'learningRate': 0.5}
# Keras's Adam adds ε to √v, tfjs's (and ours) to √v̂ = √(v / (1 − β₂ᵗ)): with ε this small both are the same update.
ADAM = {'class': 'Adam', 'learningRate': 0.05, 'epsilon': 1e-12}

MODELS = [
    {'name': 'lstm_kernel_l2', 'input': [5, 3], 'x': X, 'y': BINARY, 'loss': 'binary_crossentropy', 'optimizer': SGD, 'batchSize': 4,
     'layers': [{'class': 'LSTM', 'units': 4, 'kernelRegularizer': L2(0.05)}, {'class': 'Dense', 'units': 1, 'activation': 'sigmoid'}]},
    {'name': 'gru_recurrent_l1', 'input': [5, 3], 'x': X, 'y': REAL, 'loss': 'mse', 'optimizer': SGD, 'batchSize': 4,
     'layers': [{'class': 'GRU', 'units': 4, 'recurrentRegularizer': L1(0.02)}, {'class': 'Dense', 'units': 1}]},
    {'name': 'simple_rnn_bias_l1l2_names', 'input': [5, 3], 'x': X, 'y': REAL, 'loss': 'mse', 'optimizer': SGD, 'batchSize': 2,
     'layers': [{'class': 'SimpleRNN', 'units': 4, 'biasRegularizer': L1L2(0.03, 0.02), 'recurrentRegularizer': 'l2'},
                {'class': 'Dense', 'units': 1, 'kernelRegularizer': 'l1', 'biasRegularizer': 'l1l2'}]},
    {'name': 'activity', 'input': [5, 3], 'x': X, 'y': CLASSES, 'loss': 'sparse_categorical_crossentropy', 'optimizer': SGD, 'batchSize': 3,
     'layers': [{'class': 'LSTM', 'units': 4, 'returnSequences': True, 'activityRegularizer': L2(0.1)},
                {'class': 'GRU', 'units': 3, 'activityRegularizer': L1(0.05)},
                {'class': 'Dense', 'units': 3, 'activation': 'softmax', 'activityRegularizer': L1L2(0.01, 0.02)}]},
    {'name': 'embeddings', 'input': [6], 'inputDtype': 'int32', 'x': IDS, 'y': BINARY, 'loss': 'binary_crossentropy', 'optimizer': SGD, 'batchSize': 4,
     'layers': [{'class': 'Embedding', 'inputDim': 12, 'outputDim': 4, 'maskZero': True, 'embeddingsRegularizer': L2(0.02), 'activityRegularizer': L1(0.01)},
                {'class': 'LSTM', 'units': 3}, {'class': 'Dense', 'units': 1, 'activation': 'sigmoid'}]},
    {'name': 'bidirectional_time_distributed', 'input': [5, 3], 'x': X, 'y': STEPS, 'loss': 'mse', 'optimizer': SGD, 'batchSize': 4,
     'layers': [{'class': 'Bidirectional', 'activityRegularizer': L1(0.02),
                 'layer': {'class': 'LSTM', 'units': 3, 'returnSequences': True, 'kernelRegularizer': L2(0.02), 'recurrentRegularizer': L1(0.01),
                           'activityRegularizer': L2(0.05)}},
                {'class': 'TimeDistributed', 'activityRegularizer': L2(0.03), 'layer': {'class': 'Dense', 'units': 2, 'kernelRegularizer': L1(0.01)}}]},
    {'name': 'rnn_of_cells', 'input': [5, 3], 'x': X, 'y': REAL, 'loss': 'mse', 'optimizer': SGD, 'batchSize': 4,
     'layers': [{'class': 'RNN', 'activityRegularizer': L2(0.05),
                 'cells': [{'class': 'LSTMCell', 'units': 3, 'kernelRegularizer': L2(0.02)},
                           {'class': 'GRUCell', 'units': 2, 'recurrentRegularizer': L1(0.03), 'biasRegularizer': L2(0.1)}]},
                {'class': 'Dense', 'units': 1}]},
    {'name': 'regularized_adam', 'input': [5, 3], 'x': X, 'y': BINARY, 'loss': 'binary_crossentropy', 'optimizer': ADAM,
     'batchSize': 2,
     'layers': [{'class': 'GRU', 'units': 4, 'kernelRegularizer': L1L2(0.01, 0.01), 'recurrentRegularizer': L2(0.02), 'activityRegularizer': L2(0.01)},
                {'class': 'Dense', 'units': 1, 'activation': 'sigmoid', 'kernelRegularizer': L1(0.01)}]},
    {'name': 'constraints_sgd', 'input': [6], 'inputDtype': 'int32', 'x': IDS, 'y': BINARY, 'loss': 'binary_crossentropy', 'optimizer': SGD, 'batchSize': 2,
     'layers': [{'class': 'Embedding', 'inputDim': 12, 'outputDim': 4, 'maskZero': True,
                 'embeddingsConstraint': {'className': 'MaxNorm', 'config': {'maxValue': 0.3, 'axis': 1}}},
                {'class': 'LSTM', 'units': 3, 'kernelConstraint': {'className': 'MaxNorm', 'config': {'maxValue': 0.5}},
                 'recurrentConstraint': {'className': 'UnitNorm', 'config': {'axis': 0}}, 'biasConstraint': 'nonNeg'},
                {'class': 'Dense', 'units': 1, 'activation': 'sigmoid',
                 'kernelConstraint': {'className': 'MinMaxNorm', 'config': {'minValue': 0.5, 'maxValue': 0.8, 'rate': 0.7}}, 'biasConstraint': 'non_neg'}]},
    {'name': 'constraints_adam', 'input': [5, 3], 'x': X, 'y': CLASSES, 'loss': 'sparse_categorical_crossentropy', 'optimizer': {**ADAM, 'learningRate': 0.1},
     'batchSize': 2,
     'layers': [{'class': 'GRU', 'units': 3, 'kernelConstraint': {'className': 'MaxNorm', 'config': {'maxValue': 0.4, 'axis': 1}},
                 'recurrentConstraint': 'minMaxNorm', 'biasConstraint': {'className': 'UnitNorm', 'config': {'axis': [0, 1]}}},
                {'class': 'Dense', 'units': 3, 'activation': 'softmax', 'kernelConstraint': {'className': 'UnitNorm', 'config': {'axis': 1}}}]},
    {'name': 'constraints_nadam', 'input': [5, 3], 'x': X, 'y': REAL, 'loss': 'mse', 'optimizer': {'class': 'Nadam', 'learningRate': 0.1}, 'batchSize': 4,
     'layers': [{'class': 'SimpleRNN', 'units': 3, 'kernelConstraint': 'max_norm', 'recurrentConstraint': {'className': 'MaxNorm', 'config': {'maxValue': 0.6}},
                 'kernelRegularizer': L2(0.05)},
                {'class': 'Dense', 'units': 1, 'kernelConstraint': 'nonNeg'}]},
    {'name': 'constraints_adamw', 'input': [5, 3], 'x': X, 'y': REAL, 'loss': 'mse', 'optimizer': {'class': 'AdamW', 'learningRate': 0.1, 'weightDecay': 0.05},
     'batchSize': 4,
     'layers': [{'class': 'LSTM', 'units': 2, 'kernelConstraint': 'unit_norm', 'recurrentConstraint': {'className': 'MinMaxNorm', 'config': {'minValue': 0.9, 'maxValue': 1.2, 'rate': 0.5}},
                 'activityRegularizer': L1(0.02)},
                {'class': 'Dense', 'units': 1, 'kernelConstraint': {'className': 'MaxNorm', 'config': {'maxValue': 0.3}}}]},
]


def model_case(i, spec):
    model = build(spec)
    weights = seed_weights(model, 100 + i)
    if spec['name'] in SAVED:
        model.save(os.path.join(FILES, spec['name'] + '.keras'))
    x, y = spec['x'], spec['y']
    model.compile(optimizer=optimizer(spec['optimizer']), loss=spec['loss'])
    model(x)
    penalty_sum = float(np.sum([np.asarray(l) for l in model.losses])) if model.losses else 0.0
    evaluate4 = model.evaluate(x, y, batch_size=4, verbose=0)
    evaluate3 = model.evaluate(x, y, batch_size=3, verbose=0)
    history = model.fit(x, y, batch_size=spec['batchSize'], epochs=1, shuffle=False, verbose=0)
    out = {k: v for k, v in spec.items() if k not in ('x', 'y')}
    out.update({
        'x': x.tolist() if x.dtype == np.int32 else f32(x), 'y': f32(y), 'weights': weights,
        'penalty': penalty_sum, 'evaluate4': evaluate4, 'evaluate3': evaluate3, 'fitLoss': history.history['loss'][0],
        'after': [[f32(w) for w in l.get_weights()] for l in model.layers],
    })
    return out


LAYERS = [
    {'name': 'lstm_return_state', 'input': [5, 3], 'spec': {'class': 'LSTM', 'units': 3, 'returnSequences': True, 'returnState': True,
                                                           'kernelRegularizer': L1(0.01), 'activityRegularizer': L2(0.1)}},
    {'name': 'bidirectional_gru_states_null_merge', 'input': [5, 3],
     'spec': {'class': 'Bidirectional', 'mergeMode': None, 'activityRegularizer': L1(0.1),
              'layer': {'class': 'GRU', 'units': 2, 'returnState': True, 'activityRegularizer': L2(0.2), 'biasRegularizer': L2(0.3)}}},
    {'name': 'dense_on_sequences', 'input': [5, 3], 'spec': {'class': 'Dense', 'units': 2, 'activityRegularizer': L1L2(0.1, 0.2), 'kernelRegularizer': 'l2'}},
]


def layer_case(i, case):
    l = layer(case['spec'])
    x = X
    l(x)  # build
    rng_w = np.random.default_rng(200 + i)
    ws = [(rng_w.standard_normal(w.shape) * 0.5).astype(np.float32) for w in l.get_weights()]
    l.set_weights(ws)
    l(x)
    return {**case, 'x': f32(x), 'weights': [f32(w) for w in ws], 'losses': [float(np.asarray(v)) for v in l.losses]}


def formulas():
    t = np.array([[0.3, -1.2, 0.5], [2.0, 0.1, -0.4], [-0.7, 0.9, 1.5], [0.05, -0.02, 0.0]], dtype=np.float32)
    regs = [L1(0.1), L2(0.2), L1L2(0.3, 0.05), L1L2(0, 0.05), 'l1', 'l2', 'l1l2']
    cons = [{'className': 'MaxNorm', 'config': {}}, {'className': 'MaxNorm', 'config': {'maxValue': 1.1, 'axis': 1}},
            {'className': 'MaxNorm', 'config': {'maxValue': 0.5, 'axis': [0, 1]}}, {'className': 'NonNeg', 'config': {}},
            {'className': 'UnitNorm', 'config': {}}, {'className': 'UnitNorm', 'config': {'axis': -1}},
            {'className': 'MinMaxNorm', 'config': {}}, {'className': 'MinMaxNorm', 'config': {'minValue': 1, 'maxValue': 2, 'rate': 0.25, 'axis': 1}},
            'max_norm', 'min_max_norm', 'unit_norm', 'non_neg']
    out = {'x': f32(t), 'regularizers': [], 'constraints': []}
    for r in regs:
        reg = keras.regularizers.get(penalty(r, keras.regularizers))
        out['regularizers'].append({'spec': r, 'value': float(np.asarray(reg(t))), 'config': reg.get_config(), 'className': type(reg).__name__})
    for c in cons:
        con = keras.constraints.get(penalty(c, keras.constraints))
        out['constraints'].append({'spec': c, 'value': f32(con(t)), 'config': con.get_config(), 'className': type(con).__name__})
    return out


def main():
    os.makedirs(FILES, exist_ok=True)
    fixture = {
        'reference': f'keras {keras.__version__}, {keras.backend.backend()} backend, float32',
        'models': [model_case(i, m) for i, m in enumerate(MODELS)],
        'layers': [layer_case(i, c) for i, c in enumerate(LAYERS)],
        'formulas': formulas(),
    }
    with open(OUT, 'w') as f:
        json.dump(fixture, f)
    print(f'wrote {OUT}: {len(fixture["models"])} models, {len(fixture["layers"])} layers')


if __name__ == '__main__':
    main()
