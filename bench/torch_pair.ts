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

export class TorchPair {
  private readonly lines: AsyncIterator<string>;

  private constructor(private readonly proc: ChildProcess, readonly info: TorchInfo, lines: AsyncIterator<string>) {
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
    return new TorchPair(proc, JSON.parse(line.slice(6)) as TorchInfo, lines);
  }

  /** Runs PyTorch's steps for at least `ms` and `minSteps` steps; their times in ms. */
  async slice(ms: number, minSteps: number): Promise<number[]> {
    this.proc.stdin!.write(`SLICE ${ms} ${minSteps}\n`);
    const next = await this.lines.next();
    if (next.done || !next.value.startsWith('TIMES ')) throw new Error('bench/torch_bench.py --serve stopped answering');
    return JSON.parse(next.value.slice(6)) as number[];
  }

  close(): void {
    this.proc.stdin!.end();
    this.proc.kill();
  }
}
