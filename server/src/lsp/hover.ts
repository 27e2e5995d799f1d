// Hover: what a step does, where it runs and what it takes; what an option means; a variable's
// meaning, whether it is read-only and who sets it (the engine, steps, files of the workspace);
// the site content a reference names (name, type, architecture, distribution); the child
// sequence a step runs; the words of conditions; and every key's schema description.

import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { SequenceModel } from '../model/sequence';
import { relativeFrom } from '../util/paths';
import { entryMarkdown, projectVariables, propertyMarkdown, stepMarkdown, variableMarkdown } from './knowledge';
import { targetAt, type Target } from './targets';
import type { ArgumentSpot } from '../conditions';
import type { FileEntry, FileIndex } from './projects';
import { referenceKindInfo } from '../catalog';
import { seqNodeAt } from './context';
import { mdtDependency, usesMdt } from '../migrate/detect';
import { replacement } from '../migrate/describe';
import { findMdtVariable, knownFromWords, withoutMdt } from '../catalog/mdt-variables';
import { codeSpanMarkdown as code, escapeMarkdown as md } from '../report/markdown';

export function hover(index: FileIndex, entry: FileEntry, offset: number): Hover | null {
  const target = targetAt(entry, offset);
  if (!target) return null;
  const value = joined(markdownOf(entry, target), mdtMarkdown(entry, target, offset));
  if (!value) return null;
  const at = index.positions(entry);
  return {
    contents: { kind: MarkupKind.Markdown, value },
    range: { start: at.positionAt(target.start), end: at.positionAt(target.end) },
  };
}

function markdownOf(entry: FileEntry, t: Target): string | undefined {
  const catalog = entry.project.ws.catalog;
  switch (t.kind) {
    case 'variable': {
      const v = projectVariables(entry.project).get(t.name.toLowerCase());
      return v
        ? variableMarkdown(entry, v)
        : `**${md(t.name)}** — task sequence variable\n\nNothing in this workspace sets it.`;
    }
    case 'reference': {
      if (/%[^%\s]+%/.test(t.id))
        return `${referenceKindInfo(t.ref).label} chosen at run time from a variable: ${code(t.id)}.`;
      const e = catalog.lookup(t.ref, t.id);
      if (e) return entryMarkdown(e, catalog.docOf(e)?.id, entry);
      return catalog.present
        ? `**${md(t.id)}** — no ${referenceKindInfo(t.ref).label} with this ID is in the workspace's catalogs.`
        : `**${md(t.id)}** — ${referenceKindInfo(t.ref).label} (not checked: the workspace has no catalog file).`;
    }
    case 'catalog-entry':
      return entryMarkdown(t.entry, entry.id, entry);
    case 'collection':
      return collectionMarkdown(t.collection);
    case 'collection-ref': {
      const c = catalog.collection(t.id);
      return c ? collectionMarkdown(c) : `**${md(t.id)}** — no collection with this ID is in the workspace's catalogs.`;
    }
    case 'child': {
      const doc = t.target.doc;
      if (!doc)
        return `**${md(t.ref)}** — ${t.target.byPackageId ? 'no task sequence with this package ID is in the workspace' : 'this file does not exist'}.`;
      const model = doc.model as SequenceModel | undefined;
      const steps = model ? countSteps(model) : 0;
      return [
        `**${md(model?.name || relativeFrom(entry.id, doc.id))}** — child task sequence`,
        '',
        `File: ${md(relativeFrom(entry.id, doc.id))}`,
        model?.description ? `\n${md(model.description)}` : '',
        `\n${steps} step${steps === 1 ? '' : 's'}.`,
      ].join('\n');
    }
    case 'action':
      return t.def ? stepMarkdown(t.def) : `${code(t.name)} is not a built-in step.`;
    case 'option':
      return propertyMarkdown(t.def, t.prop);
    case 'option-value': {
      const v = t.prop.enum?.find((e) => e.value === t.value);
      return v
        ? `\`${v.value}\`${v.summary ? ` — ${v.summary}` : ''}\n\n---\n\n${propertyMarkdown(t.def, t.prop)}`
        : propertyMarkdown(t.def, t.prop);
    }
    case 'step-id':
      return `**${md(t.id)}** — id of ${t.node.kind === 'group' ? 'group' : 'step'} “${md(t.node.name)}”. Machine outcomes, breakpoints and the debugger address it by this id.`;
    case 'outcome':
      return `Outcome for the step whose id (or name) is ${code(t.name)}.`;
    case 'condition-word':
      return t.signature ? `\`${t.signature}\`\n\n${t.summary}` : `\`${t.word}\` — ${t.summary}`;
    case 'condition-argument':
      return conditionArgumentMarkdown(t.spot);
    case 'key':
      return t.description ? `${code(t.name)} — ${t.description}` : undefined;
  }
}

/** A collection of the catalog: its name (or ID) and its ID, as the admin wrote them. */
function collectionMarkdown(c: { id: string; name?: string }): string {
  return `**${md(c.name ?? c.id)}** — collection ${code(c.id)}`;
}

function joined(a: string | undefined, b: string | undefined): string | undefined {
  return a && b ? `${a}\n\n---\n\n${b}` : (a ?? b);
}

/** What MDT did with a step that depends on it, or where an MDT variable comes from, in a sequence that uses MDT. */
function mdtMarkdown(entry: FileEntry, t: Target, offset: number): string | undefined {
  if (entry.doc.kind !== 'sequence') return undefined;
  if (t.kind === 'variable') {
    const v = usesMdt(entry.doc) ? findMdtVariable(t.name) : undefined;
    if (!v) return undefined;
    return [
      `**${v.name}** — MDT variable: ${v.summary}`,
      '',
      `Set by ${v.setBy}.${v.docs ? ` [Microsoft Learn](${v.docs})` : ''}`,
      '',
      `In lint: ${knownFromWords(v)}`,
      '',
      `Without MDT: ${withoutMdt(v)}`,
    ].join('\n');
  }
  if (t.kind !== 'action' && t.kind !== 'option' && t.kind !== 'option-value') return undefined;
  const step = seqNodeAt(entry.doc, offset);
  const d = step?.kind === 'step' ? mdtDependency(entry.doc, step) : undefined;
  if (!d) return undefined;
  const e = d.entry;
  return [
    `**${e.mdt}** (MDT) — it ${e.did}.`,
    '',
    replacement(d),
    e.provide && e.convert === 'keep' ? `\nProvide instead: ${e.provide}.` : '',
    '',
    e.docs.map((u) => `[${u.replace(/^https:\/\/learn\.microsoft\.com\//, '')}](${u})`).join(' · '),
  ].join('\n');
}

/** One argument of a condition function: its meaning, then the function's signature. */
function conditionArgumentMarkdown(spot: ArgumentSpot): string {
  const { fn, option, help } = spot;
  const head = option
    ? `**${option.name}** — option of \`${fn.name}\`${option.form === 'compare' ? ' (compared: `' + option.name + ' >= "…"`)' : ''}: ${option.summary}`
    : `**${help!.name}** — argument ${spot.index + 1} of \`${fn.name}\`: ${help!.summary}`;
  return `${head}\n\n\`${fn.signature}\`\n\n${fn.summary} (ConfigMgr: ${fn.configMgr})`;
}

function countSteps(model: SequenceModel): number {
  let n = 0;
  const visit = (list: SequenceModel['steps']) => {
    for (const x of list) {
      if (x.kind === 'group') visit(x.steps);
      else n++;
    }
  };
  visit(model.steps);
  return n;
}
