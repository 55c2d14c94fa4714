/**
 * The live loss curve of in-page training, on a <canvas>: the loss of each
 * training batch (grey), its moving mean over `SMOOTH` batches (blue), and
 * the validation loss before training and after each epoch (orange dots).
 */

/** Batches in the moving mean. */
const SMOOTH = 10;

/** What the curve shows: the batch losses in order, and validation losses at a batch count. */
export interface LossHistory {
  batches: number[];
  val: Array<{ batch: number; loss: number }>;
  /** Batches in the whole training, for the x axis. */
  total: number;
}

/** The moving mean of `xs` over the last `k` values (fewer at the start). */
export function movingMean(xs: number[], k: number): number[] {
  let sum = 0;
  return xs.map((x, i) => {
    sum += x - (i >= k ? xs[i - k] : 0);
    return sum / Math.min(i + 1, k);
  });
}

/** Draws `h` on `canvas`, its axes labelled (batches; binary cross-entropy from 0). */
export function drawLossCurve(canvas: HTMLCanvasElement, h: LossHistory): void {
  const g = canvas.getContext('2d');
  if (g === null) return;
  const dpr = window.devicePixelRatio || 1;
  const W = canvas.clientWidth || canvas.width;
  const H = canvas.clientHeight || canvas.height;
  if (canvas.width !== Math.round(W * dpr)) [canvas.width, canvas.height] = [Math.round(W * dpr), Math.round(H * dpr)];
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, W, H);
  const pad = { left: 40, right: 10, top: 10, bottom: 26 };
  const top = Math.max(0.8, ...h.batches, ...h.val.map((v) => v.loss));
  const x = (b: number) => pad.left + ((W - pad.left - pad.right) * b) / Math.max(1, h.total);
  const y = (l: number) => pad.top + (H - pad.top - pad.bottom) * (1 - l / top);
  g.strokeStyle = '#999';
  g.fillStyle = '#444';
  g.font = '11px system-ui, sans-serif';
  g.lineWidth = 1;
  g.beginPath();
  g.moveTo(pad.left, pad.top);
  g.lineTo(pad.left, H - pad.bottom);
  g.lineTo(W - pad.right, H - pad.bottom);
  g.stroke();
  for (const l of [0, 0.2, 0.4, 0.6, 0.8].filter((v) => v <= top)) {
    g.fillText(l.toFixed(1), 8, y(l) + 4);
  }
  g.fillText(`batches (${h.total})`, W - pad.right - 80, H - 8);
  g.fillText('loss', pad.left + 4, pad.top + 10);
  const line = (ys: number[], colour: string, width: number) => {
    g.strokeStyle = colour;
    g.lineWidth = width;
    g.beginPath();
    ys.forEach((v, i) => (i === 0 ? g.moveTo(x(i + 1), y(v)) : g.lineTo(x(i + 1), y(v))));
    g.stroke();
  };
  line(h.batches, '#c8c8c8', 1);
  line(movingMean(h.batches, SMOOTH), '#2166ac', 2);
  g.fillStyle = '#d95f02';
  for (const v of h.val) {
    g.beginPath();
    g.arc(x(v.batch), y(v.loss), 4, 0, 2 * Math.PI);
    g.fill();
  }
}
