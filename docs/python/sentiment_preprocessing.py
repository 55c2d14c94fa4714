"""Texts -> the input ids of the models that `tfjs-recurrent export` wrote.

Reads the preprocessing.json written beside them and encodes texts as the
package's encodeTexts does (Python 3.6+, standard library only):

    from sentiment_preprocessing import load_preprocessing
    encode = load_preprocessing("exported/preprocessing.json")
    ids = encode(["Great phone!", "Not worth the money."])
    # [n][maxlen] word ids, or [n][maxlen][width] subword bags: int32 for the model

From a shell: python3 sentiment_preprocessing.py preprocessing.json < texts.json
(a JSON list of texts) prints their ids as JSON.
"""
import json
import sys


def load_preprocessing(path):
    """The function (list of texts -> list of ids) that preprocessing.json at `path` describes."""
    with open(path, encoding="utf-8-sig") as f:
        p = json.load(f)
    if not isinstance(p, dict) or p.get("format") != "tfjs-recurrent-preprocessing" or p.get("version") != 1:
        raise ValueError(f"load_preprocessing: expected a preprocessing.json (version 1) written by tfjs-recurrent export, got {path}")
    cfg, index = p["tokenizer"]["config"], dict(p["tokenizer"]["wordIndex"])
    oov_id = None if cfg["oovToken"] is None else index.get(cfg["oovToken"])
    maxlen, sub = p["maxlen"], p["subwords"]

    def words(text):
        # Lower-cased, each filters character replaced by split, split on split, empty words dropped.
        if cfg["lower"]:
            text = text.lower()
        for ch in cfg["filters"]:
            text = text.replace(ch, cfg["split"])
        return [w for w in text.split(cfg["split"]) if w]

    def word_id(w):
        # Its index where below numWords, else the OOV token's id, else None (no OOV token: dropped).
        i = index.get(w)
        return i if i is not None and (cfg["numWords"] is None or i < cfg["numWords"]) else oov_id

    def bucket(gram):
        # FNV-1a (32-bit) of the UTF-8 bytes, mod buckets; a lone surrogate is U+FFFD, as in JavaScript.
        h = 0x811C9DC5
        for b in "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in gram).encode("utf-8"):
            h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
        return h % sub["buckets"]

    def ngrams(w):
        # The minN..maxN code-point n-grams of "<" + w + ">", shortest first; not "<" or ">" alone.
        c = "<" + w + ">"
        return [c[i:i + n] for n in range(sub["minN"], sub["maxN"] + 1) for i in range(len(c) - n + 1)
                if not (n == 1 and i in (0, len(c) - 1))]

    def bag(w):
        # [word id (0 where none), V + bucket of each of its first maxNgrams n-grams, 0s] of width ids.
        ids = [word_id(w) or 0] + [sub["vocabularySize"] + bucket(g) for g in ngrams(w)[:sub["maxNgrams"]]]
        return ids + [0] * (sub["width"] - len(ids))

    def fit(row, empty):
        # maxlen items: a long row loses its front ("pre") or end; a short one gets `empty` in front ("pre") or after.
        row = row[-maxlen:] if p["truncating"] == "pre" else row[:maxlen]
        pad = [empty() for _ in range(maxlen - len(row))]
        return pad + row if p["padding"] == "pre" else row + pad

    def encode(texts):
        if isinstance(texts, str) or not hasattr(texts, "__iter__"):
            raise TypeError(f"encode: texts must be a list of strings, got {type(texts).__name__}")
        out = []
        for k, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"encode: texts[{k}] must be a string, got {type(text).__name__}")
            if sub is None:
                out.append(fit([i for i in map(word_id, words(text)) if i is not None], lambda: 0))
            else:
                out.append(fit([bag(w) for w in words(text)], lambda: [0] * sub["width"]))
        return out

    return encode


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python3 sentiment_preprocessing.py preprocessing.json < texts.json")
    json.dump(load_preprocessing(sys.argv[1])(json.loads(sys.stdin.buffer.read())), sys.stdout, separators=(",", ":"))
