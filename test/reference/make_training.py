"""Writes test/fixtures/training.json: Keras 3's training numbers for sample weights, Nadam, AdamW and AUC.

Every number comes from real Keras 3 (jax backend, float32 as Keras trains by default) on seeded weights
and data that the fixture also holds, so a test can rebuild the same model and compare:

- `evaluate`: `model.evaluate(x, y, sample_weight=w)` for per-sample weights [B] and per-step weights
  [B, T] (a model whose output has a time axis), at two batch sizes (the loss is a mean over batches
  weighted by their size, so both agree), beside the unweighted loss and the compiled metrics (which
  Keras 3 does not weight: `metrics=[...]`, not `weighted_metrics`).
- `fit`: `model.fit` with `sample_weight`, with `validation_data=(x, y, w)`, with `validation_split`
  (which splits the weights too), with `class_weight`, and `train_on_batch(x, y, sample_weight=w)`,
  all with plain SGD and `shuffle=False`: the logged losses and the weights after training.
- `optimizers`: `Nadam` and `AdamW` (defaults, and other settings) applying a fixed sequence of
  gradients to fixed variables, each variable after each step; and one `fit` of a Dense model
  compiled with `optimizer='nadam'` / `'adamw'`, as Keras maps the names.
- `auc`: `keras.metrics.AUC()` (200 thresholds, ROC, interpolation) on fixed labels and scores, fed in
  one update and in several (the same confusion counts), with ties, scores on the thresholds, 0 and 1;
  and a model compiled with `metrics=['auc']`: evaluate in batches (AUC over all the data) and the
  epoch's `auc` / `val_auc` of a fit in batches.

    KERAS_BACKEND=jax /path/to/venv/bin/python test/reference/make_training.py

(a venv with keras, jax, jaxlib and numpy; see README.md for the pip index).
"""
import json
import os

os.environ.setdefault('KERAS_BACKEND', 'jax')
import jax  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'training.json')


def f32(a):
    """A float32 array as nested lists of float32's shortest decimal forms (exact once read back as float32)."""
    a = np.asarray(a, dtype=np.float32)
    if a.ndim == 0:
        return float(str(a))
    return [f32(x) for x in a]


def normal(rng, shape, scale=0.5):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


# Models: a list of layers as the tests build them ({class, units, ...}) and Keras's equivalent.
def build(spec):
    layers = [keras.Input(tuple(spec['input']))]
    for l in spec['layers']:
        if l['class'] == 'LSTM':
            layers.append(keras.layers.LSTM(l['units'], return_sequences=l.get('returnSequences', False)))
        elif l['class'] == 'GRU':
            layers.append(keras.layers.GRU(l['units'], return_sequences=l.get('returnSequences', False)))
        elif l['class'] == 'Dense':
            layers.append(keras.layers.Dense(l['units'], activation=l.get('activation', 'linear')))
        else:
            raise ValueError(l['class'])
    return keras.Sequential(layers)


def seeded_model(spec, seed):
    """The model of `spec` with seeded normal weights (in Keras's layout), which the fixture records."""
    rng = np.random.default_rng(seed)
    model = build(spec)
    weights = []
    for layer in model.layers:
        ws = [normal(rng, w.shape) for w in layer.get_weights()]
        layer.set_weights(ws)
        weights.append([f32(w) for w in ws])
    return model, weights


LSTM_BINARY = {'input': [5, 3], 'layers': [{'class': 'LSTM', 'units': 4}, {'class': 'Dense', 'units': 1, 'activation': 'sigmoid'}]}
GRU_TAGGER = {'input': [4, 3], 'layers': [{'class': 'GRU', 'units': 5, 'returnSequences': True},
                                          {'class': 'Dense', 'units': 3, 'activation': 'softmax'}]}
DENSE = {'input': [3], 'layers': [{'class': 'Dense', 'units': 2}]}


def binary_data(seed, B=6):
    rng = np.random.default_rng(seed)
    x = normal(rng, (B, 5, 3), 1.0)
    y = np.array([[1], [0], [1], [1], [0], [0]][:B], dtype=np.float32)
    return x, y


def tagger_data(seed, B=4):
    rng = np.random.default_rng(seed)
    x = normal(rng, (B, 4, 3), 1.0)
    labels = rng.integers(0, 3, size=(B, 4))
    return x, labels


def weighted_metric_of(model, x, y, w, loss, metric):
    """What the metric would be if weighted (Keras's `weighted_metrics`), which `metrics` are not."""
    model.compile(optimizer='sgd', loss=loss, metrics=[metric], weighted_metrics=[metric])
    logs = model.evaluate(x, y, sample_weight=w, batch_size=4, verbose=0, return_dict=True)
    model.compile(optimizer='sgd', loss=loss, metrics=[metric])
    return logs[f'weighted_{metric}']


def evaluate_cases():
    cases = []
    # Per sample: an LSTM binary classifier on 4 samples, weights [1, 0.25, 0, 2].
    model, weights = seeded_model(LSTM_BINARY, 11)
    model.compile(optimizer='sgd', loss='binary_crossentropy', metrics=['accuracy'])
    x, y = binary_data(12, 4)
    w = np.array([1, 0.25, 0, 2], dtype=np.float32)
    by_batch = {bs: model.evaluate(x, y, sample_weight=w, batch_size=bs, verbose=0, return_dict=True) for bs in (4, 3)}
    unweighted = model.evaluate(x, y, batch_size=4, verbose=0, return_dict=True)
    weighted_metric = weighted_metric_of(model, x, y, w, 'binary_crossentropy', 'accuracy')
    cases.append({'name': 'per-sample weights, LSTM → Dense(sigmoid), binary_crossentropy', 'model': LSTM_BINARY,
                  'weights': weights, 'loss': 'binary_crossentropy', 'metrics': ['accuracy'], 'x': f32(x), 'y': f32(y),
                  'sampleWeight': f32(w), 'loss4': by_batch[4]['loss'], 'loss3': by_batch[3]['loss'],
                  'accuracy': by_batch[4]['accuracy'], 'weightedMetric': weighted_metric, 'unweightedLoss': unweighted['loss']})

    # Per step: a GRU tagger (return_sequences) → Dense(softmax), sparse labels [B, T] and one-hot [B, T, C].
    model, weights = seeded_model(GRU_TAGGER, 21)
    x, labels = tagger_data(22)
    onehot = np.eye(3, dtype=np.float32)[labels]
    w_step = np.array([[1, 1, 1, 0], [1, 1, 0, 0], [0.5, 2, 1, 1], [1, 0, 0, 0]], dtype=np.float32)  # zeros: padding
    w_sample = np.array([1, 0.25, 0, 2], dtype=np.float32)
    for loss, y, metric in (('sparse_categorical_crossentropy', labels.astype(np.float32), 'sparse_categorical_accuracy'),
                            ('categorical_crossentropy', onehot, 'categorical_accuracy'),
                            ('mse', onehot, 'mae')):
        model.compile(optimizer='sgd', loss=loss, metrics=[metric])
        step = {bs: model.evaluate(x, y, sample_weight=w_step, batch_size=bs, verbose=0, return_dict=True) for bs in (4, 3)}
        # A per-sample weight on a model with a time axis: Keras 3 takes it as [B, 1] (each step of a sample
        # weighted alike); a [B] array is refused by Keras's broadcasting ([B, T] * [B]).
        sample = model.evaluate(x, y, sample_weight=w_sample[:, None], batch_size=4, verbose=0, return_dict=True)
        weighted_metric = weighted_metric_of(model, x, y, w_step, loss, metric)
        cases.append({'name': f'per-step weights, GRU(return_sequences) → Dense(softmax), {loss}', 'model': GRU_TAGGER,
                      'weights': weights, 'loss': loss, 'metrics': [metric], 'x': f32(x),
                      'y': f32(y[..., None] if loss.startswith('sparse') else y), 'sampleWeight': f32(w_step),
                      'loss4': step[4]['loss'], 'loss3': step[3]['loss'], metric: step[4][metric], 'weightedMetric': weighted_metric,
                      'perSampleWeight': f32(w_sample), 'perSampleLoss': sample['loss'],
                      'unweightedLoss': model.evaluate(x, y, batch_size=4, verbose=0, return_dict=True)['loss']})
    return cases


def weights_of(model):
    return [[f32(w) for w in layer.get_weights()] for layer in model.layers]


def fit_cases():
    cases = []
    x, y = binary_data(31)
    w = np.array([1, 0.25, 0, 2, 0.5, 1.5], dtype=np.float32)
    xv, yv = binary_data(32, 4)
    wv = np.array([2, 0, 1, 0.5], dtype=np.float32)

    def case(name, run, **record):
        model, weights = seeded_model(LSTM_BINARY, 33)
        model.compile(optimizer=keras.optimizers.SGD(0.5), loss='binary_crossentropy', metrics=['accuracy'])
        out = run(model)
        cases.append({'name': name, 'model': LSTM_BINARY, 'weights': weights, 'loss': 'binary_crossentropy',
                      'metrics': ['accuracy'], 'optimizer': {'class': 'SGD', 'learningRate': 0.5}, 'x': f32(x), 'y': f32(y),
                      **record, **out, 'after': weights_of(model)})

    def fit(**kw):
        def run(model):
            h = model.fit(x, y, batch_size=2, epochs=2, shuffle=False, verbose=0, **kw)
            return {'history': {k: [float(v) for v in vs] for k, vs in h.history.items()}}
        return run

    case('fit, per-sample weights, batches of 2, 2 epochs', fit(sample_weight=w), sampleWeight=f32(w),
         fitArgs={'batchSize': 2, 'epochs': 2})
    case('fit, validation_data (x, y, w)', fit(sample_weight=w, validation_data=(xv, yv, wv)), sampleWeight=f32(w),
         validation=[f32(xv), f32(yv), f32(wv)], fitArgs={'batchSize': 2, 'epochs': 2})
    case('fit, validation_split 1/3 splits the weights too', fit(sample_weight=w, validation_split=1 / 3),
         sampleWeight=f32(w), fitArgs={'batchSize': 2, 'epochs': 2, 'validationSplit': 1 / 3})
    case('fit, class_weight {0: 1, 1: 3}', fit(class_weight={0: 1.0, 1: 3.0}), classWeight={'0': 1.0, '1': 3.0},
         fitArgs={'batchSize': 2, 'epochs': 2})

    def on_batch(model):
        return {'trainOnBatch': float(model.train_on_batch(x, y, sample_weight=w, return_dict=True)['loss'])}
    case('train_on_batch, per-sample weights', on_batch, sampleWeight=f32(w))

    # Per step, a tagger trained one epoch in batches of 2.
    model, weights = seeded_model(GRU_TAGGER, 41)
    xs, labels = tagger_data(42)
    w_step = np.array([[1, 1, 1, 0], [1, 1, 0, 0], [0.5, 2, 1, 1], [1, 0, 0, 0]], dtype=np.float32)
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss='sparse_categorical_crossentropy')
    h = model.fit(xs, labels.astype(np.float32), sample_weight=w_step, batch_size=2, epochs=2, shuffle=False, verbose=0)
    cases.append({'name': 'fit, per-step weights, GRU tagger, sparse_categorical_crossentropy', 'model': GRU_TAGGER,
                  'weights': weights, 'loss': 'sparse_categorical_crossentropy', 'metrics': [],
                  'optimizer': {'class': 'SGD', 'learningRate': 0.5}, 'x': f32(xs), 'y': f32(labels[..., None]),
                  'sampleWeight': f32(w_step), 'fitArgs': {'batchSize': 2, 'epochs': 2},
                  'history': {k: [float(v) for v in vs] for k, vs in h.history.items()}, 'after': weights_of(model)})
    return cases


def optimizer_cases():
    rng = np.random.default_rng(51)
    theta = [normal(rng, (3, 2)), normal(rng, (2,))]
    grads = [[normal(rng, (3, 2), 0.3), normal(rng, (2,), 0.3)] for _ in range(6)]
    grads[3][1] = np.zeros(2, dtype=np.float32)  # a zero gradient: the moments decay, the weights still move
    settings = [
        ('Nadam', {}, {}),
        ('Nadam', {'learning_rate': 0.01, 'beta_1': 0.8, 'beta_2': 0.99, 'epsilon': 1e-5},
         {'learningRate': 0.01, 'beta1': 0.8, 'beta2': 0.99, 'epsilon': 1e-5}),
        ('AdamW', {}, {}),
        ('AdamW', {'learning_rate': 0.01, 'weight_decay': 0.1, 'beta_1': 0.8, 'beta_2': 0.99, 'epsilon': 1e-5},
         {'learningRate': 0.01, 'weightDecay': 0.1, 'beta1': 0.8, 'beta2': 0.99, 'epsilon': 1e-5}),
    ]
    cases = []
    for cls, kwargs, ours in settings:
        opt = getattr(keras.optimizers, cls)(**kwargs)
        variables = [keras.Variable(t) for t in theta]
        steps = []
        for g in grads:
            opt.apply_gradients(zip([keras.ops.convert_to_tensor(gi) for gi in g], variables))
            steps.append([f32(np.asarray(v.value)) for v in variables])
        config = opt.get_config()
        cases.append({'name': f'{cls}({", ".join(f"{k}={v}" for k, v in kwargs.items())})', 'class': cls, 'args': ours,
                      'kerasConfig': {k: config[k] for k in ('learning_rate', 'beta_1', 'beta_2', 'epsilon', 'weight_decay')},
                      'theta': [f32(t) for t in theta], 'gradients': [[f32(gi) for gi in g] for g in grads], 'steps': steps})

    # By name in compile: Keras's defaults for 'nadam' and 'adamw', through a fit of 3 steps.
    xs = normal(rng, (4, 3), 1.0)
    ys = normal(rng, (4, 2), 1.0)
    named = []
    for name in ('nadam', 'adamw'):
        model, weights = seeded_model(DENSE, 52)
        model.compile(optimizer=name, loss='mse')
        h = model.fit(xs, ys, batch_size=4, epochs=3, shuffle=False, verbose=0)
        named.append({'optimizer': name, 'model': DENSE, 'weights': weights, 'x': f32(xs), 'y': f32(ys),
                      'loss': [float(v) for v in h.history['loss']], 'after': weights_of(model)})
    return cases, named


def auc_cases():
    rng = np.random.default_rng(61)
    n = 60
    labels = (rng.random(n) < 0.4).astype(np.float32)
    scores = np.clip(labels * 0.25 + rng.random(n) * 0.75, 0, 1).astype(np.float32)
    scores[:6] = [0, 1, 0.5, 100 / 199, 1 / 199, 198 / 199]  # the ends, the middle and scores on thresholds
    scores[6:10] = scores[10]  # ties across classes
    labels[6:10] = [0, 1, 0, 1]
    cases = []

    def auc_of(chunks):
        m = keras.metrics.AUC()
        for yt, yp in chunks:
            m.update_state(yt, yp)
        return float(m.result())

    cases.append({'name': 'scores with ties, ends and threshold values', 'yTrue': f32(labels), 'yPred': f32(scores),
                  'auc': auc_of([(labels, scores)]),
                  'chunks': [10, 25, 25], 'aucInChunks': auc_of([(labels[:10], scores[:10]), (labels[10:35], scores[10:35]),
                                                                 (labels[35:], scores[35:])])})
    sep = np.array([0.1, 0.2, 0.3, 0.7, 0.8, 0.9], dtype=np.float32)
    cases.append({'name': 'separable', 'yTrue': f32([0, 0, 0, 1, 1, 1]), 'yPred': f32(sep), 'auc': auc_of([([0, 0, 0, 1, 1, 1], sep)])})
    cases.append({'name': 'one class only (no negatives)', 'yTrue': f32([1, 1, 1]), 'yPred': f32([0.2, 0.6, 0.9]),
                  'auc': auc_of([(np.ones(3, np.float32), np.array([0.2, 0.6, 0.9], np.float32))])})
    # Keras's other settings on the same scores: the PR curve (interpolated as Davis & Goadrich), the lower and
    # upper Riemann sums, fewer thresholds, and logits.
    def auc_with(yt, yp, **kw):
        m = keras.metrics.AUC(**kw)
        m.update_state(yt, yp)
        return float(m.result())
    logits = np.log(scores / np.maximum(1 - scores, 1e-3) + 1e-3).astype(np.float32)
    cases[0]['settings'] = [
        {'args': {'curve': 'PR'}, 'auc': auc_with(labels, scores, curve='PR')},
        {'args': {'summationMethod': 'minoring'}, 'auc': auc_with(labels, scores, summation_method='minoring')},
        {'args': {'summationMethod': 'majoring'}, 'auc': auc_with(labels, scores, summation_method='majoring')},
        {'args': {'curve': 'PR', 'summationMethod': 'majoring'}, 'auc': auc_with(labels, scores, curve='PR', summation_method='majoring')},
        {'args': {'numThresholds': 7}, 'auc': auc_with(labels, scores, num_thresholds=7)},
        {'args': {'fromLogits': True}, 'yPred': f32(logits), 'auc': auc_with(labels, logits, from_logits=True)},
    ]
    seq_true = (rng.random((3, 4, 1)) < 0.5).astype(np.float32)
    seq_pred = rng.random((3, 4, 1)).astype(np.float32)
    cases.append({'name': 'a sequence of scores [B, T, 1] (every step counts)', 'yTrue': f32(seq_true), 'yPred': f32(seq_pred),
                  'auc': auc_of([(seq_true, seq_pred)])})

    # A model compiled with metrics=['auc']: evaluate in batches, and a fit's epoch values.
    model, weights = seeded_model(LSTM_BINARY, 71)
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss='binary_crossentropy', metrics=['auc'])
    x = normal(np.random.default_rng(72), (10, 5, 3), 1.0)
    y = np.array([[1], [0], [1], [1], [0], [0], [1], [0], [1], [0]], dtype=np.float32)
    ev = model.evaluate(x, y, batch_size=3, verbose=0, return_dict=True)
    pred = model.predict(x, verbose=0)
    whole = auc_of([(y, pred)])
    h = model.fit(x[:6], y[:6], batch_size=4, epochs=2, shuffle=False, verbose=0, validation_data=(x[6:], y[6:]))
    model_case = {'model': LSTM_BINARY, 'weights': weights, 'x': f32(x), 'y': f32(y), 'evaluateBatchSize': 3,
                  'evaluate': ev, 'aucOfPredictions': whole, 'fit': {'train': 6, 'batchSize': 4, 'epochs': 2,
                                                                      'history': {k: [float(v) for v in vs] for k, vs in h.history.items()}},
                  'after': weights_of(model)}
    return cases, model_case


def main():
    keras.utils.set_random_seed(1)
    optimizers, named = optimizer_cases()
    aucs, auc_model = auc_cases()
    out = {'generator': 'test/reference/make_training.py',
           'reference': f'keras {keras.__version__} (jax {jax.__version__}, float32)',
           'evaluate': evaluate_cases(), 'fit': fit_cases(), 'optimizers': optimizers, 'namedOptimizers': named,
           'auc': aucs, 'aucModel': auc_model}
    with open(OUT, 'w') as f:
        json.dump(out, f)
    print(f'wrote {OUT}')


if __name__ == '__main__':
    main()
