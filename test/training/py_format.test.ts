/**
 * Python's str.format for ModelCheckpoint's templates: literal braces,
 * conversions, and what Python refuses. Numbers against Python's own
 * format() are in callbacks_keras.test.ts (test/fixtures/callbacks.json).
 */
import { fillTemplate, parseTemplate, pyRepr } from '../../src/training/py_format';

const fill = (template: string, values: Record<string, number>) => fillTemplate(parseTemplate('T', 'template', template, ['epoch']), values, ['epoch']);

test("rounds the exact binary value half to even, as Python (JS's toFixed differs)", () => {
  expect(fill('{x:.2f} {y:.2f} {z:.0f} {w:.0f}', { x: 0.125, y: 2.675, z: 2.5, w: 3.5 })).toBe('0.12 2.67 2 4');
  expect((0.125).toFixed(2)).toBe('0.13');
});

test("literal braces, !r and !s, and a missing key reported by name", () => {
  expect(fill('{{epoch}}-{epoch!s}-{loss!r}', { epoch: 3, loss: 0.5 })).toBe('{epoch}-3-0.5');
  expect(fill('{epoch}-{val_loss}', { epoch: 1 })).toEqual({ missing: ['val_loss'] });
});

test('what Python refuses is refused, naming the field', () => {
  expect(() => parseTemplate('T', 'template', 'a}b', [])).toThrow(/^T: template "a\}b" is not a valid template: a single '\}' at position 1 \(write '\}\}' for a literal one\)$/);
  expect(() => parseTemplate('T', 'template', '{x.y}', [])).toThrow(/the field \{x\.y\}: attribute and index access are not supported$/);
  expect(() => parseTemplate('T', 'template', '{x:{w}}', [])).toThrow(/nested fields such as "\{x:\{w\}" are not supported$/);
  expect(() => parseTemplate('T', 'template', '{x:.2q}', [])).toThrow(/\{x:\.2q\}: the format code 'q' is not supported \(supported: d e E f F g G %\)$/);
  expect(() => parseTemplate('T', 'template', '{x:2.2.2f}', [])).toThrow(/\{x:2\.2\.2f\}: invalid format spec "2\.2\.2f"$/);
});

test("pyRepr writes a float as Python's repr", () => {
  expect([0.1, 1, 1e-5, 1e16, 123456789012345680000, -0, NaN, -Infinity, 0.0001].map(pyRepr)).toEqual(
    ['0.1', '1.0', '1e-05', '1e+16', '1.2345678901234568e+20', '-0.0', 'nan', '-inf', '0.0001'],
  );
});
