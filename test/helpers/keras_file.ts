import * as fs from 'fs';
import { unzipSync } from 'fflate';
import { loadH5wasm } from '../../src/interop/keras/weights_h5';

/** [path, shape] of every dataset of the model.weights.h5 inside a .keras file, sorted by path. */
export async function kerasWeightsLayout(kerasFile: string): Promise<Array<[string, number[]]>> {
  const bytes = unzipSync(new Uint8Array(fs.readFileSync(kerasFile)))['model.weights.h5'];
  const h5 = await loadH5wasm();
  const { FS } = await h5.ready;
  FS.writeFile('/layout.h5', bytes);
  const f = new h5.File('/layout.h5', 'r') as unknown as { keys(): string[]; get(k: string): unknown; close(): void };
  const out: Array<[string, number[]]> = [];
  const walk = (g: { keys(): string[]; get(k: string): unknown }, at: string) => {
    for (const k of g.keys()) {
      const item = g.get(k) as { type: string; shape?: number[]; keys(): string[]; get(k: string): unknown };
      const p = at ? `${at}/${k}` : k;
      if (item.type === 'Dataset') out.push([p, item.shape ?? []]);
      else walk(item, p);
    }
  };
  walk(f, '');
  f.close();
  FS.unlink('/layout.h5');
  return out.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}
