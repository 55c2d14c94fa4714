/**
 * Imports go one way: no module of src/ or assembly/ reaches itself again
 * through its relative imports (type-only imports included), found with
 * Tarjan's strongly connected components over the import graph.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');

/** Each .ts file under `dir` and the .ts files its relative imports name. */
function importGraph(dir: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) {
        const text = fs.readFileSync(p, 'utf8');
        const specs = [...text.matchAll(/(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]|require\(['"](\.[^'"]+)['"]\)|import\(['"](\.[^'"]+)['"]\)/g)]
          .map((m) => m[1] ?? m[2] ?? m[3]);
        const deps = specs
          .map((s) => path.join(path.dirname(p), s))
          .map((t) => [`${t}.ts`, path.join(t, 'index.ts')].find((c) => fs.existsSync(c)))
          .filter((c): c is string => c != null);
        graph.set(p, deps);
      }
    }
  };
  walk(dir);
  return graph;
}

/** The strongly connected components of more than one module (or a module importing itself). */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      for (let w = stack.pop()!; ; w = stack.pop()!) {
        on.delete(w);
        comp.push(w);
        if (w === v) break;
      }
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(comp.map((f) => path.relative(ROOT, f)).sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

test.each(['src', 'assembly'])('%s/ has no import cycle', (dir) => {
  const graph = importGraph(path.join(ROOT, dir));
  expect(graph.size).toBeGreaterThan(10);
  expect(cycles(graph)).toEqual([]);
});

test('the check finds a cycle when there is one', () => {
  const a = path.join(ROOT, 'a.ts');
  const b = path.join(ROOT, 'b.ts');
  expect(cycles(new Map([[a, [b]], [b, [a]]]))).toEqual([['a.ts', 'b.ts']]);
});
