/**
 * The Python that docs/interop.md shows in full is the file under
 * docs/python/ that the reference scripts run (make_torch_export.py and
 * make_demo_export.py import it): the page and the tested code cannot drift.
 */
import * as fs from 'fs';
import * as path from 'path';

const DOCS = path.join(__dirname, '..', '..', 'docs');

test('docs/interop.md shows docs/python/sentiment_torch.py as it is', () => {
  const page = fs.readFileSync(path.join(DOCS, 'interop.md'), 'utf8');
  const file = fs.readFileSync(path.join(DOCS, 'python', 'sentiment_torch.py'), 'utf8');
  const blocks = [...page.matchAll(/```python\n([\s\S]*?)```/g)].map((m) => m[1]);
  expect(blocks).toContain(file);
});
