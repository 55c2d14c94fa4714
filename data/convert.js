#!/usr/bin/env node
/**
 * Rebuilds data/*_labelled.tsv from the npm package sentiment@5.0.2, which
 * ships the UCI "Sentiment Labelled Sentences" files as JSON:
 *
 *   cd /tmp && npm pack sentiment@5.0.2 && tar xzf sentiment-5.0.2.tgz
 *   node data/convert.js /tmp/package/test/fixtures
 *
 * Changes (see data/README.md): the trailing empty row is dropped; C1
 * control characters U+0085, U+0096 and U+0097 (cp1252 bytes read as Latin-1) become the cp1252 characters meant ('…', '–', '—');
 * surrounding white space is trimmed. Written as `text<TAB>label`, one per line.
 */
const fs = require('fs');
const path = require('path');

// The cp1252 characters these bytes stand for (Node's TextDecoder maps
// 'windows-1252' to Latin-1, so the table is spelt out).
const CP1252 = { '\u0085': '…', '\u0096': '–', '\u0097': '—' };
const src = process.argv[2];
if (!src) {
  console.error('usage: node data/convert.js DIR_WITH_imdb.json_amazon.json_yelp.json');
  process.exit(2);
}
for (const [name, out] of [['imdb', 'imdb_labelled.tsv'], ['amazon', 'amazon_cells_labelled.tsv'], ['yelp', 'yelp_labelled.tsv']]) {
  const rows = JSON.parse(fs.readFileSync(path.join(src, `${name}.json`), 'utf8'));
  const lines = [];
  for (const r of rows) {
    if (r.text === '' && r.class == null) continue; // the trailing empty row
    const text = r.text
      .replace(/[\u0080-\u009f]/g, (ch) => {
        if (!(ch in CP1252)) throw new Error(`${name}: unmapped control character U+${ch.charCodeAt(0).toString(16)}`);
        return CP1252[ch];
      })
      .replace(/\s+/g, ' ')
      .trim();
    if (text.includes('\t') || !(r.class === 0 || r.class === 1)) throw new Error(`${name}: unexpected row ${JSON.stringify(r)}`);
    lines.push(`${text}\t${r.class}`);
  }
  fs.writeFileSync(path.join(__dirname, out), lines.join('\n') + '\n');
  const pos = lines.filter((l) => l.endsWith('\t1')).length;
  console.log(`${out}: ${lines.length} sentences, ${pos} positive`);
}
