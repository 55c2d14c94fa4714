/**
 * The sentiment app's progress bar of one epoch (cli-progress): while it is
 * drawn the cursor is hidden and line wrap is off, so a Ctrl-C (SIGINT) or a
 * SIGTERM in that time first stops the bar, which restores both, and then
 * raises the signal again, so that the process ends as the signal ends it
 * (exit status 130 for Ctrl-C), not as if the signal had been handled.
 */
import { SingleBar } from 'cli-progress';

/** Where the bar is drawn: a terminal (cli-progress draws nothing elsewhere). */
export interface BarStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** The bar of one epoch: `update` after each batch, `stop` at the epoch's end. */
export interface EpochBar {
  update(value: number, payload: Record<string, string>): void;
  stop(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Runs `cleanup` on SIGINT or SIGTERM, then raises the signal again once no
 * other listener is left to act on it (one that is, such as signal-exit's,
 * re-raises it itself). Returns the function that removes the listeners.
 */
export function cleanupOnSignal(cleanup: () => void): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    detach();
    try {
      cleanup();
    } finally {
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    }
  };
  const detach = () => SIGNALS.forEach((s) => process.removeListener(s, onSignal));
  SIGNALS.forEach((s) => process.on(s, onSignal));
  return detach;
}

/** Starts a bar of `total` steps in `format` (cli-progress's, with {loss} and {acc}) on `stream`. */
export function startEpochBar(format: string, total: number, stream: BarStream = process.stderr): EpochBar {
  const bar = new SingleBar({ format, barsize: 24, hideCursor: true, clearOnComplete: true, stream: stream as NodeJS.WritableStream });
  bar.start(total, 0, { loss: '-', acc: '-' });
  // Only where the bar changed the terminal: a bar that is not drawn installs no listener.
  const detach = stream.isTTY ? cleanupOnSignal(() => bar.stop()) : () => undefined;
  return {
    update: (value, payload) => bar.update(value, payload),
    stop: () => {
      detach();
      bar.stop();
    },
  };
}
