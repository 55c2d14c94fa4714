/**
 * The text-generation workloads of `npm run bench`: one token of a 2-layer
 * LSTM(256) character model (Embedding(65, 64) → LSTM(256) → LSTM(256) →
 * Dense(65, softmax)) at batch 1, each step feeding in the id drawn at the
 * step before and drawing the next from the probabilities, read on the host:
 *
 * - ours through the generator: `generator(model).step([id])` (one kernel
 *   call), then `sample`;
 * - ours through a stateful `predict`: the same model with `stateful: true`
 *   LSTMs on [1, 1] ids, then `sample` of the probabilities read back;
 * - tf.layers' stateful `predict` (tf.layers.embedding, tf.layers.lstm with
 *   `stateful: true`), then `sample`;
 * - PyTorch's one-step loop (bench/torch_bench.py, workload gen_char_lstm):
 *   nn.Embedding → nn.LSTM(64, 256, num_layers=2) with (h, c) carried →
 *   nn.Linear → softmax, torch.multinomial and `.item()`, under
 *   torch.inference_mode().
 *
 * The weights are each side's own initialisers' (speed does not depend on them).
 */
import { tf, Sequential, Embedding, LSTM, Dense, generator, sample, SeedGenerator } from '../src';

/** A timed step and how to free what it holds. */
export interface Stepper {
  step: () => void;
  dispose: () => void;
}

export const V = 65, F = 64, H = 256;
/** Multiply-adds × 2 of one token: the two LSTMs' products and the Dense's. */
export const TOKEN_FLOPS = 2 * (4 * H * (F + H) + 4 * H * (H + H) + H * V);

/** The character model of ours; stateful for a stateful predict on [1, 1]. */
function ourModel(stateful: boolean): Sequential {
  return new Sequential({
    layers: [
      new Embedding({ inputDim: V, outputDim: F, ...(stateful ? { batchInputShape: [1, 1] } : {}) }),
      new LSTM({ units: H, returnSequences: true, stateful }),
      new LSTM({ units: H, stateful }),
      new Dense({ units: V, activation: 'softmax' }),
    ],
  });
}

/** Our generator: one step and one draw a token. */
export function ourGenerator(): Stepper {
  const model = ourModel(false);
  const gen = generator(model);
  const rng = new SeedGenerator(0);
  let id = 0;
  return {
    step: () => {
      [id] = sample(gen.step(id), { seed: rng });
    },
    dispose: () => {
      gen.dispose();
      model.dispose();
    },
  };
}

/** A stateful predict on [1, 1] ids (ours or tf.layers'), the probabilities read back, one draw. */
function predictStepper(model: tf.LayersModel): Stepper {
  const rng = new SeedGenerator(0);
  let id = 0;
  return {
    step: () => {
      const x = tf.tensor2d([[id]], [1, 1], 'int32');
      const p = model.predict(x) as tf.Tensor;
      const probs = p.dataSync() as Float32Array;
      tf.dispose([x, p]);
      [id] = sample(probs, { seed: rng });
    },
    dispose: () => model.dispose(),
  };
}

/** Our layers through a stateful predict. */
export function ourPredict(): Stepper {
  return predictStepper(ourModel(true));
}

/** tf.layers through a stateful predict. */
export function tfLayersPredict(): Stepper {
  return predictStepper(tf.sequential({
    layers: [
      tf.layers.embedding({ inputDim: V, outputDim: F, batchInputShape: [1, 1] }),
      tf.layers.lstm({ units: H, returnSequences: true, stateful: true }),
      tf.layers.lstm({ units: H, stateful: true }),
      tf.layers.dense({ units: V, activation: 'softmax' }),
    ],
  }));
}
