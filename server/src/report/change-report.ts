// The change report of `tsq diff A B --format md`, for a pull request: which groups and steps were
// added, removed, moved or renamed, and what changed in the others (options, conditions in words,
// continue on error, disabled), in sentences an admin reads. It works on the `<sequence>` XML both
// sides become (interop/diff/sources.ts), so it reads XML, export .zips and *.tsq.yaml alike; the
// exact comparison stays in interop/diff/diff.ts, which decides whether A and B differ at all.

import { stepByXmlType } from '../catalog';
import { fromConfigMgr } from '../conditions';
import { conditionFromXml } from '../interop/condition-xml';
import { attr, childElements, textOf, type XmlElement } from '../interop/xml/tree';
import type { Difference } from '../interop/diff/diff';
import { conditionInWords } from './condition-words';
import type { Block, ReportDocument } from './document';

interface FlatNode {
  element: XmlElement;
  name: string;
  /** `group`, or the step's display name. */
  type: string;
  /** Group names above it. */
  groups: string;
  /** Order in the whole sequence. */
  order: number;
  condition: string;
  settings: Map<string, string>;
  action: string;
  flags: { continueOnError: boolean; disabled: boolean; description: string; timeout: string };
  /** Everything but the name, for telling a rename from a remove and an add. */
  body: string;
}

const SECRET_HIDDEN = '(hidden)';
const isNode = (e: XmlElement) => e.name === 'group' || e.name === 'step' || e.name === 'subtasksequence';
const yes = (v: string | undefined) => (v ?? '').trim().toLowerCase() === 'true';

function conditionWords(e: XmlElement): string {
  const cond = childElements(e).find((c) => c.name === 'condition');
  const cm = cond ? conditionFromXml(cond) : undefined;
  if (!cm || cm.children.length === 0) return '';
  const ast = fromConfigMgr(cm).ast;
  return ast ? conditionInWords(ast) : 'a condition nested too deep to read';
}

/** A step's `timeout` attribute (seconds) as the DSL writes it (`90s`, `15m`, `2h`); '' for none. */
function timeoutWords(seconds: string | undefined): string {
  const text = (seconds ?? '').trim();
  const n = Number(text);
  if (!text || !Number.isInteger(n) || n <= 0) return text;
  return n % 3600 === 0 ? `${n / 3600}h` : n % 60 === 0 ? `${n / 60}m` : `${n}s`;
}

function flatten(root: XmlElement): FlatNode[] {
  const out: FlatNode[] = [];
  const visit = (parent: XmlElement, groups: string[]) => {
    for (const e of childElements(parent).filter(isNode)) {
      const type =
        e.name === 'group' ? 'Group' : (stepByXmlType(attr(e, 'type') ?? '')?.displayName ?? attr(e, 'type') ?? e.name);
      const def = e.name === 'group' ? undefined : stepByXmlType(attr(e, 'type') ?? '');
      const settings = new Map<string, string>();
      const list = childElements(e).find((c) => c.name === 'defaultVarList');
      for (const v of list ? childElements(list) : []) {
        const key = attr(v, 'property') ?? attr(v, 'name') ?? v.name;
        const prop = def?.properties.find((p) => p.xmlProperty === attr(v, 'property'));
        settings.set(prop?.name ?? key, prop?.secret ? SECRET_HIDDEN : textOf(v).trim());
      }
      const actionEl = childElements(e).find((c) => c.name === 'action');
      const node: FlatNode = {
        element: e,
        name: attr(e, 'name') ?? '',
        type,
        groups: groups.join(' / '),
        order: out.length,
        condition: conditionWords(e),
        settings,
        action: actionEl ? textOf(actionEl).trim().replace(/\s+/g, ' ') : '',
        flags: {
          continueOnError: yes(attr(e, 'continueOnError')),
          disabled: yes(attr(e, 'disable')),
          description: attr(e, 'description') ?? '',
          timeout: timeoutWords(attr(e, 'timeout')),
        },
        body: '',
      };
      node.body = JSON.stringify([type, node.condition, [...settings].sort(), node.action, node.flags]);
      out.push(node);
      if (e.name === 'group') visit(e, [...groups, node.name]);
    }
  };
  visit(root, []);
  return out;
}

/** Indexes of the longest increasing run of `values` (the pairs that kept their order). */
function longestIncreasing(values: number[]): Set<number> {
  const tails: number[] = [];
  const prev = new Array<number>(values.length).fill(-1);
  for (let i = 0; i < values.length; i++) {
    let lo = 0,
      hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]] < values[i]) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1];
    tails[lo] = i;
  }
  const keep = new Set<number>();
  for (let i = tails.length ? tails[tails.length - 1] : -1; i >= 0; i = prev[i]) keep.add(i);
  return keep;
}

const where = (n: FlatNode) => (n.groups ? ` in ${n.groups}` : ' at the top');
const what = (n: FlatNode) => `${n.type === 'Group' ? 'group' : 'step'} “${n.name}”`;

function changesOf(a: FlatNode, b: FlatNode): string[] {
  const out: string[] = [];
  if (a.type !== b.type) out.push(`type ${a.type} → ${b.type}`);
  if (a.condition !== b.condition) {
    out.push(
      !a.condition
        ? `now runs only when ${b.condition}`
        : !b.condition
          ? `no longer has a condition (was: ${a.condition})`
          : `runs when ${b.condition} (was: ${a.condition})`,
    );
  }
  if (a.flags.disabled !== b.flags.disabled) out.push(b.flags.disabled ? 'disabled' : 'enabled again');
  if (a.flags.continueOnError !== b.flags.continueOnError)
    out.push(b.flags.continueOnError ? 'now continues on error' : 'no longer continues on error');
  if (a.flags.timeout !== b.flags.timeout)
    out.push(
      !a.flags.timeout
        ? `now times out after ${b.flags.timeout}`
        : !b.flags.timeout
          ? `no longer times out (was after ${a.flags.timeout})`
          : `times out after ${b.flags.timeout} (was ${a.flags.timeout})`,
    );
  if (a.flags.description !== b.flags.description)
    out.push(`description “${a.flags.description}” → “${b.flags.description}”`);
  for (const k of new Set([...a.settings.keys(), ...b.settings.keys()])) {
    const x = a.settings.get(k),
      y = b.settings.get(k);
    if (x === y) continue;
    out.push(
      x === undefined ? `${k} set to “${y}”` : y === undefined ? `${k} removed (was “${x}”)` : `${k}: “${x}” → “${y}”`,
    );
  }
  return out;
}

/** Close enough to be the same node renamed: at most one other change, and something in common. */
function sharesSomething(a: FlatNode, b: FlatNode): boolean {
  if (changesOf(a, b).length > 1) return false;
  if (a.condition && a.condition === b.condition) return true;
  for (const [k, v] of a.settings) if (v && b.settings.get(k) === v) return true;
  return a.type === 'Group';
}

export interface ChangeReportOptions {
  nameA: string;
  nameB: string;
  /** The exact differences (interop/diff/diff.ts), listed at the end for what the summary does not word. */
  differences: readonly Difference[];
}

export function changeReportDocument(a: XmlElement, b: XmlElement, options: ChangeReportOptions): ReportDocument {
  const title = `Changes from ${options.nameA} to ${options.nameB}`;
  const blocks: Block[] = [];
  if (options.differences.length === 0) {
    blocks.push({ kind: 'paragraph', text: 'No changes: the sequences mean the same.' });
    return { title, blocks };
  }
  const fa = flatten(a),
    fb = flatten(b);
  const pairOf = new Map<FlatNode, FlatNode>();
  const takenB = new Set<FlatNode>();
  // Same kind and name: the same node (first with first when names repeat).
  const byName = new Map<string, FlatNode[]>();
  for (const n of fb) {
    const k = `${n.type === 'Group'}\u0000${n.name}`;
    (byName.get(k) ?? byName.set(k, []).get(k)!).push(n);
  }
  for (const n of fa) {
    const list = byName.get(`${n.type === 'Group'}\u0000${n.name}`);
    const m = list?.shift();
    if (m) {
      pairOf.set(n, m);
      takenB.add(m);
    }
  }
  // The same body under another name: renamed.
  const byBody = new Map<string, FlatNode[]>();
  for (const n of fb) if (!takenB.has(n)) (byBody.get(n.body) ?? byBody.set(n.body, []).get(n.body)!).push(n);
  const renamed = new Set<FlatNode>();
  for (const n of fa) {
    if (pairOf.has(n)) continue;
    const m = byBody.get(n.body)?.shift();
    if (m) {
      pairOf.set(n, m);
      takenB.add(m);
      renamed.add(n);
    }
  }
  // The same type in the same group with one change at most and something in common: renamed
  // and changed.
  const leftB = fb.filter((n) => !takenB.has(n));
  for (const n of fa) {
    if (pairOf.has(n)) continue;
    const m = leftB.find((c) => !takenB.has(c) && c.type === n.type && c.groups === n.groups && sharesSomething(n, c));
    if (m) {
      pairOf.set(n, m);
      takenB.add(m);
      renamed.add(n);
    }
  }
  // Moved: another group, or out of order with the nodes around it.
  const paired = fa.filter((n) => pairOf.has(n));
  const inOrder = longestIncreasing(paired.map((n) => pairOf.get(n)!.order));
  const lines: { added: string[]; removed: string[]; moved: string[]; renamed: string[]; changed: string[] } = {
    added: [],
    removed: [],
    moved: [],
    renamed: [],
    changed: [],
  };
  paired.forEach((n, i) => {
    const m = pairOf.get(n)!;
    if (renamed.has(n)) lines.renamed.push(`${what(n)}${where(n)} is now called “${m.name}”`);
    if (n.groups !== m.groups)
      lines.moved.push(
        `${what(m)} moved from${where(n).replace(/^ in| at/, '')} to${where(m).replace(/^ in| at/, '')}`,
      );
    else if (!inOrder.has(i))
      lines.moved.push(`${what(m)}${where(m)} moved to position ${m.order + 1} (was ${n.order + 1})`);
    const changes = changesOf(n, m);
    if (changes.length) lines.changed.push(`${what(m)}${where(m)}: ${changes.join('; ')}`);
  });
  for (const n of fa) if (!pairOf.has(n)) lines.removed.push(`${what(n)}${where(n)} (${n.type})`);
  for (const n of fb)
    if (!takenB.has(n))
      lines.added.push(`${what(n)}${where(n)} (${n.type}${n.condition ? `, runs when ${n.condition}` : ''})`);
  const section = (heading: string, items: string[]) => {
    if (!items.length) return;
    blocks.push({ kind: 'heading', level: 2, text: `${heading} (${items.length})` });
    blocks.push({ kind: 'list', items });
  };
  section('Added', lines.added);
  section('Removed', lines.removed);
  section('Renamed', lines.renamed);
  section('Moved', lines.moved);
  section('Changed', lines.changed);
  blocks.push({ kind: 'heading', level: 2, text: `Every difference (${options.differences.length})` });
  blocks.push({
    kind: 'table',
    columns: ['Where', 'What'],
    rows: options.differences.map((d) => [d.path || '(sequence)', d.message]),
  });
  return { title, blocks };
}
