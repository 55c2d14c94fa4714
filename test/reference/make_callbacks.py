"""Writes test/fixtures/callbacks.json: what Keras 3's training callbacks do for fixed sequences of logs.

Each callback is driven as `fit` drives it, with `on_train_begin`, `on_epoch_begin`, `on_epoch_end(epoch, logs)`
and `on_train_end` called directly on a tiny compiled model (Dense(1) on 2 inputs), so the logs are exactly
the numbers written here:

- EarlyStopping: before each epoch's end the model's weights are set to a marker (every weight = epoch + 1),
  so the weights left after `on_train_end` say which epoch was restored; recorded: the epochs run (until
  `model.stop_training`), stopped_epoch, best_epoch, best, wait, the restored marker.
- ReduceLROnPlateau: the `learning_rate` logged at each epoch's end and the optimizer's rate after it
  (a float32 variable in Keras), for SGD(0.1).
- LearningRateScheduler: the rate of each epoch for two schedules, named here and in the test.
- ModelCheckpoint: `model.save` is replaced by a recorder, so the fixture holds the path of each save
  (epoch-level, save_best_only, and every 2 batches) without writing files; Keras wants a `.keras`
  suffix, which the fixture drops (ours saves to a folder).
- CSVLogger: the bytes of the file, for a first fit, a second one with `append=True`, a `;` separator,
  no validation keys (Keras adds `val_` columns of `NA`), a key missing from a later epoch, nan and inf.
- format: Python's `format(value, spec)` for the specs ModelCheckpoint's templates use.

Each callback runs with verbose=1, and what it prints on stdout is kept (`printed`).

    KERAS_BACKEND=jax /path/to/venv/bin/python test/reference/make_callbacks.py

(a venv with keras, jax, jaxlib and numpy; see README.md).
"""
import contextlib
import io
import json
import math
import os
import tempfile
import warnings

os.environ.setdefault('KERAS_BACKEND', 'jax')
import keras  # noqa: E402
import numpy as np  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'callbacks.json')


def tiny(optimizer=None):
    """Dense(1) on 2 inputs, compiled with accuracy, its metrics built by one step (mode 'auto' reads them)."""
    m = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation='sigmoid')])
    m.compile(optimizer=optimizer or keras.optimizers.SGD(0.1), loss='binary_crossentropy', metrics=['accuracy'])
    m.fit(np.zeros((2, 2)), np.zeros((2, 1)), epochs=1, verbose=0)
    return m


def num(x):
    """A float for JSON: nan and inf as strings."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else str(x)


def logs_json(logs):
    return None if logs is None else {k: num(v) for k, v in logs.items()}


def from_json(logs):
    return None if logs is None else {k: float(v) for k, v in logs.items()}


# (name, arguments as in Keras, the logs of each epoch)
LOSSES = [0.9, 0.8, 0.85, 0.79, 0.81, 0.82, 0.83, 0.7, 0.71]
EARLY = [
    ('patience 2, stops and restores', dict(patience=2, restore_best_weights=True), [{'val_loss': v} for v in LOSSES]),
    ('patience 0', dict(patience=0), [{'val_loss': v} for v in LOSSES]),
    ('never stops: restores the best at the end', dict(patience=5, restore_best_weights=True), [{'val_loss': v} for v in [0.5, 0.4, 0.45, 0.46]]),
    ('min_delta: a small gain is no gain', dict(monitor='loss', min_delta=0.05, patience=1, restore_best_weights=True),
     [{'loss': v} for v in [1.0, 0.97, 0.9, 0.88, 0.86]]),
    ('min_delta compared in float32', dict(monitor='loss', min_delta=1e-4, patience=1, restore_best_weights=True),
     [{'loss': v} for v in [1.0, 0.99989999999, 0.5, 0.5]]),
    ('negative min_delta is its absolute value', dict(monitor='loss', min_delta=-0.05, patience=1), [{'loss': v} for v in [1.0, 0.97, 0.9, 0.88]]),
    ('mode auto on val_accuracy maximizes', dict(monitor='val_accuracy', patience=1, restore_best_weights=True),
     [{'val_accuracy': v, 'val_loss': 0.5} for v in [0.5, 0.6, 0.6, 0.55, 0.7]]),
    ('mode max', dict(monitor='val_loss', mode='max', patience=1), [{'val_loss': v} for v in [0.5, 0.6, 0.4, 0.3]]),
    ('mode min on an accuracy', dict(monitor='accuracy', mode='min', patience=1), [{'accuracy': v} for v in [0.5, 0.4, 0.45, 0.5]]),
    ('baseline never beaten: patience epochs, then the best of them', dict(patience=2, baseline=0.5, restore_best_weights=True),
     [{'val_loss': v} for v in [0.9, 0.8, 0.85, 0.7, 0.6]]),
    ('baseline beaten', dict(patience=1, baseline=0.85, restore_best_weights=True), [{'val_loss': v} for v in [0.9, 0.8, 0.79, 0.81, 0.82]]),
    ('start_from_epoch', dict(patience=1, start_from_epoch=2, restore_best_weights=True), [{'val_loss': v} for v in [0.5, 0.9, 0.8, 0.85, 0.86, 0.87]]),
    ('a missing value skips the epoch', dict(patience=1, restore_best_weights=True),
     [{'val_loss': 0.9}, {'loss': 1.0}, {'val_loss': 0.95}, {'loss': 1.0}, {'val_loss': 0.96}]),
    ('nan first', dict(patience=2, restore_best_weights=True), [{'val_loss': v} for v in [float('nan'), 0.5, 0.4, 0.3]]),
]

PLATEAU_LOSSES = [1.0, 0.9, 0.9, 0.91, 0.92, 0.95, 0.89, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9]
PLATEAU = [
    ('defaults but patience 2', dict(patience=2), PLATEAU_LOSSES),
    ('factor 0.5, cooldown 2, min_lr 0.02', dict(factor=0.5, patience=1, cooldown=2, min_lr=0.02), PLATEAU_LOSSES),
    ('min_delta 0.05', dict(factor=0.5, patience=1, min_delta=0.05), [1.0, 0.97, 0.9, 0.88, 0.86, 0.8, 0.79]),
    ('mode max', dict(factor=0.5, patience=1, mode='max'), [0.5, 0.6, 0.6, 0.55, 0.7, 0.7]),
    ('patience 0', dict(factor=0.3, patience=0, min_lr=0.001), [1.0, 1.0, 0.5, 0.6, 0.6, 0.6, 0.6]),
]

SCHEDULES = {
    'keras docs: constant for 2 epochs, then exp(-0.1)': lambda epoch, lr: lr if epoch < 2 else lr * math.exp(-0.1),
    'step: 0.05 from epoch 3': lambda epoch, lr: 0.1 if epoch < 3 else 0.05,
}

CKPT_LOGS = [
    {'loss': 0.693147, 'accuracy': 0.5, 'val_loss': 0.7, 'val_accuracy': 0.5},
    {'loss': 0.5, 'accuracy': 0.75, 'val_loss': 0.654321, 'val_accuracy': 0.625},
    {'loss': 0.41, 'accuracy': 0.875, 'val_loss': 0.66, 'val_accuracy': 0.75},
    {'loss': 0.405, 'accuracy': 0.875, 'val_loss': 0.0123456, 'val_accuracy': 0.875},
    {'loss': 0.125, 'accuracy': 1.0, 'val_loss': 0.0125, 'val_accuracy': 0.875},
]
CKPT = [
    ('every epoch', 'ckpt-{epoch:02d}-{val_loss:.2f}', dict()),
    ('formats', 'e{epoch:03d}_{loss:.3e}_{val_accuracy:.1%}_{accuracy}_{val_loss:g}_{loss:>8.4f}', dict()),
    ('save_best_only on val_loss', 'best-{epoch}', dict(save_best_only=True)),
    ('save_best_only, mode auto on val_accuracy', 'acc-{epoch}-{val_accuracy:.3f}', dict(save_best_only=True, monitor='val_accuracy')),
    ('initial_value_threshold', 'thr-{epoch}', dict(save_best_only=True, initial_value_threshold=0.66)),
    ('save_best_only, monitor missing: saves', 'miss-{epoch}', dict(save_best_only=True, monitor='val_auc', mode='max')),
]


def early(args, seq):
    m = tiny()
    cb = keras.callbacks.EarlyStopping(verbose=1, **args)
    cb.set_model(m)
    printed = io.StringIO()
    run = 0
    with warnings.catch_warnings(), contextlib.redirect_stdout(printed):
        warnings.simplefilter('ignore')
        cb.on_train_begin()
        for epoch, logs in enumerate(seq):
            cb.on_epoch_begin(epoch)
            m.set_weights([np.full(w.shape, epoch + 1, 'float32') for w in m.get_weights()])
            cb.on_epoch_end(epoch, dict(logs))
            run += 1
            if m.stop_training:
                break
        cb.on_train_end()
    marker = float(m.get_weights()[0].flat[0])
    return {'epochsRun': run, 'stoppedEpoch': cb.stopped_epoch, 'bestEpoch': cb.best_epoch, 'best': num(cb.best), 'wait': cb.wait,
            'weightsOfEpoch': marker - 1, 'printed': printed.getvalue()}


def plateau(args, seq):
    m = tiny(keras.optimizers.SGD(0.1))
    cb = keras.callbacks.ReduceLROnPlateau(verbose=1, **args)
    cb.set_model(m)
    printed = io.StringIO()
    logged, after = [], []
    with contextlib.redirect_stdout(printed):
        cb.on_train_begin()
        for epoch, v in enumerate(seq):
            logs = {'val_loss': v}
            cb.on_epoch_end(epoch, logs)
            logged.append(logs['learning_rate'])
            after.append(float(m.optimizer.learning_rate))
    return {'logged': logged, 'after': after, 'printed': printed.getvalue()}


def scheduler(fn, epochs=6):
    m = tiny(keras.optimizers.SGD(0.1))
    cb = keras.callbacks.LearningRateScheduler(fn, verbose=1)
    cb.set_model(m)
    printed = io.StringIO()
    logged = []
    with contextlib.redirect_stdout(printed):
        cb.on_train_begin()
        for epoch in range(epochs):
            cb.on_epoch_begin(epoch)
            logs = {'loss': 1.0}
            cb.on_epoch_end(epoch, logs)
            logged.append(logs['learning_rate'])
    return {'logged': logged, 'printed': printed.getvalue()}


def checkpoint(template, args, save_freq='epoch'):
    m = tiny()
    saved = []
    m.save = lambda filepath, overwrite=True, **kw: saved.append(filepath)
    cb = keras.callbacks.ModelCheckpoint(template + '.keras', save_freq=save_freq, verbose=1, **args)
    cb.set_model(m)
    printed = io.StringIO()
    with warnings.catch_warnings(), contextlib.redirect_stdout(printed):
        warnings.simplefilter('ignore')
        cb.on_train_begin()
        for epoch, logs in enumerate(CKPT_LOGS):
            cb.on_epoch_begin(epoch)
            if save_freq != 'epoch':
                for batch in range(3):
                    cb.on_train_batch_end(batch, {'loss': logs['loss'] + batch / 100})
            cb.on_epoch_end(epoch, dict(logs))
        cb.on_train_end()
    return {'saved': [p[:-len('.keras')] for p in saved], 'printed': printed.getvalue().replace('.keras', '')}


def csv_files():
    out = []
    d = tempfile.mkdtemp()

    def run(name, file, args, fits):
        path = os.path.join(d, file)
        for seq in fits:
            cb = keras.callbacks.CSVLogger(path, **args)
            cb.set_model(tiny())
            cb.on_train_begin()
            for epoch, logs in enumerate(seq):
                cb.on_epoch_end(epoch, dict(logs))
            cb.on_train_end()
        with open(path, 'rb') as f:
            out.append({'name': name, 'args': args, 'fits': [[logs_json(l) for l in seq] for seq in fits], 'file': f.read().decode('utf8')})

    first = [{'loss': 0.6931471824645996, 'accuracy': 0.5, 'val_loss': 0.6925, 'val_accuracy': 0.5},
             {'loss': 0.123, 'accuracy': 1.0, 'val_loss': 1e-05, 'val_accuracy': 0.875}]
    run('validation keys', 'a.csv', {}, [first])
    run('no validation keys: Keras adds val_ columns of NA', 'b.csv', {}, [[{'loss': 0.5, 'learning_rate': 0.0010000000474974513}, {'loss': 1e16, 'learning_rate': 1e-4}]])
    run('append: the second fit adds rows, no header', 'c.csv', {'append': True}, [first, first[:1]])
    run('separator ;', 'd.csv', {'separator': ';'}, [first])
    run('a key missing later, nan and inf', 'e.csv', {}, [[{'loss': 1.0, 'val_loss': 2.0}, {'loss': float('nan')}, {'loss': float('inf'), 'val_loss': -0.0}]])
    run('without append the file is replaced', 'f.csv', {}, [first, first[1:]])
    return out


FORMAT_VALUES = [0.0, -0.0, 0.5, 0.125, 2.5, 1.0, 0.6931471824645996, 1e-05, 123456.789, 1e16, 9.995, 0.00009999, 99999.5, 2.675,
                 float('nan'), float('inf'), -1.25]
FORMAT_SPECS = ['', '.2f', '.0f', '08.3f', '.3e', 'g', '.3g', '.3', '.1%', '+.2f', '>10.2f', '<8.1f', '^9.1f', ',.2f', '012,.2f', 'z.1f', '.0e', '#.3g']
INT_SPECS = ['', 'd', '02d', '03', '>4d', '<4d', '+d', ',d', '.2f', 'e', '%']


def formats():
    out = []
    for v in FORMAT_VALUES:
        for s in FORMAT_SPECS:
            out.append([num(v), s, False, format(v, s)])
        out.append([num(v), 'repr', False, repr(v)])
    for v in [0, 1, 7, 12, 1234567]:
        for s in INT_SPECS:
            out.append([v, s, True, format(v, s)])
    return out


def main():
    fixture = {
        'generator': 'test/reference/make_callbacks.py',
        'reference': f'keras {keras.__version__} ({keras.backend.backend()})',
        'earlyStopping': [{'name': n, 'args': a, 'logs': [logs_json(l) for l in s], 'result': early(a, [from_json(logs_json(l)) for l in s])}
                          for n, a, s in EARLY],
        'reduceLROnPlateau': [{'name': n, 'args': a, 'initialLr': 0.1, 'values': s, 'result': plateau(a, s)} for n, a, s in PLATEAU],
        'learningRateScheduler': [{'name': n, 'initialLr': 0.1, **scheduler(f)} for n, f in SCHEDULES.items()],
        'modelCheckpoint': {
            'logs': CKPT_LOGS,
            'cases': [{'name': n, 'template': t, 'args': a, **checkpoint(t, a)} for n, t, a in CKPT]
            + [{'name': 'every 2 batches', 'template': 'b-{epoch}-{batch:03d}-{loss:.3f}', 'args': {'save_freq': 2}, **checkpoint('b-{epoch}-{batch:03d}-{loss:.3f}', {}, 2)}],
        },
        'csvLogger': csv_files(),
    }
    text = json.dumps(fixture, indent=1)
    # One line per format case: [value, spec, is an int, Python's format(value, spec)] ('repr': repr(value)).
    text = text[:-2] + ',\n "format": [\n' + ',\n'.join('  ' + json.dumps(c) for c in formats()) + '\n ]\n}\n'
    with open(OUT, 'w') as f:
        f.write(text)
    print(f'wrote {OUT}')


if __name__ == '__main__':
    main()
