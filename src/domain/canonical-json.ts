import { ValidationError } from './errors.ts';

// A lone surrogate: a high one not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored and hashed as it is, or null when it can. */
export function stringProblem(s: string): 'well-formed-unicode' | 'no-nul' | null {
  if (LONE_SURROGATE.test(s)) return 'well-formed-unicode';
  if (s.includes('\u0000')) return 'no-nul';
  return null;
}

const PROBLEM_TEXT = {
  'well-formed-unicode': 'is not well-formed Unicode (it holds a lone surrogate)',
  'no-nul': 'contains a NUL character (U+0000), which the database cannot store',
} as const;

/**
 * The first string (or object key) in a JSON-like value that is not well-formed Unicode or holds
 * NUL, with its path (`lines[2].reason`), or null. The API refuses such input: PostgreSQL would
 * store something else than what was hashed.
 */
export function findBadString(v: unknown, path = ''): { field: string; rule: 'well-formed-unicode' | 'no-nul'; message: string } | null {
  const here = (rule: 'well-formed-unicode' | 'no-nul', field: string) => ({ field: field || '(value)', rule, message: `${field || 'the value'} ${PROBLEM_TEXT[rule]}` });
  if (typeof v === 'string') {
    const p = stringProblem(v);
    return p ? here(p, path) : null;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const r = findBadString(v[i], `${path}[${i}]`);
      if (r) return r;
    }
    return null;
  }
  if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const at = path ? `${path}.${k}` : k;
      const pk = stringProblem(k);
      if (pk) return here(pk, at);
      const r = findBadString(x, at);
      if (r) return r;
    }
  }
  return null;
}

/**
 * RFC 8785 (JSON Canonicalization Scheme): object members sorted by their names' UTF-16 code
 * units, no whitespace, strings and numbers serialised as ECMAScript's JSON.stringify does
 * (RFC 8785 section 3.2.2). Input must be I-JSON: a string that is not well-formed Unicode, or a
 * number that is not finite, is refused (a ValidationError naming where it is). Members whose
 * value is undefined are left out, as JSON.stringify does; a value with toJSON (a Date) is
 * written as what toJSON returns. On top of RFC 8785, meterops' rule for what it writes: strings
 * are NFC-normalised (two spellings of one text give one hash), and NUL is refused, as the database
 * cannot hold it. With `exact`, strings are written as they are, not normalised: RFC 8785 alone,
 * for hashing stored text byte for byte (a verifier recomputing a leaf), so that no edit can hide
 * behind normalisation.
 */
export function canonicalJson(v: unknown, opts: { readonly exact?: boolean } = {}): string {
  return write(v, '', opts.exact === true);
}

function write(v: unknown, path: string, exact: boolean): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') return write((v as { toJSON(): unknown }).toJSON(), path, exact);
  const where = path || 'the value';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) throw new ValidationError(path || '(value)', 'finite-number', `${where} is not a finite number (RFC 8785 refuses NaN and Infinity)`);
      return JSON.stringify(v);
    case 'string':
      return JSON.stringify(checked(v, path, exact));
    case 'object': {
      if (Array.isArray(v)) return `[${v.map((x, i) => write(x, `${path}[${i}]`, exact)).join(',')}]`;
      const o = v as Record<string, unknown>;
      const at = (k: string) => (path ? `${path}.${k}` : k);
      const keys = Object.keys(o)
        .filter((k) => o[k] !== undefined)
        .map((k) => [checked(k, at(k), exact), k] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (let i = 1; i < keys.length; i++) {
        if (keys[i]![0] === keys[i - 1]![0])
          throw new ValidationError(path || '(value)', 'unique-member-names', `${where} has two members named ${JSON.stringify(keys[i]![0])} once normalised`);
      }
      return `{${keys.map(([name, k]) => `${JSON.stringify(name)}:${write(o[k], at(k), exact)}`).join(',')}}`;
    }
    default:
      throw new ValidationError(path || '(value)', 'json-value', `${where} is a ${typeof v}, which JSON cannot hold`);
  }
}

/** One string as canonical JSON stores it: well-formed, no NUL (else a ValidationError naming `field`), NFC. */
export function canonicalText(s: string, field: string): string {
  return checked(s, field, false);
}

function checked(s: string, path: string, exact: boolean): string {
  const p = stringProblem(s);
  if (p) throw new ValidationError(path || '(value)', p, `${path || 'the value'} ${PROBLEM_TEXT[p]}`);
  return exact ? s : s.normalize('NFC');
}
