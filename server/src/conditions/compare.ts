// How the simulator compares values in conditions. ConfigMgr does not document all of it; these
// are tsq's rules (see conditions.json "evaluationNotes" and docs/conditions.md): text equality
// ignores case; ordering is numeric when both sides are numbers, else ordinal ignoring case;
// `like` knows `%` and `_`; file versions compare part by part; timestamps as points in time.

import type { ComparisonOperator } from './ast';

const NUMBER = /^\s*[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*$/;

export function isNumeric(text: string): boolean {
  return NUMBER.test(text);
}

export function sameText(a: string, b: string): boolean {
  return a.toUpperCase() === b.toUpperCase();
}

/** Sign of a - b: as numbers when both are numbers, otherwise ordinal ignoring case. */
export function orderValues(a: string, b: string): { order: number; numeric: boolean } {
  if (isNumeric(a) && isNumeric(b)) return { order: Math.sign(Number(a) - Number(b)), numeric: true };
  const ua = a.toUpperCase();
  const ub = b.toUpperCase();
  return { order: ua < ub ? -1 : ua > ub ? 1 : 0, numeric: false };
}

/** Whether an ordering result satisfies the operator (equals/notEquals included, on order 0). */
export function satisfies(operator: ComparisonOperator, order: number): boolean {
  switch (operator) {
    case 'equals':
      return order === 0;
    case 'notEquals':
      return order !== 0;
    case 'greater':
      return order > 0;
    case 'greaterEqual':
      return order >= 0;
    case 'less':
      return order < 0;
    case 'lessEqual':
      return order <= 0;
  }
}

/** SQL-style wildcard match ignoring case: `%` any run of characters (also none), `_` exactly one. */
export function matchesLike(value: string, pattern: string): boolean {
  return matchesWildcards(value, pattern, '%', '_');
}

/**
 * Wildcard match ignoring case, with `many` for any run of characters (also none) and `one` for
 * exactly one. Iterative with a single backtrack point, so patterns full of `many` cannot blow up.
 */
export function matchesWildcards(value: string, pattern: string, many: string, one: string): boolean {
  const v = value.toUpperCase();
  const p = pattern.toUpperCase();
  let vi = 0;
  let pi = 0;
  let starP = -1;
  let starV = 0;
  while (vi < v.length) {
    if (pi < p.length && (p[pi] === one || (p[pi] !== many && p[pi] === v[vi]))) {
      vi++;
      pi++;
    } else if (pi < p.length && p[pi] === many) {
      starP = pi++;
      starV = vi;
    } else if (starP >= 0) {
      pi = starP + 1;
      vi = ++starV;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === many) pi++;
  return pi === p.length;
}

/** Sign of a - b for dotted versions (10.0.2 < 10.0.10; missing parts count as 0), else undefined. */
export function compareVersions(a: string, b: string): number | undefined {
  const pattern = /^\s*[0-9]+(\.[0-9]+)*\s*$/;
  if (!pattern.test(a) || !pattern.test(b)) return undefined;
  const pa = a.trim().split('.').map(Number);
  const pb = b.trim().split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/**
 * A timestamp as milliseconds since 1970: WMI's `yyyymmddHHMMSS.ffffff+UUU` (UUU = minutes east
 * of UTC) or anything Date.parse reads (ISO 8601). Undefined when unreadable.
 */
export function parseTimestamp(text: string): number | undefined {
  const dmtf = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,6}))?([-+])(\d{3})$/.exec(text.trim());
  if (dmtf) {
    const [, y, mo, d, h, mi, s, frac, sign, offset] = dmtf;
    const utc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0);
    return utc - (sign === '+' ? 1 : -1) * Number(offset) * 60_000;
  }
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Sign of a - b for timestamps; falls back to text order when either is unreadable. */
export function compareTimestamps(a: string, b: string): number {
  const ta = parseTimestamp(a);
  const tb = parseTimestamp(b);
  if (ta === undefined || tb === undefined) return orderValues(a, b).order;
  return Math.sign(ta - tb);
}
