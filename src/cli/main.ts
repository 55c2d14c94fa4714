#!/usr/bin/env node
/**
 * The `tfjs-recurrent` command:
 *   tfjs-recurrent sentiment [options]      train and evaluate a sentiment classifier
 *   tfjs-recurrent charrnn [options]        train a character model on a text, then sample from it
 *   tfjs-recurrent predict --model DIR [TEXT...]  score texts (or stdin's lines) with a trained one
 *   tfjs-recurrent --version                print the package's version
 *   tfjs-recurrent summary MODEL [--style keras3]  print the Keras summary of a saved or converted model
 *   tfjs-recurrent export --to F SRC OUT    write a saved model (or a run's models) as Keras 3, ONNX or a PyTorch state dict,
 *                                          or a run for a web page (tfjs's format, run.json, preprocessing.json)
 */
import * as path from 'path';
import * as readline from 'readline';
import { Command, InvalidArgumentError, Option } from 'commander';
import { CELLS, POOLINGS, DEFAULTS, SentimentOptions, runSentiment } from '../sentiment/train';
import { predictSentiment } from '../sentiment/predict';
import { LABEL_WORDS } from '../sentiment/data';
import { BACKEND_NAMES, setBackend } from '../backend';
import { printSummary } from '../model/summary';
import { RecurrentConfigError, RecurrentInputError } from '../errors';
import { loadAnyModel } from './load';
import { EXPORT_FORMATS, exportModels } from './export';
import { CHARRNN_DEFAULTS, runCharRnn } from '../charrnn/train';

const int = (name: string, min = 1) => (v: string) => {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}, got '${v}'`);
  return n;
};
const num = (name: string, lo: number, hi: number) => (v: string) => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < lo || n >= hi) throw new InvalidArgumentError(`${name} must be a number in [${lo}, ${hi}), got '${v}'`);
  return n;
};

const factor = (name: string) => (v: string) => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 1) throw new InvalidArgumentError(`${name} must be a number in (0, 1], got '${v}'`);
  return n;
};

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
}

import { packageVersion } from '../version';
export { packageVersion };

/** The non-empty lines of a stream: the texts `predict` reads when none are on the command line. */
async function readLines(input: NodeJS.ReadableStream): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of readline.createInterface({ input, crlfDelay: Infinity })) if (line.trim() !== '') lines.push(line);
  return lines;
}

const LABELS_HELP = `labels: ${LABEL_WORDS[1].join(', ')} for positive; ${LABEL_WORDS[0].join(', ')} for negative (any case)`;

/** Where the command reads what the user types or pipes in: standard input unless a test gives another stream. */
export interface CliIO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

export function program(io: CliIO = { stdin: process.stdin }): Command {
  const prog = new Command('tfjs-recurrent')
    .description('Keras-style recurrent networks for TensorFlow.js, from the command line.')
    .version(packageVersion(), '-V, --version', 'print the version of tfjs-recurrent')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  prog
    .command('sentiment')
    .description('Train a recurrent sentiment classifier on the bundled UCI sentences (or --data), report test metrics next to a bag-of-words baseline, and save everything to --out.')
    .addOption(new Option('--cell <name>', 'recurrent layer').choices([...CELLS]).default(DEFAULTS.cell))
    .addOption(new Option('--pooling <how>', 'from the recurrent outputs to one vector: the last state, or max / average over the real steps').choices([...POOLINGS]).default(DEFAULTS.pooling))
    .option('--units <n>', 'units of the recurrent layer', int('--units'), DEFAULTS.units)
    .option('--embedding-dim <n>', 'size of the word vectors', int('--embedding-dim'), DEFAULTS.embeddingDim)
    .option('--maxlen <n>', 'words kept per text (longer texts keep their end; shorter are padded)', int('--maxlen'), DEFAULTS.maxlen)
    .option('--num-words <n>', 'vocabulary size, most frequent words of the training part', int('--num-words', 2), DEFAULTS.numWords)
    .option('--epochs <n>', 'most epochs (early stopping on validation loss may stop sooner)', int('--epochs'), DEFAULTS.epochs)
    .option('--batch-size <n>', 'examples per training step', int('--batch-size'), DEFAULTS.batchSize)
    .option('--learning-rate <x>', 'Adam learning rate', num('--learning-rate', 1e-6, 1), DEFAULTS.learningRate)
    .option('--learning-rate-decay <x>', 'multiply the learning rate by x after each epoch (1: constant)', factor('--learning-rate-decay'), DEFAULTS.learningRateDecay)
    .option('--dropout <x>', 'dropout of the word vectors (inside the recurrent layer) and before the output layer', num('--dropout', 0, 1), DEFAULTS.dropout)
    .option('--word-dropout <x>', 'fraction of the words of each training text replaced by the unknown-word id, drawn afresh each epoch (training only)', num('--word-dropout', 0, 1), DEFAULTS.wordDropout)
    .option('--average-embeddings', 'also give the output layer the mean of the word vectors, beside the recurrent features (the default)')
    .option('--no-average-embeddings', 'the output layer sees the recurrent features only')
    .option('--subwords', 'fastText subword vectors: each word is the mean of its vector and those of its character n-grams, so unknown words get one too (the default)')
    .option('--no-subwords', 'one vector per known word; unknown words share one')
    .option('--subword-buckets <n>', 'hash buckets for the character n-grams of --subwords', int('--subword-buckets'), DEFAULTS.subwordBuckets)
    .option('--subword-min-n <n>', 'shortest character n-gram of --subwords', int('--subword-min-n'), DEFAULTS.subwordMinN)
    .option('--subword-max-n <n>', 'longest character n-gram of --subwords', int('--subword-max-n'), DEFAULTS.subwordMaxN)
    .option('--subword-max-ngrams <n>', 'at most n character n-grams per word, shortest first (longer words lose their longest ones)', int('--subword-max-ngrams'), DEFAULTS.subwordMaxNgrams)
    .option('--wide', 'add a bag-of-words logistic regression inside the network: a learned weight per word, summed over the text, added to the output logit')
    .option('--no-wide', 'no bag-of-words path (the default)')
    .option('--wide-l2 <x>', 'L2 penalty on the per-word weights of --wide', num('--wide-l2', 0, 1), DEFAULTS.wideL2)
    .option('--wide-learning-rate <x>', 'Adam learning rate of the per-word weights of --wide (the rest of the model uses --learning-rate)', num('--wide-learning-rate', 1e-6, 1), DEFAULTS.wideLearningRate)
    .option('--ensemble <n>', 'train n models (seeds SEED, SEED+1000, ...) and average their probabilities', int('--ensemble'), DEFAULTS.ensemble)
    .option('--patience <n>', 'epochs without a better validation loss before stopping', int('--patience'), DEFAULTS.patience)
    .option('--seed <n>', 'seed of the split, the initial weights and dropout', int('--seed', 0), DEFAULTS.seed)
    .addOption(new Option('--backend <name>', 'where the math runs').choices([...BACKEND_NAMES]).default(DEFAULTS.backend))
    .option('--data <file>', `train on your own labelled file: .tsv (one example per line, tab-separated, no quoting), .csv (RFC 4180: quoted fields may hold commas, line breaks and ""), or .jsonl ({"text": ..., "label": ...} per line). A CSV or TSV either starts with a header row naming its columns (text and label, or see --text-column, --label-column; other columns are ignored) or has none, each row being text then label. ${LABELS_HELP}. Each label needs at least 4 examples (2 to train on, 1 to validate, 1 to test).`)
    .option('--text-column <name>', 'the header name of the text column of --data (or its JSON Lines key); default text')
    .option('--label-column <name>', 'the header name of the label column of --data (or its JSON Lines key); default label')
    .option('--limit <n>', 'use only n examples (stratified), for a quick run (each label of each source needs 4: the bundled data needs n >= 22)', int('--limit', 10))
    .option('--out <dir>', 'output folder (default: runs/sentiment-<time>): a new or empty folder, or an earlier run folder, which this run replaces (its model folders, tokenizer.json, report.json and curves.svg; other files are kept); any other folder or a file is refused')
    .option('--no-progress', 'no progress bars, one line per epoch')
    .action(async (o) => {
      const opts: SentimentOptions = {
        cell: o.cell, pooling: o.pooling, units: o.units, embeddingDim: o.embeddingDim, maxlen: o.maxlen, numWords: o.numWords,
        epochs: o.epochs, batchSize: o.batchSize, learningRate: o.learningRate, learningRateDecay: o.learningRateDecay, dropout: o.dropout,
        wordDropout: o.wordDropout, averageEmbeddings: o.averageEmbeddings ?? DEFAULTS.averageEmbeddings, ensemble: o.ensemble,
        wide: o.wide ?? DEFAULTS.wide, wideL2: o.wideL2, wideLearningRate: o.wideLearningRate,
        subwords: o.subwords ?? DEFAULTS.subwords, subwordBuckets: o.subwordBuckets, subwordMinN: o.subwordMinN, subwordMaxN: o.subwordMaxN, subwordMaxNgrams: o.subwordMaxNgrams,
        patience: o.patience, seed: o.seed, backend: o.backend, data: o.data, textColumn: o.textColumn, labelColumn: o.labelColumn, limit: o.limit,
        out: o.out ?? path.join('runs', `sentiment-${stamp()}`),
        progress: o.progress === false ? false : undefined,
      };
      for (const [flag, v] of [['--text-column', o.textColumn], ['--label-column', o.labelColumn]]) {
        if (v != null && opts.data == null) throw new RecurrentConfigError(`${flag} names a column of --data, got ${flag} '${v}' without --data`);
      }
      if (opts.subwordMaxN < opts.subwordMinN) throw new RecurrentConfigError(`--subword-max-n must be >= --subword-min-n (${opts.subwordMinN}), got ${opts.subwordMaxN}`);
      await runSentiment(opts);
    });

  prog
    .command('charrnn')
    .description('Train a character-level model (Embedding, stacked LSTMs, Dense) on the bundled novel (Pride and Prejudice, public domain) or --data, then write a sample drawn one character at a time; everything goes to --out (model/, vocabulary.json, sample.txt, report.json).')
    .option('--units <n>', 'units of each LSTM layer', int('--units'), CHARRNN_DEFAULTS.units)
    .option('--layers <n>', 'LSTM layers', int('--layers'), CHARRNN_DEFAULTS.layers)
    .option('--embedding-dim <n>', 'size of the character vectors', int('--embedding-dim'), CHARRNN_DEFAULTS.embeddingDim)
    .option('--seq-length <n>', 'characters in a training window', int('--seq-length', 2), CHARRNN_DEFAULTS.seqLength)
    .option('--batch-size <n>', 'windows per training step', int('--batch-size'), CHARRNN_DEFAULTS.batchSize)
    .option('--epochs <n>', 'epochs', int('--epochs'), CHARRNN_DEFAULTS.epochs)
    .option('--steps-per-epoch <n>', 'training steps (batches of random windows) per epoch', int('--steps-per-epoch'), CHARRNN_DEFAULTS.stepsPerEpoch)
    .option('--learning-rate <x>', 'Adam learning rate', num('--learning-rate', 1e-6, 1), CHARRNN_DEFAULTS.learningRate)
    .option('--length <n>', 'characters to sample after the prime text', int('--length', 0), CHARRNN_DEFAULTS.length)
    .option('--prime <text>', 'the text the sample starts from (default: a new line)')
    .option('--temperature <x>', 'sampling temperature (0: always the most probable character)', num('--temperature', 0, 100), CHARRNN_DEFAULTS.temperature)
    .option('--top-k <n>', 'sample among the k most probable characters only', int('--top-k'))
    .option('--top-p <x>', 'sample among the most probable characters whose probabilities sum to p (nucleus sampling), p in (0, 1]', factor('--top-p'))
    .option('--seed <n>', 'seed of the weights, the training windows and the sample', int('--seed', 0), CHARRNN_DEFAULTS.seed)
    .addOption(new Option('--backend <name>', 'where the math runs').choices([...BACKEND_NAMES]).default(CHARRNN_DEFAULTS.backend))
    .option('--data <file>', 'train on your own text: a UTF-8 file, gzipped or not')
    .option('--limit <n>', 'use only the first n characters of the text, for a quick run', int('--limit'))
    .option('--interpret', "also write interpret.html: the sample with each character coloured by one LSTM unit's value, tanh(c), after reading it (Karpathy's interpretable cells)")
    .option('--layer <n>', 'the LSTM layer --interpret shows (1 is the first; default: the last)', int('--layer'))
    .option('--unit <n>', 'the unit --interpret shows (default: the one whose value varies most over the sample)', int('--unit', 0))
    .option('--out <dir>', 'output folder (default: runs/charrnn-<time>): a new or empty folder, or an earlier run folder, which this run replaces')
    .option('--no-progress', 'no progress bars, one line per epoch')
    .action(async (o) => {
      await runCharRnn({
        units: o.units, layers: o.layers, embeddingDim: o.embeddingDim, seqLength: o.seqLength, batchSize: o.batchSize, epochs: o.epochs,
        stepsPerEpoch: o.stepsPerEpoch, learningRate: o.learningRate, length: o.length, prime: o.prime, temperature: o.temperature,
        topK: o.topK, topP: o.topP, seed: o.seed, backend: o.backend, data: o.data, limit: o.limit,
        out: o.out ?? path.join('runs', `charrnn-${stamp()}`),
        interpret: o.interpret === true, interpretLayer: o.layer, interpretUnit: o.unit,
        progress: o.progress === false ? false : undefined,
      });
    });

  prog
    .command('predict')
    .description('Print, for each text, the probability that it is positive, a tab, and the text. With no texts on the command line, reads one text per line from standard input.')
    .requiredOption('--model <dir>', "a folder written by 'tfjs-recurrent sentiment' (an ensemble's models are averaged), or one of its model folders (model/, model_2/, ...: that model alone)")
    .addOption(new Option('--backend <name>', 'where the math runs (auto: the fastest here, as sentiment picks it)').choices([...BACKEND_NAMES]).default('auto'))
    .argument('[texts...]', 'texts to score (default: the lines of standard input)')
    .action(async (args: string[], o) => {
      let texts = args;
      if (texts.length === 0) {
        if (io.stdin.isTTY) console.error('predict: reading texts from standard input, one per line (end with Ctrl-D)');
        texts = await readLines(io.stdin);
        if (texts.length === 0) {
          throw new RecurrentInputError('predict: no text to score: standard input had no non-empty line (give texts as arguments, or one per line on standard input)');
        }
      }
      await setBackend(o.backend, { verbose: false });
      const probs = await predictSentiment(o.model, texts);
      probs.forEach((p, i) => console.log(`${p.toFixed(4)}\t${texts[i]}`));
    });

  prog
    .command('summary')
    .description("Print the Keras-format summary of a model saved by this package or converted from Keras by tensorflowjs_converter.")
    .argument('<model>', 'model.json, or the folder holding it')
    .addOption(new Option('--style <style>', "keras2: tf.keras 2.x's table; keras3: Keras 3's boxed table with parameter sizes, as wide as Keras 3 makes it in this terminal").choices(['keras2', 'keras3']).default('keras2'))
    .option('--show-trainable', 'keras3: a Trainable column (Y; N for a frozen layer; - for a layer without weights)')
    .option('--expand-nested', 'keras3: also list the layers of nested models')
    .option('--line-length <n>', 'width of the table', int('--line-length'))
    .action(async (model: string, o) => {
      for (const [flag, v] of [['--show-trainable', o.showTrainable], ['--expand-nested', o.expandNested]]) {
        if (v && o.style !== 'keras3') throw new RecurrentConfigError(`summary: ${flag} needs --style keras3, got --style ${o.style}`);
      }
      await setBackend('cpu', { verbose: false });
      printSummary(await loadAnyModel(model, 'summary'), { style: o.style, lineLength: o.lineLength, showTrainable: o.showTrainable, expandNested: o.expandNested });
    });

  prog
    .command('export')
    .description(
      "Write a model in another framework's format: --to keras (a Keras 3 .keras file), onnx (an ONNX graph for onnxruntime) or torch (a PyTorch state_dict as JSON); " +
        "or --to web: a run's models in tfjs's own format (OUT/model/model.json and weights.bin, one folder per model, read by tf.loadLayersModel), with run.json listing them, for a web page (docs/web.md). " +
        "SOURCE is a folder written by 'tfjs-recurrent sentiment' (every model of its ensemble), one of its model folders, or any model.json this package saved or tensorflowjs_converter wrote. " +
        'OUT is the file to write, or, for several models, a folder that gets one file per model. ' +
        "The models of a run folder get preprocessing.json beside them: the tokenizer and the encoding that turn texts into their input, for serving them elsewhere. " +
        '--to web takes a run folder (or one of its model folders) and always writes the folder OUT.',
    )
    .addOption(new Option('--to <format>', 'the format to write').choices([...EXPORT_FORMATS]).makeOptionMandatory())
    .argument('<source>', 'a run folder, a model folder or a model.json')
    .argument('<out>', 'the file to write (model.keras, model.onnx, state.json), or a folder (always, with --to web)')
    .option('--force', 'replace OUT files that exist (never a file of the model being read)')
    .action(async (source: string, out: string, o) => {
      await setBackend('cpu', { verbose: false });
      for (const file of await exportModels(o.to, source, out, { force: o.force === true })) console.log(file);
    });
  return prog;
}

/** Runs the command line; returns the exit code. */
export async function main(argv: string[], io?: CliIO): Promise<number> {
  try {
    await program(io).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    const err = e as Error & { code?: string; exitCode?: number };
    if (err.code?.startsWith('commander.')) {
      // commander has printed the message (or the help) already.
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version' ? 0 : err.exitCode ?? 1;
    }
    console.error(`error: ${err.message}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
