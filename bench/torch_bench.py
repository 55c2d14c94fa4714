"""The workloads of bench/run.ts in PyTorch (>= 2), for its "PyTorch" column.

    python3 bench/torch_bench.py [WORKLOAD ...] [--steps 10] [--threads 2]
    python3 bench/torch_bench.py --serve WORKLOAD [--threads 2]

With no WORKLOAD, runs them all (one after the other, in this one process).
For each, prints one line `ROW {json}` on stdout (median ms per step, steps
timed, torch version, threads) and a readable line on stderr. With --serve
(what `npm run bench` runs, a fresh process per workload), the workload is
warmed up and then timed in slices that bench/run.ts asks for, alternating
with its own (see `serve`). Not a test: nothing here asserts a speed.

Float32, torch.set_num_threads(2) (the machine's 2 cores; --threads), seeded
(torch.manual_seed(0)). The stock nn modules with batch_first; batch 32,
T = 100. A training step is what one `model.trainOnBatch(x, y)` does on our
side: forward, loss, backward, one Adam step (lr 1e-3, betas 0.9/0.999,
eps 1e-7: Keras's defaults), and reading the loss back (`loss.item()`). An
inference step is a forward under torch.no_grad(), as `model.predict(x)`
and reading the result.

Workloads (bench/run.ts's WORKLOADS -> here):

- text_lstm: train Embedding(10000,32)+LSTM(32)+Dense(1). nn.Embedding(10000,
  32) (dense gradient, so Adam updates the whole table, as ours does) ->
  nn.LSTM(32, 32), its final h -> nn.Linear(32, 1) -> sigmoid -> binary
  cross-entropy. Ids uniform in [1, 10000), labels 0 or 1. Also the PyTorch
  figure of the "tf.layers.lstm beside our Embedding" row, whose ours side is
  the same model.
- text_gru: the same with nn.GRU(32, 32). PyTorch's GRU applies the reset
  gate after the recurrent product (r * (U_n h + b_hn)), which is Keras's
  reset_after=True, our GRU's default.
- seq_lstm, seq_gru, seq_rnn: the recurrent layer alone: nn.LSTM / nn.GRU /
  nn.RNN(32, 32) on float inputs [32, 100, 32], its final h -> nn.Linear(32, 1)
  -> sigmoid -> binary cross-entropy.
- text_rnn: the same with nn.RNN(32, 32, nonlinearity='tanh') for SimpleRNN
  (and the "tf.layers.simpleRNN beside our Embedding" row).
- infer_lstm128: inference LSTM(128) on x of [32, 100, 32] (normal): the
  final h, [32, 128].
- train_lstm256: train LSTM(256) on x of [32, 100, 128]: final h against a
  normal target of [32, 256], mean squared error.
- train_bilstm64: train Bidirectional(LSTM(64)) on [32, 100, 32]:
  nn.LSTM(32, 64, bidirectional=True), the final h of the forward and of the
  backward direction concatenated ([32, 128], Keras's merge_mode 'concat'
  of the two last outputs), mean squared error against a normal target.
- gen_char_lstm: one token of text generation, batch 1, a step being one
  token: nn.Embedding(65, 64) -> nn.LSTM(64, 256, num_layers=2) from the
  (h, c) the step before left -> nn.Linear(256, 65) -> softmax ->
  torch.multinomial (seeded torch.Generator) -> .item(), the id drawn fed
  in at the next step, under torch.inference_mode(). (bench/generation.ts
  has our sides: the generator, a stateful predict, tf.layers'.)

PyTorch's recurrent layers carry two bias vectors (b_ih + b_hh) where Keras
has one; that is one add of [B, G*H] per step. Initialisers differ (speed
does not depend on them).

Timing, as bench/run.ts: one first step; if it took over 20 s, one step is
the measurement. Otherwise warm up for at least 5 steps and 6 s, then time
max(--steps, min(50, ceil(3000 ms / mean warm-up step))) steps, that is at
least --steps steps and about 3 s; the figure is the median ms per step.
"""
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

THREADS = 2
B, T = 32, 100


class Seq(nn.Module):
    """recurrent(32), final h -> Dense(1, sigmoid); with `vocabulary`, ids in
    through Embedding(vocabulary, 32), else floats in."""

    def __init__(self, rnn, vocabulary=None):
        super().__init__()
        self.emb = nn.Embedding(vocabulary, 32) if vocabulary else None
        self.rnn = rnn
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        h = self.rnn(self.emb(x) if self.emb is not None else x)[1]
        h = h[0] if isinstance(h, tuple) else h  # LSTM: (h_n, c_n)
        return torch.sigmoid(self.out(h[-1]))


class FinalH(nn.Module):
    """A recurrent layer's final h; both directions' concatenated if bidirectional."""

    def __init__(self, rnn):
        super().__init__()
        self.rnn = rnn

    def forward(self, x):
        h = self.rnn(x)[1][0]  # h_n: [directions, B, H]
        return torch.cat(list(h), dim=1)


def workload(name):
    """(model, x, y, loss or None for inference)."""
    ids = lambda: torch.randint(1, 10000, (B, T))
    labels = lambda: torch.randint(0, 2, (B, 1)).float()
    if name == 'text_lstm':
        return Seq(nn.LSTM(32, 32, batch_first=True), vocabulary=10000), ids(), labels(), F.binary_cross_entropy
    if name == 'text_gru':
        return Seq(nn.GRU(32, 32, batch_first=True), vocabulary=10000), ids(), labels(), F.binary_cross_entropy
    if name == 'text_rnn':
        return Seq(nn.RNN(32, 32, nonlinearity='tanh', batch_first=True), vocabulary=10000), ids(), labels(), F.binary_cross_entropy
    if name == 'seq_lstm':
        return Seq(nn.LSTM(32, 32, batch_first=True)), torch.randn(B, T, 32), labels(), F.binary_cross_entropy
    if name == 'seq_gru':
        return Seq(nn.GRU(32, 32, batch_first=True)), torch.randn(B, T, 32), labels(), F.binary_cross_entropy
    if name == 'seq_rnn':
        return Seq(nn.RNN(32, 32, nonlinearity='tanh', batch_first=True)), torch.randn(B, T, 32), labels(), F.binary_cross_entropy
    if name == 'infer_lstm128':
        return FinalH(nn.LSTM(32, 128, batch_first=True)), torch.randn(B, T, 32), None, None
    if name == 'train_lstm256':
        return FinalH(nn.LSTM(128, 256, batch_first=True)), torch.randn(B, T, 128), torch.randn(B, 256), F.mse_loss
    if name == 'train_bilstm64':
        return FinalH(nn.LSTM(32, 64, batch_first=True, bidirectional=True)), torch.randn(B, T, 32), torch.randn(B, 128), F.mse_loss
    raise SystemExit(f'torch_bench: unknown workload {name!r}; known: {", ".join(NAMES)}')


NAMES = ['seq_lstm', 'seq_gru', 'seq_rnn', 'text_lstm', 'text_gru', 'text_rnn', 'infer_lstm128', 'train_lstm256', 'train_bilstm64', 'gen_char_lstm']


class CharLSTM(nn.Module):
    """Embedding(65, 64) -> 2-layer LSTM(256) -> Linear(256, 65) -> softmax, one step from `state`."""

    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(65, 64)
        self.lstm = nn.LSTM(64, 256, num_layers=2, batch_first=True)
        self.out = nn.Linear(256, 65)

    def forward(self, ids, state):
        y, state = self.lstm(self.emb(ids), state)  # y: [1, 1, 256]
        return torch.softmax(self.out(y[:, -1]), dim=-1), state


def generation_step():
    """gen_char_lstm: one token a step, the state and the id drawn carried to the next."""
    model = CharLSTM().eval()
    g = torch.Generator().manual_seed(0)
    carried = {'ids': torch.zeros(1, 1, dtype=torch.long), 'state': None}

    def step():
        with torch.inference_mode():
            p, carried['state'] = model(carried['ids'], carried['state'])
            nxt = torch.multinomial(p, 1, generator=g)  # [1, 1]
            nxt.item()
            carried['ids'] = nxt
    return step


def make_step(name):
    """One step of workload `name` (seeded): a training step, or an inference step."""
    torch.manual_seed(0)
    if name == 'gen_char_lstm':
        return generation_step()
    model, x, y, loss_fn = workload(name)
    if loss_fn is None:
        model.eval()

        def step():
            with torch.no_grad():
                model(x).numpy()
        return step
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        loss.item()
    return step


def now():
    return time.perf_counter() * 1000


def warm_up(step):
    """The first step, then (unless it took over 20 s) at least 5 steps and 6 s; returns
    (ms of the first step, mean ms of the others or None)."""
    t = now()
    step()  # first step (allocations, optimizer state)
    first = now() - t
    if first > 20000:
        return first, None
    t0, k = now(), 0
    while k < 5 or now() - t0 < 6000:
        step()
        k += 1
    return first, (now() - t0) / k


def measure(name, steps):
    step = make_step(name)
    _, mean = warm_up(step)
    n = 1 if mean is None else max(steps, min(50, math.ceil(3000 / mean)))
    times = []
    for _ in range(n):
        t = now()
        step()
        times.append(now() - t)
    ms = sorted(times)[len(times) // 2]  # the same median as bench/run.ts
    return {'workload': name, 'msPerStep': ms, 'steps': n, 'torch': torch.__version__, 'threads': torch.get_num_threads()}


def serve(name):
    """--serve: workload `name`, warmed up, timed in slices that bench/run.ts asks for
    between slices of its own, so that both sides see the same minutes of the machine.
    Prints `READY {json}`; then for each line `SLICE <ms> <steps>` on stdin runs steps
    for at least that long and that many (at least one) and prints `TIMES [ms of each
    step]`; ends at EOF."""
    step = make_step(name)
    first, mean = warm_up(step)
    info = {'workload': name, 'torch': torch.__version__, 'threads': torch.get_num_threads(), 'firstMs': first, 'warmMs': mean}
    print('READY ' + json.dumps(info), flush=True)
    for line in sys.stdin:
        _, ms, least = line.split()
        times, t0 = [], now()
        while len(times) < max(1, int(least)) or now() - t0 < float(ms):
            t = now()
            step()
            times.append(now() - t)
        print('TIMES ' + json.dumps(times), flush=True)


def main(argv):
    opts = {'--steps': 10, '--threads': THREADS}
    for k in opts:
        if k in argv:
            i = argv.index(k)
            opts[k] = int(argv[i + 1])
            argv = argv[:i] + argv[i + 2:]
    if int(torch.__version__.split('.')[0]) < 2:
        sys.exit(f'torch_bench: needs PyTorch >= 2, found {torch.__version__}')
    torch.set_num_threads(opts['--threads'])
    if argv[:1] == ['--serve']:
        serve(argv[1])
        return
    steps = opts['--steps']
    for name in argv or NAMES:
        row = measure(name, steps)
        print(f'{name:15} {row["msPerStep"]:9.1f} ms/step over {row["steps"]} steps (torch {row["torch"]}, {row["threads"]} threads)', file=sys.stderr)
        print('ROW ' + json.dumps(row), flush=True)


if __name__ == '__main__':
    main(sys.argv[1:])
