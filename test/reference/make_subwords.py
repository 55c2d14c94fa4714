"""Writes test/fixtures/subwords.json: reference values for EmbeddingBag and subwordBags.

- EmbeddingBag: PyTorch's nn.EmbeddingBag(mode='mean', padding_idx=0), one bag per time step, float64:
  the output and the gradient of sum(y * w) with respect to the table, for seeded random values.
- charNgrams / ngramBucket / subwordBags: written out here from their definitions (fastText's '<' + word + '>'
  n-grams; FNV-1a 32-bit over UTF-8 bytes), with a word index built by Keras's Tokenizer rule (lower case,
  punctuation filtered, split on spaces, most frequent first, ties in order of first appearance, OOV token 1).

Run with Debian's python3-torch:  /usr/bin/python3 test/reference/make_subwords.py
"""
import json
import os
from collections import Counter

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'subwords.json')
FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'


def embedding_bag_case(seed, V, E, B, T, K):
    rng = np.random.default_rng(seed)
    table = rng.normal(size=(V, E))
    ids = rng.integers(1, V, size=(B, T, K))
    ids[rng.random(size=ids.shape) < 0.4] = 0  # empty slots
    ids[0, 0, :] = 0                           # an empty bag: zeros, masked
    ids[-1, -1, :] = [3] * K                   # the same id K times: its row
    w = rng.normal(size=(B, T, E))
    t = torch.tensor(table, requires_grad=True)
    bag = torch.nn.EmbeddingBag(V, E, mode='mean', padding_idx=0).double()
    bag.weight = torch.nn.Parameter(t)
    y = bag(torch.tensor(ids.reshape(B * T, K))).reshape(B, T, E)
    (y * torch.tensor(w)).sum().backward()
    return {'table': table.tolist(), 'ids': ids.tolist(), 'w': w.tolist(), 'y': y.detach().numpy().tolist(),
            'dTable': bag.weight.grad.numpy().tolist()}


def char_ngrams(word, min_n, max_n):
    c = list('<' + word + '>')
    # fastText's rule: '<' and '>' alone are not n-grams.
    return [''.join(c[i:i + n]) for n in range(min_n, max_n + 1) for i in range(len(c) - n + 1)
            if not (n == 1 and (i == 0 or i == len(c) - 1))]


def fnv1a(s):
    h = 0x811C9DC5
    for b in s.encode('utf-8'):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def words(text):
    return [w for w in text.lower().translate({ord(c): ' ' for c in FILTERS}).split(' ') if w]


def word_index(texts):
    counts = Counter()
    order = []
    for t in texts:
        for w in words(t):
            if w not in counts:
                order.append(w)
            counts[w] += 1
    ranked = sorted(order, key=lambda w: -counts[w])  # stable: ties keep first appearance
    return {w: i + 2 for i, w in enumerate(ranked)}  # 1 is the OOV token


def bags(texts, index, num_words, buckets, min_n, max_n, max_ngrams, maxlen):
    V = min(len(index) + 2, num_words)  # Tokenizer.vocabularySize with an OOV token
    width = 1 + max_ngrams
    out = []
    for t in texts:
        rows = []
        for w in words(t)[-maxlen:]:
            i = index.get(w)
            wid = i if i is not None and i < num_words else 1
            grams = [V + fnv1a(g) % buckets for g in char_ngrams(w, min_n, max_n)[:max_ngrams]]
            rows.append(([wid] + grams + [0] * width)[:width])
        out.append([[0] * width] * (maxlen - len(rows)) + rows)
    return V, out


def main():
    fit = ['The movie was not bad at all.', 'Bad acting, bad plot!', 'Naïve but charming: a café of a film.', 'not good']
    score = ['not bad', 'unwatchable, BAD movie', 'café', '', 'a b c d e f g h i j k l']
    args = {'numWords': 8, 'buckets': 97, 'minN': 2, 'maxN': 4, 'maxNgrams': 6, 'maxlen': 5}
    index = word_index(fit)
    V, expected = bags(score, index, args['numWords'], args['buckets'], args['minN'], args['maxN'], args['maxNgrams'], args['maxlen'])
    ngram_words = ['bad', 'a', 'café', 'naïve', '日本語', 'unwatchable']
    fixture = {
        'description': 'written by test/reference/make_subwords.py; reference: PyTorch nn.EmbeddingBag(mean, padding_idx=0) '
                       + torch.__version__ + ', and fastText n-grams / FNV-1a written out in Python',
        'embeddingBag': [embedding_bag_case(1, 11, 5, 2, 4, 3), embedding_bag_case(2, 7, 3, 3, 2, 6)],
        'charNgrams': [{'word': w, 'minN': 3, 'maxN': 5, 'ngrams': char_ngrams(w, 3, 5)} for w in ngram_words]
                      + [{'word': w, 'minN': 1, 'maxN': 2, 'ngrams': char_ngrams(w, 1, 2)} for w in ['bad', 'café']],
        'fnv1a': [{'s': g, 'hash': fnv1a(g)} for w in ngram_words for g in char_ngrams(w, 3, 4)],
        'subwordBags': {'fit': fit, 'texts': score, 'args': args, 'vocabularySize': V, 'bags': expected},
    }
    with open(OUT, 'w') as f:
        json.dump(fixture, f)
        f.write('\n')
    print('wrote', os.path.normpath(OUT), os.path.getsize(OUT), 'bytes')


if __name__ == '__main__':
    main()
