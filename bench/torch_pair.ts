/**
 * PyTorch's side of a workload in `npm run bench`, timed in slices that
 * alternate with ours: bench/torch_bench.py --serve runs in its own process,
 * warms up, then runs steps for each slice asked for here and reports their
 * times. Both sides thus see the same minutes of the machine, whose speed
 * drifts by up to 1.5× over minutes here (measured one after the other, the
 * same code's ours ÷ PyTorch moved between 0.71× and 1.62× from round to round).
 */
import * as path from 'path';
import * as readline from 'readline';
import { ChildProcess, spawn } from 'child_process';

/** What bench/torch_bench.py says once warmed up. */
export interface TorchInfo {
  workload: string;
  torch: string;
  threads: number;
  firstMs: number;
  /** Mean ms of a warm-up step; null when the first step took over 20 s. */
  warmMs: number | null;
}

/** How long PyTorch may take to build and warm up (its warm-up is about 6 s). */
const READY_MS = 600000;
/** How long past a slice's end PyTorch may take to report it (a slice ends after the step running at its end, at most 20 s). */
const SLICE_LATE_MS = 120000;

export class TorchPair {
  private readonly lines: AsyncIterator<string>;

  private constructor(private readonly proc: ChildProcess, readonly info: TorchInfo, lines: AsyncIterator<string>, private readonly stderr: () => string) {
    this.lines = lines;
  }

  /** Starts PyTorch on `workload` and waits for its warm-up; a failure is a reason, never an error. */
  static async start(python: string, threads: number, workload: string): Promise<TorchPair | { why: string }> {
    const script = path.join(__dirname, '..', '..', 'bench', 'torch_bench.py');
    const proc = spawn(python, [script, '--serve', workload, '--threads', String(threads)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr!.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<'exited'>((resolve) => proc.on('close', () => resolve('exited')));
    proc.on('error', () => undefined); // (a python that cannot start ends the stream: reported below)
    const lines = readline.createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), READY_MS)));
    const first = await Promise.race([lines.next(), exited, timeout]);
    clearTimeout(timer);
    const line = typeof first === 'object' && !first.done ? first.value : '';
    if (!line.startsWith('READY ')) {
      proc.kill();
      await exited; // (then all of stderr has been read)
      const why = first === 'late' && !stderr ? `no READY within ${READY_MS / 1000} s` : stderr.trim().split('\n').pop() || 'bench/torch_bench.py --serve printed no READY';
      return { why: `failed: ${why.slice(0, 100)}` };
    }
    let info: TorchInfo;
    try {
      info = JSON.parse(line.slice(6)) as TorchInfo;
    } catch {
      proc.kill();
      return { why: `failed: bench/torch_bench.py --serve said ${line.slice(0, 80)}` };
    }
    return new TorchPair(proc, info, lines, () => stderr);
  }

  /**
   * Runs PyTorch's steps for at least `ms` and `minSteps` steps; their times
   * in ms. Throws, with its last line on stderr, if it stops answering (it
   * exits, or is still silent SLICE_LATE_MS after the slice should have ended).
   */
  async slice(ms: number, minSteps: number): Promise<number[]> {
    this.proc.stdin!.write(`SLICE ${ms} ${minSteps}\n`);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms + SLICE_LATE_MS)));
    const next = await Promise.race([this.lines.next(), late]);
    clearTimeout(timer);
    if (next === 'late' || next.done || !next.value.startsWith('TIMES ')) {
      this.close();
      const said = this.stderr().trim().split('\n').pop();
      throw new Error(`bench/torch_bench.py --serve stopped answering${next === 'late' ? ` (silent for ${SLICE_LATE_MS / 1000} s)` : ''}${said ? `: ${said.slice(0, 100)}` : ''}`);
    }
    return JSON.parse(next.value.slice(6)) as number[];
  }

  /** Ends PyTorch's process; nothing of it (a stuck child's pipes) keeps this process alive. */
  close(): void {
    this.proc.kill('SIGKILL');
    for (const stream of [this.proc.stdin, this.proc.stdout, this.proc.stderr]) stream?.destroy();
    this.proc.unref();
  }
}
