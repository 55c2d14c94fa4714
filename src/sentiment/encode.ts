/**
 * The model's input: texts → padded word ids [n, maxlen] or subword bags
 * [n, maxlen, 1 + subwordMaxNgrams] → one int32 tensor; and word dropout,
 * which replaces some of those ids by the OOV id for one training epoch.
 */
import { tf } from '../tf';
import { Tokenizer } from '../text/tokenizer';
import { padSequences } from '../text/pad_sequences';
import { subwordBagWidth, subwordBags } from '../text/subwords';
import { SentimentOptions } from './options';

/** The options that decide the input's form (all a saved run needs to encode new texts). */
export type Encoding = Pick<SentimentOptions, 'maxlen' | 'subwords' | 'subwordBuckets' | 'subwordMinN' | 'subwordMaxN' | 'subwordMaxNgrams'>;

/** The shape of one example: [maxlen] word ids, or [maxlen, 1 + subwordMaxNgrams] subword bags. */
export const inputShape = (o: Encoding) => (o.subwords ? [o.maxlen, subwordBagWidth({ maxNgrams: o.subwordMaxNgrams })] : [o.maxlen]);

/** The model's input for some texts: padded word ids [n][maxlen], or subword bags [n][maxlen][width]. */
export function encodeTexts(tokenizer: Tokenizer, texts: string[], o: Encoding): number[][] | number[][][] {
  if (!o.subwords) return padSequences(tokenizer.textsToSequences(texts), { maxlen: o.maxlen });
  return subwordBags(tokenizer, texts, { buckets: o.subwordBuckets, minN: o.subwordMinN, maxN: o.subwordMaxN, maxNgrams: o.subwordMaxNgrams, maxlen: o.maxlen });
}

/** Rows of ids (word ids or bags, as `encodeTexts` gives them) → one int32 tensor [n, ...inputShape(o)]. */
export function idsTensor(rows: number[][] | number[][][], o: Encoding): tf.Tensor {
  const shape = [rows.length, ...inputShape(o)];
  const data = new Int32Array(shape.reduce((a, b) => a * b, 1));
  let k = 0;
  for (const r of rows) {
    for (const w of r) {
      if (typeof w === 'number') data[k++] = w;
      else for (const id of w) data[k++] = id;
    }
  }
  return tf.tensor(data, shape, 'int32');
}

/**
 * Word dropout for one epoch: each real word id (not the padding 0) becomes `oovId` with
 * probability `rate`, drawn from `rand`; a word's bag of subword ids (not an empty one) becomes
 * [oovId, 0, ...], dropping its n-grams too. Returns new rows; the input is not changed.
 */
export function wordDropout<W extends number | number[]>(seqs: W[][], rate: number, rand: () => number, oovId = 1): W[][] {
  if (rate <= 0) return seqs;
  const drop = (w: W): W => {
    if (typeof w === 'number') return (w > 0 && rand() < rate ? oovId : w) as W;
    return (w.some((id) => id > 0) && rand() < rate ? w.map((_, k) => (k === 0 ? oovId : 0)) : w) as W;
  };
  return seqs.map((s) => s.map(drop));
}
