/**
 * Python's `str.format` for the file names Keras users write, such as
 * `ckpt-{epoch:02d}-{val_loss:.2f}`, and Python's `repr` of a float (how
 * Keras's CSVLogger writes a number). The format spec is Python's
 *
 *   [[fill]align][sign][z][#][0][width][,|_][.precision][type]
 *
 * with the types `d` (integers: `epoch`, `batch`), `f` `F` `e` `E` `g` `G`
 * `%` and none. Numbers are rounded as Python rounds them: the exact binary
 * value, half to even (`format(0.125, '.2f')` is `0.12`, where JS's
 * `toFixed` gives `0.13`).
 */
import { RecurrentConfigError } from '../errors';

/** One replacement field `{name!conversion:spec}`. */
interface Field {
  name: string;
  spec: Spec;
}

/** A parsed format spec. */
interface Spec {
  fill: string;
  align: '' | '<' | '>' | '=' | '^';
  sign: '' | '+' | '-' | ' ';
  z: boolean;
  alt: boolean;
  zero: boolean;
  width: number;
  grouping: '' | ',' | '_';
  precision: number | null;
  type: '' | 'd' | 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%';
}

/** A parsed template: literal text and fields, in order. */
export type Template = Array<string | Field>;

const SPEC = /^(?:([\s\S])?([<>=^]))?([-+ ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([a-zA-Z%])?$/;
const TYPES = ['d', 'e', 'E', 'f', 'F', 'g', 'G', '%'];

/**
 * Parses `template` as Python's `str.format` would, checking every field's
 * spec; `ints` are the names formatted as integers (every other is a float).
 * Throws a RecurrentConfigError naming `who` and `arg`.
 */
export function parseTemplate(who: string, arg: string, template: string, ints: readonly string[]): Template {
  const bad = (why: string) => new RecurrentConfigError(`${who}: ${arg} ${JSON.stringify(template)} is not a valid template: ${why}`);
  const out: Template = [];
  let text = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '}') {
      if (template[i + 1] !== '}') throw bad(`a single '}' at position ${i} (write '}}' for a literal one)`);
      text += '}';
      i++;
    } else if (c !== '{') {
      text += c;
    } else if (template[i + 1] === '{') {
      text += '{';
      i++;
    } else {
      const end = template.indexOf('}', i);
      if (end < 0) throw bad(`the '{' at position ${i} is never closed`);
      const inner = template.slice(i + 1, end);
      if (inner.includes('{')) throw bad(`nested fields such as ${JSON.stringify(`{${inner}}`)} are not supported`);
      const m = /^([^!:]*)(?:!([rsa]))?(?::([\s\S]*))?$/.exec(inner);
      if (m == null) throw bad(`cannot read the field {${inner}}`);
      const name = m[1];
      if (name === '' || /^\d+$/.test(name)) throw bad(`the field {${inner}} has no name: name a log key, such as {epoch:02d} or {val_loss:.2f}`);
      if (/[.[\]]/.test(name)) throw bad(`the field {${inner}}: attribute and index access are not supported`);
      const spec = parseSpec(m[3] ?? '', (why) => bad(`{${inner}}: ${why}`));
      const isInt = ints.includes(name);
      if (spec.type === 'd' && !isInt) throw bad(`{${inner}}: the code 'd' is for integers and ${name} is a float (as in Python); use .0f`);
      if (isInt && spec.precision != null && (spec.type === '' || spec.type === 'd')) {
        throw bad(`{${inner}}: ${name} is an integer, and an integer takes no precision (as in Python)`);
      }
      if (text) out.push(text);
      text = '';
      out.push({ name, spec });
      i = end;
    }
  }
  if (text) out.push(text);
  return out;
}

function parseSpec(s: string, bad: (why: string) => Error): Spec {
  const m = SPEC.exec(s);
  if (m == null) throw bad(`invalid format spec ${JSON.stringify(s)}`);
  const type = m[10] ?? '';
  if (type !== '' && !TYPES.includes(type)) throw bad(`the format code '${type}' is not supported (supported: ${TYPES.join(' ')})`);
  return {
    fill: m[1] ?? '', align: (m[2] ?? '') as Spec['align'], sign: (m[3] ?? '') as Spec['sign'], z: m[4] != null, alt: m[5] != null,
    zero: m[6] != null, width: m[7] == null ? 0 : Number(m[7]), grouping: (m[8] ?? '') as Spec['grouping'],
    precision: m[9] == null ? null : Number(m[9]), type: type as Spec['type'],
  };
}

/** The names a template's fields read. */
export const fieldNames = (t: Template): string[] => t.flatMap((p) => (typeof p === 'string' ? [] : [p.name]));

/**
 * The template filled in from `values`; `ints` are formatted as integers.
 * Returns the names it lacks instead, if any.
 */
export function fillTemplate(t: Template, values: Record<string, number>, ints: readonly string[]): string | { missing: string[] } {
  const missing = fieldNames(t).filter((n) => typeof values[n] !== 'number');
  if (missing.length > 0) return { missing };
  return t.map((p) => (typeof p === 'string' ? p : formatNumber(values[p.name], ints.includes(p.name), p.spec))).join('');
}

/** The exact decimal value of a finite x ≥ 0: D · 10^(−k). */
function exact(x: number): { D: bigint; k: number } {
  if (x === 0) return { D: 0n, k: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const e = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const m = e === 0 ? frac : frac | (1n << 52n); //  x = m · 2^(e − 1075) (subnormal: 2^−1074)
  const p = (e === 0 ? 1 : e) - 1075;
  return p >= 0 ? { D: m << BigInt(p), k: 0 } : { D: m * 5n ** BigInt(-p), k: -p };
}

/** D / 10^s rounded half to even (s ≥ 0), or D · 10^(−s) (s < 0). */
function shift(D: bigint, s: number): bigint {
  if (s <= 0) return D * 10n ** BigInt(-s);
  const d = 10n ** BigInt(s);
  const q = D / d;
  const r2 = 2n * (D % d);
  return r2 > d || (r2 === d && q % 2n === 1n) ? q + 1n : q;
}

/** x ≥ 0 with p decimals (Python's 'f'). */
function fixed(x: number, p: number, alt: boolean): string {
  const { D, k } = exact(x);
  const s = shift(D, k - p).toString().padStart(p + 1, '0');
  const int = s.slice(0, s.length - p);
  return p > 0 ? `${int}.${s.slice(-p)}` : alt ? `${int}.` : int;
}

/** x ≥ 0 rounded to p + 1 significant digits: its digits and decimal exponent. */
function significant(x: number, p: number): { digits: string; E: number } {
  if (x === 0) return { digits: '0'.repeat(p + 1), E: 0 };
  const { D, k } = exact(x);
  let E = D.toString().length - 1 - k;
  let N = shift(D, k + E - p);
  if (N.toString().length > p + 1) {
    N /= 10n; // rounding carried into a new digit (9.99 → 10.0): N ends in 0
    E++;
  }
  return { digits: N.toString(), E };
}

const expPart = (E: number) => `e${E < 0 ? '-' : '+'}${String(Math.abs(E)).padStart(2, '0')}`;

/** x ≥ 0 in scientific notation with p decimals (Python's 'e'). */
function scientific(x: number, p: number, alt: boolean): string {
  const { digits, E } = significant(x, p);
  return `${digits[0]}${p > 0 || alt ? '.' : ''}${digits.slice(1)}${expPart(E)}`;
}

/** x ≥ 0 in Python's 'g' with precision P; `dot0`: a fixed-point result keeps one decimal (Python's format with no type). */
function general(x: number, P: number, alt: boolean, dot0: boolean): string {
  const p = Math.max(P, 1);
  const { E } = significant(x, p - 1);
  // Python's format with no type writes 1e+02, not 100, for format(100.0, '.3'): fixed only below 10^(p−1).
  let s = -4 <= E && E < (dot0 ? p - 1 : p) ? fixed(x, p - 1 - E, alt) : scientific(x, p - 1, alt);
  if (!alt) s = s.replace(/(\.\d*?)0+(?=e|$)/, '$1').replace(/\.(?=e|$)/, '');
  if (dot0 && !/[.e]/.test(s)) s += '.0';
  return s;
}

/** Python's `repr` of x ≥ 0 (finite): the shortest digits that read back as x; scientific below 1e-4 and from 1e16. */
function shortest(x: number): string {
  if (x === 0) return '0.0';
  const [mant, exp] = x.toExponential().split('e');
  const digits = mant.replace('.', '');
  const E = Number(exp);
  if (E < -4 || E >= 16) return `${digits[0]}${digits.length > 1 ? '.' + digits.slice(1) : ''}${expPart(E)}`;
  if (E < 0) return `0.${'0'.repeat(-E - 1)}${digits}`;
  const int = digits.slice(0, E + 1).padEnd(E + 1, '0');
  const frac = digits.slice(E + 1);
  return `${int}.${frac || '0'}`;
}

/** Python's `repr(x)` (and `str(x)`) of a float: `0.5`, `1.0`, `1e-05`, `1e+16`, `nan`, `inf`, `-0.0`. */
export function pyRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  return (neg ? '-' : '') + (a === Infinity ? 'inf' : shortest(a));
}

/** Digit groups of 3 in the integer part of a formatted number. */
function group(body: string, sep: string): string {
  const m = /^(\d+)([\s\S]*)$/.exec(body);
  if (m == null) return body;
  return m[1].replace(/\B(?=(\d{3})+$)/g, sep) + m[2];
}

/** Formats x as Python's `format(x, spec)`; `isInt`: x is an int (epoch, batch), else a float. */
export function formatNumber(x: number, isInt: boolean, spec: Spec): string {
  const { type } = spec;
  const float = !isInt || (type !== '' && type !== 'd');
  let neg = x < 0 || (float && Object.is(x, -0));
  const a = Math.abs(x);
  let body: string;
  if (!float) body = String(a);
  else if (Number.isNaN(x) || a === Infinity) body = (Number.isNaN(x) ? 'nan' : 'inf') + (type === '%' ? '%' : '');
  else if (type === 'f' || type === 'F') body = fixed(a, spec.precision ?? 6, spec.alt);
  else if (type === 'e' || type === 'E') body = scientific(a, spec.precision ?? 6, spec.alt);
  else if (type === 'g' || type === 'G') body = general(a, spec.precision ?? 6, spec.alt, false);
  else if (type === '%') body = (a * 100 === Infinity ? 'inf' : fixed(a * 100, spec.precision ?? 6, spec.alt)) + '%';
  else body = spec.precision == null ? shortest(a) : general(a, spec.precision, spec.alt, true);
  if (type === 'F' || type === 'E' || type === 'G') body = body.toUpperCase();
  if (spec.z && neg && /^[0.]+$/.test(body.replace(/e[-+]\d+$/i, '').replace(/%$/, ''))) neg = false; // 'z': a −0.00 is written 0.00
  const sign = neg ? '-' : spec.sign === '+' ? '+' : spec.sign === ' ' ? ' ' : '';
  const fill = spec.fill || (spec.zero && !spec.align ? '0' : ' ');
  const align = spec.align || (spec.zero ? '=' : '>');
  if (spec.grouping) {
    const lead = /^\d+/.exec(body)?.[0];
    if (lead != null && fill === '0' && align === '=') {
      // Python groups the zero padding too: format(0.5, '012,.2f') is 0,000,000.50.
      const want = spec.width - sign.length - (body.length - lead.length);
      let digits = lead;
      while (group(digits, spec.grouping).length < want) digits = '0' + digits;
      body = digits + body.slice(lead.length);
    }
    body = group(body, spec.grouping);
  }
  const pad = Math.max(0, spec.width - sign.length - body.length);
  if (align === '=') return sign + fill.repeat(pad) + body;
  if (align === '<') return sign + body + fill.repeat(pad);
  if (align === '^') return fill.repeat(Math.floor(pad / 2)) + sign + body + fill.repeat(pad - Math.floor(pad / 2));
  return fill.repeat(pad) + sign + body;
}
