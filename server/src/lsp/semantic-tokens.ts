// Semantic tokens for what a TextMate grammar cannot know: which words inside strings are
// variables (`%Name%` in command lines, names in conditions; built-in or read-only ones marked),
// where variables are set, which words of a condition are functions, keywords and operators, and
// which `action:` values are built-in steps.

import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver';
import { walk, type SequenceModel } from '../model/sequence';
import type { Span } from '../model/text';
import { findStep, findVariable } from '../catalog';
import { conditionFunctions, keywords, tokenize } from '../conditions';
import { nodeVariableReads, stepVariableWrites, variableWrites } from '../semantics/variable-flow';
import { scalarOffsets } from '../model/yaml/sourcemap';
import type { FileEntry, FileIndex } from './projects';

const TYPES = ['variable', 'function', 'operator', 'keyword', 'string'] as const;
const MODIFIERS = ['readonly', 'defaultLibrary', 'declaration'] as const;

export const SEMANTIC_LEGEND: SemanticTokensLegend = { tokenTypes: [...TYPES], tokenModifiers: [...MODIFIERS] };

type TokenType = (typeof TYPES)[number];
type Modifier = (typeof MODIFIERS)[number];

interface Token {
  start: number;
  end: number;
  type: TokenType;
  modifiers: Modifier[];
}

function variableModifiers(name: string, declaration: boolean): Modifier[] {
  const out: Modifier[] = [];
  if (name.startsWith('_')) out.push('readonly');
  if (findVariable(name)) out.push('defaultLibrary');
  if (declaration) out.push('declaration');
  return out;
}

export function semanticTokens(index: FileIndex, entry: FileEntry, range?: Span): SemanticTokens {
  const doc = entry.doc;
  const tokens: Token[] = [];
  const inRange = (s: Span) => !range || (s.end >= range.start && s.start <= range.end);
  if (doc.kind === 'sequence' && doc.model) {
    const model = doc.model as SequenceModel;
    for (const v of model.variables)
      if (inRange(v.nameSpan))
        tokens.push({ ...v.nameSpan, type: 'variable', modifiers: variableModifiers(v.name, true) });
    for (const node of walk(model.steps)) {
      if (!inRange(node.span)) continue;
      const readSpans = new Set<number>();
      for (const r of nodeVariableReads(doc, node)) {
        tokens.push({ start: r.start, end: r.end, type: 'variable', modifiers: variableModifiers(r.name, false) });
        readSpans.add(r.start);
      }
      if (node.when) {
        const offsets = scalarOffsets(doc.text, node.when.node);
        const at = (i: number) => offsets[Math.min(i, offsets.length - 1)];
        const words = tokenize(node.when.text);
        words.forEach((t, i) => {
          const span = { start: at(t.start), end: at(t.end - 1) + 1 };
          if (readSpans.has(span.start)) return;
          if (t.kind === 'op') tokens.push({ ...span, type: 'operator', modifiers: [] });
          else if (t.kind === 'word' && keywords.some((k) => k.word === t.text.toLowerCase()))
            tokens.push({ ...span, type: 'keyword', modifiers: [] });
          else if (
            t.kind === 'word' &&
            words[i + 1]?.kind === 'lparen' &&
            conditionFunctions.some((f) => f.name.toLowerCase() === t.text.toLowerCase())
          )
            tokens.push({ ...span, type: 'function', modifiers: ['defaultLibrary'] });
        });
      }
      if (node.kind !== 'step') continue;
      if (!node.shorthand && node.actionSpan)
        tokens.push({
          ...node.actionSpan,
          type: 'function',
          modifiers: findStep(node.action) ? ['defaultLibrary'] : [],
        });
      for (const w of stepVariableWrites(doc, node))
        tokens.push({ start: w.start, end: w.end, type: 'variable', modifiers: variableModifiers(w.name, true) });
    }
  } else {
    for (const w of variableWrites(doc))
      if (inRange(w))
        tokens.push({ start: w.start, end: w.end, type: 'variable', modifiers: variableModifiers(w.name, true) });
  }
  return { data: encode(index, entry, tokens, range) };
}

function encode(index: FileIndex, entry: FileEntry, tokens: Token[], range?: Span): number[] {
  const at = index.positions(entry);
  tokens.sort((a, b) => a.start - b.start || a.end - b.end);
  const data: number[] = [];
  let line = 0,
    char = 0,
    lastEnd = -1;
  for (const t of tokens) {
    if (t.end <= t.start || t.start < lastEnd) continue;
    if (range && (t.end < range.start || t.start > range.end)) continue;
    const s = at.positionAt(t.start),
      e = at.positionAt(t.end);
    if (s.line !== e.line) continue;
    const bits = t.modifiers.reduce((m, x) => m | (1 << MODIFIERS.indexOf(x)), 0);
    data.push(
      s.line - line,
      s.line === line ? s.character - char : s.character,
      e.character - s.character,
      TYPES.indexOf(t.type),
      bits,
    );
    line = s.line;
    char = s.character;
    lastEnd = t.end;
  }
  return data;
}
