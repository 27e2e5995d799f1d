// Import of one `<sequence>` document into the DSL: groups and steps with the catalog's names,
// settings under `with:`, conditions as `when:`, `<globalVarList>` as `variables:`. Each step is
// checked against what export would write for it; whatever would come out differently (another
// spelling, a variable ConfigMgr's export adds, a command line the template does not give, an
// unknown step type) is recorded in the step's `xml:` key, so export gives the original back.

import { stepByXmlType } from '../../catalog';
import type { StepDefinition, StepProperty } from '../../catalog/types';
import { propertyForXmlVariableElement, type XmlPropertyMatch } from '../../catalog/steps';
import { fromConfigMgr, parseCondition, printCondition } from '../../conditions';
import { conditionFromXml } from '../condition-xml';
import { InteropError } from '../errors';
import { sameCommandLine } from '../steps/action-text';
import { readActionArguments } from '../steps/reverse-template';
import { ReferenceCollector, type ReferenceEntry } from '../steps/references';
import { actionFingerprint, derivedValue, indexedName, variableNameOf, type FinalVariable } from '../steps/settings';
import type { ChildInfo, NodeXml, RawVariable, StepContext, StepData } from '../steps/stepdata';
import { sameXmlValue, xmlToDsl } from '../steps/values';
import { stepSettings, type StepSettings } from '../steps/write-step';
import { attr, childElements, textOf, type XmlElement, type XmlNode } from '../xml/tree';
import { writeXml } from '../xml/write';
import type { ReadXmlOptions } from '../xml/read';
import { Report } from '../report';
import { CONFIGMGR_SEQUENCE_VERSION, globalVariableProperty } from '../export/sequence-xml';

export interface SequenceMeta {
  /** Display name (object.xml Name); falls back to the root's MDT `name`, then to `fallbackName`. */
  name?: string;
  fallbackName: string;
  description?: string;
  packageId?: string;
  bootImage?: string;
  /** Extra keys for `configMgr:` (the kept object.xml path). */
  configMgr?: Record<string, unknown>;
}

export interface ImportContext {
  /** File name for messages. */
  where: string;
  report: Report;
  /** Child sequences of the same import, to name them by path and derive their references. */
  steps: StepContext;
  /** The path to write for a Run Task Sequence package ID, when that child is part of the import. */
  childPath(packageId: string): string | undefined;
  /** The XML tree is not needed afterwards: imported groups and steps may be released from it. */
  consume?: boolean;
}

const CONSUMED: XmlNode = { kind: 'text', text: '' };

export interface ImportedSequence {
  /** The file's content, ready for the YAML emitter. */
  doc: Record<string, unknown>;
  /** Objects the emitter writes in block style / with a blank line after. */
  block: WeakSet<object>;
  spaceAfter: WeakSet<object>;
  /** References the steps make (the rebuilt referenceList), for the catalog file and parents. */
  references: ReferenceEntry[];
  /** Package IDs of the child sequences it runs. */
  children: string[];
  info: ChildInfo;
  /** Steps and settings kept verbatim (counts for the summary). */
  kept: { steps: number; variables: number; conditions: number; actions: number };
}

const STEP_ATTRS = new Set(['type', 'name', 'description', 'disable', 'continueOnError', 'timeout', 'runIn', 'successCodeList', 'retryCount', 'runFromNet']);
const GROUP_ATTRS = new Set(['name', 'description', 'disable', 'continueOnError']);

interface OriginalVariable extends RawVariable {
  /** Raw XML when the element has parts a plain variable cannot hold. */
  raw?: string;
}

function parseBool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  const t = v.trim().toLowerCase();
  return t === 'true' ? true : t === 'false' ? false : undefined;
}

function compactXml(e: XmlElement): string {
  return writeXml(e, { indent: '' });
}

function strayText(e: XmlElement): boolean {
  return e.children.some((c) => c.kind === 'text' && c.text.trim() !== '');
}

/** DSL spelling of a timeout in seconds: minutes when whole, else seconds. */
export function timeoutText(seconds: number): number | string {
  return seconds % 60 === 0 ? seconds / 60 : `${seconds}s`;
}

/** Where a group or step is (`file › group › step`), for notes; made into text only when a note is made. */
type Where = () => string;

function whereOf(file: string, path: readonly string[], name?: string): Where {
  let text: string | undefined;
  return () => (text ??= `${file} › ${(name === undefined ? path : [...path, name]).join(' › ')}`);
}

/** Whether an element has attributes (without listing them). */
function hasAttributes(e: XmlElement): boolean {
  for (const _ in e.attrs) return true;
  return false;
}

function hasElementChildren(e: XmlElement): boolean {
  for (const c of e.children) if (c.kind === 'element') return true;
  return false;
}

function setAttr(xml: NodeXml, name: string, value: string | null): void {
  (xml.attributes ??= {})[name] = value;
}

/** What took the place of a group or step mapped while the XML was read (see `closed`). */
const MAPPED = '#mapped';

interface Mapped {
  value: Record<string, unknown>;
  /** The notes its import made, given to the report where the whole-tree walk would make them. */
  notes: Report;
}

class SequenceImporter {
  readonly block = new WeakSet<object>();
  readonly spaceAfter = new WeakSet<object>();
  readonly refs = new ReferenceCollector();
  readonly children: string[] = [];
  readonly kept = { steps: 0, variables: 0, conditions: 0, actions: 0 };
  /** Where notes go: the import's report, or a mapped part's own notes while it is mapped early. */
  private sink: Report;
  private readonly mapped = new Map<XmlNode, Mapped>();

  constructor(private readonly ctx: ImportContext) {
    this.sink = ctx.report;
  }

  private note(where: Where, message: string): void {
    this.sink.info(where(), message);
  }

  private warn(where: Where, message: string): void {
    this.sink.warn(where(), message);
  }

  /**
   * The XML reader's `closed` hook: maps a group or step as soon as it is complete, when the
   * whole-tree walk of `importSequence` would map it too (its parents are groups up to a
   * `<sequence>` root), and leaves a placeholder so the reader can drop its elements. The walk
   * then takes the result, and its notes, in document order as if it had mapped the part itself.
   * A part whose mapping fails is left as it is: the walk maps it again and reports the failure
   * exactly where it always did.
   */
  isPlaceholder(node: XmlNode): boolean {
    return this.mapped.has(node);
  }

  readonly closed = (e: XmlElement, ancestors: readonly XmlElement[]): XmlNode | undefined => {
    if (e.name !== 'group' && e.name !== 'step' && e.name !== 'subtasksequence') return undefined;
    if (ancestors.length === 0 || ancestors[0].name !== 'sequence') return undefined;
    const path: string[] = [];
    for (let i = 1; i < ancestors.length; i++) {
      if (ancestors[i].name !== 'group') return undefined;
      path.push(attr(ancestors[i], 'name') ?? '');
    }
    const outer = this.sink;
    const notes = (this.sink = new Report());
    try {
      const value = e.name === 'group' ? this.group(e, path) : this.step(e, path);
      const placeholder: XmlElement = { kind: 'element', name: MAPPED, attrs: {}, children: [] };
      this.mapped.set(placeholder, { value, notes });
      return placeholder;
    } catch {
      return undefined;
    } finally {
      this.sink = outer;
    }
  };

  condition(e: XmlElement, where: Where, xml: NodeXml): string | undefined {
    const cm = conditionFromXml(e);
    if (cm && cm.children.length === 0) return undefined; // an empty condition is always true
    if (cm) {
      const r = fromConfigMgr(cm);
      for (const w of r.warnings) this.warn(where, w);
      if (r.ast) {
        const printed = printCondition(r.ast);
        if (parseCondition(printed).ast) return printed;
      }
    }
    xml.condition = compactXml(e);
    this.kept.conditions++;
    this.warn(where, 'the condition has parts tsq cannot express as `when:`; it is kept verbatim under `xml.condition`');
    return undefined;
  }

  nodes(parent: XmlElement, path: string[]): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    const children = parent.children;
    for (let i = 0; i < children.length; i++) {
      const c = children[i];
      if (c.kind !== 'element') continue;
      const early = c.name === MAPPED ? this.mapped.get(c) : undefined;
      if (early) {
        this.mapped.delete(c);
        out.push(early.value);
        for (const n of early.notes.notes) this.sink.add(n.level, n.where, n.message);
      } else if (c.name === 'group') out.push(this.group(c, path));
      else if (c.name === 'step' || c.name === 'subtasksequence') out.push(this.step(c, path));
      else continue;
      // A caller that hands the tree over lets each imported part go at once: on a 10 MB file
      // that keeps the collector from tracing a tree nothing needs any more.
      if (this.ctx.consume) children[i] = CONSUMED;
    }
    return out;
  }

  group(e: XmlElement, parentPath: string[]): Record<string, unknown> {
    const name = attr(e, 'name') ?? '';
    const path = [...parentPath, name];
    const where = whereOf(this.ctx.where, path);
    if (strayText(e)) throw new InteropError(`${where()}: the group holds text outside its elements; this is not a task sequence tsq understands.`);
    const xml: NodeXml = {};
    if (attr(e, 'name') === undefined) setAttr(xml, 'name', null);
    for (const k in e.attrs) if (!GROUP_ATTRS.has(k)) setAttr(xml, k, e.attrs[k]);
    const disabled = this.flag(e, 'disable', xml);
    const continueOnError = this.flag(e, 'continueOnError', xml);
    let when: string | undefined;
    for (const c of childElements(e)) {
      if (c.name === 'condition') {
        if (when === undefined && xml.condition === undefined) when = this.condition(c, where, xml);
        else (xml.elements ??= []).push(compactXml(c));
      } else if (c.name === 'action') {
        if (textOf(c).trim() !== '' || Object.keys(c.attrs).length) xml.action = textOf(c);
      } else if (c.name !== 'step' && c.name !== 'subtasksequence' && c.name !== 'group' && !this.isPlaceholder(c)) {
        (xml.elements ??= []).push(compactXml(c));
      }
    }
    if (xml.elements) this.warn(where, `kept ${xml.elements.length} element(s) tsq does not know under \`xml.elements\``);
    const out: Record<string, unknown> = { group: name };
    const description = attr(e, 'description');
    if (description) out.description = description;
    if (when !== undefined) out.when = when;
    if (disabled) out.disabled = true;
    if (continueOnError) out.continueOnError = true;
    if (Object.keys(xml).length) out.xml = orderedXml(xml);
    out.steps = this.nodes(e, path);
    this.block.add(out);
    return out;
  }

  private flag(e: XmlElement, name: string, xml: NodeXml): boolean {
    const raw = attr(e, name);
    const v = parseBool(raw);
    if (raw !== undefined && v === undefined) setAttr(xml, name, raw);
    return v === true;
  }

  step(e: XmlElement, parentPath: string[]): Record<string, unknown> {
    const name = attr(e, 'name') ?? '';
    const where = whereOf(this.ctx.where, parentPath, name);
    if (strayText(e)) throw new InteropError(`${where()}: the step holds text outside its elements; this is not a task sequence tsq understands.`);
    const type = attr(e, 'type');
    let def: StepDefinition | undefined = type !== undefined ? stepByXmlType(type) : undefined;
    if (def && e.name === 'subtasksequence' && def.xmlElement !== 'subtasksequence') def = undefined;
    const xml: NodeXml = {};
    if (def && type !== def.xmlType) xml.type = type;
    if (!def) xml.type = type ?? null;
    if (attr(e, 'name') === undefined) setAttr(xml, 'name', null);
    for (const k in e.attrs) if (!STEP_ATTRS.has(k)) setAttr(xml, k, e.attrs[k]);

    const data: StepData = { def, name, disabled: this.flag(e, 'disable', xml), continueOnError: this.flag(e, 'continueOnError', xml), options: new Map(), xml };
    const description = attr(e, 'description');
    if (description) data.description = description;
    this.stepAttributes(e, data, def);

    let when: string | undefined;
    let action: string | undefined;
    const originals: OriginalVariable[] = [];
    let varList = false;
    for (const c of e.children) {
      if (c.kind !== 'element') continue;
      if (c.name === 'condition' && when === undefined && xml.condition === undefined) when = this.condition(c, where, xml);
      else if (c.name === 'action' && action === undefined && !hasAttributes(c) && !hasElementChildren(c)) action = textOf(c);
      else if (c.name === 'defaultVarList' && !varList && !hasAttributes(c) && !strayText(c)) {
        varList = true;
        for (const v of c.children) if (v.kind === 'element') originals.push(originalVariable(v));
      } else (xml.elements ??= []).push(compactXml(c));
    }
    if (xml.elements) this.warn(where, `kept ${xml.elements.length} element(s) tsq does not know under \`xml.elements\``);
    const actionText = action ?? '';

    let written: FinalVariable[];
    if (!def) {
      data.options.set('commandLine', actionText);
      if (originals.length) xml.variables = originals.map(rawOf);
      this.kept.steps++;
      this.warn(where, type === undefined ? 'the step has no type; it is imported as a command line (`run:` holds its <action>) with its settings under `xml.variables`' : `\`${type}\` is not a step tsq knows; it is imported as a command line (\`run:\` holds its <action>) and kept verbatim under \`xml\``);
      written = stepSettings(data, this.ctx.steps).variables;
    } else {
      const settled = this.mapVariables(data, def, originals, actionText, where);
      written = settled.variables;
      let template = settled.templateAction;
      if (!sameCommandLine(actionText, template)) template = this.fromCommandLine(data, def, actionText) ?? template;
      if (!sameCommandLine(actionText, template)) {
        xml.action = actionText;
        xml.actionCheck = actionFingerprint(template);
        this.kept.actions++;
      }
    }
    this.refs.addStep(data, written, this.ctx.steps);
    return this.stepObject(data, when);
  }

  /**
   * Settings that live only in the command line (no TS variable) read back from `<action>`.
   * Returns the template's new command line when that made it match, else leaves the step as it was.
   */
  private fromCommandLine(data: StepData, def: StepDefinition, action: string): string | undefined {
    const values = readActionArguments(def.actionTemplate, action);
    if (!values) return undefined;
    const added: string[] = [];
    for (const [n, text] of values) {
      const p = def.properties.find((x) => x.commandLineArg === n);
      if (!p || text === '' || variableNameOf(p) !== undefined || data.options.has(p.name) || p.secret) continue;
      const conv = xmlToDsl(p, text);
      if (!conv.ok) continue;
      data.options.set(p.name, conv.value);
      added.push(p.name);
    }
    if (added.length === 0) return undefined;
    const template = stepSettings(data, this.ctx.steps).templateAction;
    if (sameCommandLine(action, template)) return template;
    for (const name of added) data.options.delete(name);
    return undefined;
  }

  private stepAttributes(e: XmlElement, data: StepData, def: StepDefinition | undefined): void {
    const xml = data.xml;
    const timeout = attr(e, 'timeout');
    if (timeout !== undefined) {
      if (/^\d+$/.test(timeout) && Number.isSafeInteger(Number(timeout))) data.timeout = Number(timeout);
      else setAttr(xml, 'timeout', timeout);
    }
    const codes = attr(e, 'successCodeList');
    if (codes !== undefined) {
      const parts = codes.trim().split(/\s+/);
      if (codes.trim() !== '' && parts.every((p) => /^-?\d+$/.test(p) && Number.isSafeInteger(Number(p)))) {
        const nums = parts.map(Number);
        if (!def || nums.join(' ') !== def.successCodes.join(' ')) data.successCodes = nums;
      } else setAttr(xml, 'successCodeList', codes);
    } else if (def) setAttr(xml, 'successCodeList', null);
    const retry = attr(e, 'retryCount');
    if (retry !== undefined) {
      if (/^\d+$/.test(retry) && Number.isSafeInteger(Number(retry))) {
        const n = Number(retry);
        if (!def || n !== def.retryCount) data.retryCount = n;
      } else setAttr(xml, 'retryCount', retry);
    } else if (def && def.retryCount !== 0) setAttr(xml, 'retryCount', null);
    const net = attr(e, 'runFromNet');
    if (net !== undefined) {
      const b = parseBool(net);
      if (b === undefined) setAttr(xml, 'runFromNet', net);
      else if (b || !def) data.runFromNet = b;
    }
    const runIn = attr(e, 'runIn');
    const writesRunIn = def !== undefined && def.xmlElement === 'step';
    if (writesRunIn && runIn !== def!.runIn) setAttr(xml, 'runIn', runIn ?? null);
    else if (!writesRunIn && runIn !== undefined) setAttr(xml, 'runIn', runIn);
  }

  /** Maps `<variable>`s to options, then reconciles with what export writes. Returns the final variables. */
  private mapVariables(data: StepData, def: StepDefinition, originals: OriginalVariable[], actionText: string, where: Where): StepSettings {
    const xml = data.xml;
    const raw: OriginalVariable[] = [];
    const lists = new Map<string, Map<number, Record<string, unknown>>>();
    const listOrder: StepProperty[] = [];
    const pendingCounts: { p: StepProperty; v: OriginalVariable }[] = [];
    const names: NonNullable<NodeXml['names']> = {};
    const filled = new Set<string>();
    let secretsDropped = 0;

    const spelling = (path: string, v: OriginalVariable, name: string, property: string, hidden: boolean) => noteSpelling(names, path, v, name, property, hidden);

    // Variables spelled as ConfigMgr spells them claim their setting first; other spellings
    // (MDT's) of the same setting then stay verbatim rather than hide the real value.
    const candidates: { v: OriginalVariable; match: NonNullable<ReturnType<typeof propertyForXmlVariableElement>> }[] = [];
    for (const v of originals) {
      if (v.raw !== undefined || v.name === undefined || v.property === undefined || (v.hidden !== undefined && parseBool(v.hidden) === undefined)) { raw.push(v); continue; }
      const match = propertyForXmlVariableElement(def, { name: v.name, property: v.property });
      if (!match) { raw.push(v); continue; }
      candidates.push({ v, match });
    }
    const later: typeof candidates = [];
    const ordered: typeof candidates = [];
    for (const c of candidates) (spelledCanonically(c.v, c.match) ? ordered : later).push(c);
    ordered.push(...later);
    for (const { v, match } of ordered) {
      const p = match.property;
      if (match.item && match.index !== undefined) {
        const item = match.item;
        const path = `${p.name}[${match.index}].${item.name}`;
        const conv = xmlToDsl(item, v.value);
        if (filled.has(path) || !item.xmlVariable || !conv.ok || match.index > 999) { raw.push(v); continue; }
        filled.add(path);
        if (!lists.has(p.name)) { lists.set(p.name, new Map()); listOrder.push(p); }
        const entries = lists.get(p.name)!;
        if (!entries.has(match.index)) entries.set(match.index, {});
        entries.get(match.index)![item.name] = conv.value;
        spelling(path, v, indexedName(item.xmlVariable, match.index), indexedName(item.xmlProperty, match.index), !!item.hiddenInXml);
        continue;
      }
      const canonicalName = p.type === 'objectList' ? p.xmlVariable : variableNameOf(p);
      if (!canonicalName || filled.has(p.name)) { raw.push(v); continue; }
      if (p.type === 'objectList' || p.countOf) {
        filled.add(p.name);
        pendingCounts.push({ p, v });
        spelling(p.name, v, canonicalName, p.xmlProperty, !!p.hiddenInXml);
        continue;
      }
      const conv = xmlToDsl(p, v.value);
      // An empty value of a required setting is an XML oddity the DSL has no word for; keep it as written.
      if (!conv.ok || (p.required && v.value === '' && !p.secret)) { raw.push(v); continue; }
      filled.add(p.name);
      if (p.secret && v.value !== '') secretsDropped++;
      secretsDropped += conv.secretsDropped ?? 0;
      data.options.set(p.name, conv.value);
      spelling(p.name, v, canonicalName, p.xmlProperty, !!p.hiddenInXml);
    }
    for (const p of listOrder) {
      const entries = lists.get(p.name)!;
      const max = Math.max(...entries.keys());
      const list: Record<string, unknown>[] = [];
      for (let i = 0; i <= max; i++) {
        // Fields in the catalog's order, whatever order the XML had.
        const raw = entries.get(i) ?? {};
        const entry: Record<string, unknown> = {};
        for (const item of p.items ?? []) if (item.name in raw) entry[item.name] = raw[item.name];
        list.push(entry);
      }
      data.options.set(p.name, list);
    }
    if (secretsDropped) this.note(where, `${secretsDropped} password(s) in the file were not copied; the DSL marks them \`{ missing: true }\` — set them in ConfigMgr (or give \`{ env: NAME }\`)`);
    if (def.key === 'RunCommandLine' && !data.options.has('commandLine')) data.options.set('commandLine', actionText);
    if (def.key === 'RunTaskSequence') {
      const ref = data.options.get('sequence');
      if (typeof ref === 'string' && ref.trim()) {
        this.children.push(ref.trim());
        const path = this.ctx.childPath(ref.trim());
        if (path) data.options.set('sequence', path);
      }
    }
    // Counts are derived on export: keep a count variable only when it disagrees with its list.
    for (const { p, v } of pendingCounts) {
      const derived = p.type === 'objectList' ? String((data.options.get(p.name) as unknown[] | undefined)?.length ?? 0) : derivedValue(data, p, this.ctx.steps);
      if (derived !== v.value) raw.push(v);
    }
    // Settings export derives (success codes, retry count, child name and references) need not be written.
    for (const p of def.properties) {
      if (!data.options.has(p.name) || p.countOf) continue;
      const value = data.options.get(p.name);
      const derived = derivedValue(data, p, this.ctx.steps);
      if (derived === undefined) continue;
      const asText = Array.isArray(value) ? value.join(p.listSeparator ?? ',') : String(value);
      if (sameXmlValue(p, asText, derived)) data.options.delete(p.name);
    }
    if (Object.keys(names).length) xml.names = inCatalogOrder(def, names);
    if (raw.length) xml.variables = raw.map(rawOf);
    return this.reconcile(data, originals, where);
  }

  /**
   * Makes export give the original `<variable>`s back: variables export would add go to
   * `xml.unset`, originals it would not write as they were go verbatim to `xml.variables`.
   */
  private reconcile(data: StepData, originals: OriginalVariable[], where: Where): StepSettings {
    const xml = data.xml;
    for (let round = 0; round < 4; round++) {
      const settings = stepSettings(data, this.ctx.steps);
      const written = settings.variables;
      const { unmatched, extra } = compareVariables(originals, written);
      if (unmatched.length === 0 && extra.length === 0) {
        const keptCount = xml.variables?.length ?? 0;
        if (keptCount) {
          this.kept.variables += keptCount;
          this.note(where, `kept ${keptCount} setting(s) tsq does not map under \`xml.variables\``);
        }
        return settings;
      }
      if (extra.some((w) => w.path === undefined)) break;
      for (const w of extra) if (!(xml.unset ??= []).includes(w.path!)) xml.unset.push(w.path!);
      for (const o of unmatched) {
        (xml.variables ??= []).push(rawOf(o));
        const w = written.find((x) => x.path !== undefined && x.name === o.name);
        if (w?.path && !w.path.includes('[')) data.options.delete(w.path);
      }
    }
    // Last resort: write exactly the original list.
    xml.variables = originals.map(rawOf);
    xml.unset = stepSettings({ ...data, xml: { ...xml, variables: [], unset: [] } }, this.ctx.steps).variables.map((w) => w.path!).filter(Boolean);
    return stepSettings(data, this.ctx.steps);
  }

  private stepObject(data: StepData, when: string | undefined): Record<string, unknown> {
    const def = data.def;
    const options = data.options;
    const out: Record<string, unknown> = { name: data.name };
    if (data.description) out.description = data.description;
    // `run:` and `package:` take the command line and package out of `with:`.
    let run = false, pkg = false;
    const cmd = options.get('commandLine');
    if ((!def || def.key === 'RunCommandLine') && typeof cmd === 'string' && (cmd !== '' || !def)) {
      out.run = cmd;
      run = true;
      const p = options.get('package');
      if (def && (typeof p === 'string' || typeof p === 'number')) {
        out.package = p;
        pkg = true;
      }
    } else if (def) out.action = def.key;
    if (when !== undefined) out.when = when;
    if (data.disabled) out.disabled = true;
    if (data.continueOnError) out.continueOnError = true;
    if (data.timeout !== undefined) out.timeout = timeoutText(data.timeout);
    if (data.successCodes) out.successCodes = data.successCodes;
    if (data.retryCount !== undefined) out.retryCount = data.retryCount;
    if (data.runFromNet !== undefined) out.runFromNet = data.runFromNet;
    if (def && options.size > (run ? 1 : 0) + (pkg ? 1 : 0)) {
      const w: Record<string, unknown> = {};
      for (const p of def.properties) {
        if ((run && p.name === 'commandLine') || (pkg && p.name === 'package')) continue;
        if (options.has(p.name)) w[p.name] = options.get(p.name);
      }
      out.with = w;
    }
    for (const _ in data.xml) {
      out.xml = orderedXml(data.xml);
      break;
    }
    this.block.add(out);
    return out;
  }
}

/** Records how a variable's spelling differs from ConfigMgr's for its setting, if it does. */
function noteSpelling(names: NonNullable<NodeXml['names']>, path: string, v: OriginalVariable, name: string, property: string, hidden: boolean): void {
  const hiddenDiffers = (v.hidden !== undefined && v.hidden.toLowerCase() === 'true') !== hidden;
  if (v.name === name && v.property === property && !hiddenDiffers) return;
  const s: { name?: string; property?: string; hidden?: boolean } = {};
  if (v.name !== name) s.name = v.name;
  if (v.property !== property) s.property = v.property;
  if (hiddenDiffers) s.hidden = !hidden;
  names[path] = s;
}

/** Whether a variable carries the TS variable name ConfigMgr writes for the setting it matched (case aside). */
function spelledCanonically(v: OriginalVariable, match: XmlPropertyMatch): boolean {
  const target = match.item ?? match.property;
  const name = match.item ? (target.xmlVariable !== undefined ? indexedName(target.xmlVariable, match.index!) : undefined) : match.property.type === 'objectList' ? target.xmlVariable : variableNameOf(target);
  return name !== undefined && (name === v.name || name.toLowerCase() === v.name!.toLowerCase());
}

/** Option paths (`disk`, `partitions[2].size`) sorted as the catalog lists the settings. */
function inCatalogOrder<T>(def: StepDefinition, map: Record<string, T>): Record<string, T> {
  const rank = (path: string): number[] => {
    const m = /^([^[]+)(?:\[(\d+)\]\.(.+))?$/.exec(path);
    const pi = def.properties.findIndex((p) => p.name === m?.[1]);
    if (!m || !m[2]) return [pi, -1, -1];
    const items = def.properties[pi]?.items ?? [];
    return [pi, Number(m[2]), items.findIndex((it) => it.name === m[3])];
  };
  const keys = Object.keys(map).sort((a, b) => {
    const ra = rank(a), rb = rank(b);
    for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return ra[i] - rb[i];
    return 0;
  });
  const out: Record<string, T> = {};
  for (const k of keys) out[k] = map[k];
  return out;
}

function orderedXml(x: NodeXml): Record<string, unknown> {
  const keys: (keyof NodeXml)[] = ['type', 'attributes', 'action', 'actionCheck', 'names', 'unset', 'variables', 'elements', 'condition'];
  const out: Record<string, unknown> = {};
  for (const k of keys) if (x[k] !== undefined) out[k] = x[k];
  return out;
}

function originalVariable(v: XmlElement): OriginalVariable {
  let plain = v.name === 'variable';
  for (const k in v.attrs) if (k !== 'name' && k !== 'property' && k !== 'hidden') plain = false;
  for (const c of v.children) if (c.kind === 'element') plain = false;
  if (!plain) return { value: '', raw: compactXml(v) };
  return { name: attr(v, 'name'), property: attr(v, 'property'), hidden: attr(v, 'hidden'), value: textOf(v) };
}

function rawOf(v: OriginalVariable): RawVariable | string {
  if (v.raw !== undefined) return v.raw;
  const out: RawVariable = {} as RawVariable;
  if (v.name !== undefined) out.name = v.name;
  if (v.property !== undefined) out.property = v.property;
  if (v.hidden !== undefined) out.hidden = v.hidden;
  out.value = v.value;
  return out;
}

function hiddenFlag(h: string | undefined): boolean {
  return h !== undefined && h.toLowerCase() === 'true';
}

/** Pairs original and written variables by name; what is left over on either side differs. */
export function compareVariables(originals: OriginalVariable[], written: FinalVariable[]): { unmatched: OriginalVariable[]; extra: FinalVariable[] } {
  const pool = [...written];
  const unmatched: OriginalVariable[] = [];
  for (const o of originals) {
    const i = pool.findIndex((w) => {
      if (o.raw !== undefined || w.raw !== undefined) return o.raw !== undefined && w.raw === o.raw;
      return w.name === o.name && w.property === o.property && hiddenFlag(w.hidden) === hiddenFlag(o.hidden) && sameXmlValue(w.def, w.value, o.value);
    });
    if (i < 0) unmatched.push(o);
    else pool.splice(i, 1);
  }
  return { unmatched, extra: pool };
}

/** Imports a `<sequence>` element. Throws InteropError when the document is not a sequence. */
export function importSequence(root: XmlElement, meta: SequenceMeta, ctx: ImportContext): ImportedSequence {
  return finishImport(new SequenceImporter(ctx), root, meta, ctx);
}

/**
 * An import that maps groups and steps while the XML is being read: give `closed` to the reader
 * (`readXml`), then `finish` with the root. The result, report and failures are those of
 * `importSequence` on the whole tree; only the tree never exists whole (on a 10 MB sequence it
 * held ~40 MB that every collection copied).
 */
export function importWhileReading(ctx: ImportContext): { closed: NonNullable<ReadXmlOptions['closed']>; finish(root: XmlElement, meta: SequenceMeta): ImportedSequence } {
  const imp = new SequenceImporter(ctx);
  return { closed: imp.closed, finish: (root, meta) => finishImport(imp, root, meta, ctx) };
}

function finishImport(imp: SequenceImporter, root: XmlElement, meta: SequenceMeta, ctx: ImportContext): ImportedSequence {
  if (root.name !== 'sequence') throw new InteropError(`${ctx.where} is XML, but not a task sequence: its root element is <${root.name}>, not <sequence>.`, 'Choose the sequence XML (or a ConfigMgr export .zip).');
  if (strayText(root)) throw new InteropError(`${ctx.where}: <sequence> holds text outside its elements; this is not a task sequence tsq understands.`);
  const seqXml: Record<string, unknown> = {};
  const version = attr(root, 'version');
  if (version !== CONFIGMGR_SEQUENCE_VERSION) seqXml.version = version ?? null;
  const rootName = attr(root, 'name');
  if (rootName !== undefined) seqXml.nameOnRoot = true;
  const rootAttrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(root.attrs)) if (k !== 'version' && k !== 'name' && k !== 'description') rootAttrs[k] = v;
  if (Object.keys(rootAttrs).length) seqXml.attributes = rootAttrs;

  const variables: Record<string, string> = {};
  const variableProperties: Record<string, string | null> = {};
  const originalRefs: { package?: string; program?: string; application?: string }[] = [];
  const elements: string[] = [];
  for (const c of childElements(root)) {
    if (c.name === 'globalVarList') {
      for (const v of childElements(c)) {
        const name = attr(v, 'name');
        if (v.name !== 'variable' || name === undefined) { elements.push(compactXml(v)); continue; }
        if (name in variables) ctx.report.info(ctx.where, `the variable ${name} is listed twice in <globalVarList>; the last value counts and is the one kept`);
        variables[name] = textOf(v);
        const property = attr(v, 'property');
        if (property !== globalVariableProperty(name)) variableProperties[name] = property ?? null;
      }
    } else if (c.name === 'referenceList') {
      for (const r of childElements(c)) {
        originalRefs.push({ package: attr(r, 'package'), program: attr(r, 'program'), application: attr(r, 'application') });
      }
    } else if (c.name !== 'group' && c.name !== 'step' && c.name !== 'subtasksequence' && !imp.isPlaceholder(c)) elements.push(compactXml(c));
  }
  const steps = imp.nodes(root, []);
  for (let i = 0; i < steps.length - 1; i++) if ('group' in steps[i]) imp.spaceAfter.add(steps[i]);

  // The referenceList is rebuilt on export; keep only entries no step explains.
  const derived = new ReferenceCollector();
  for (const r of imp.refs.entries) derived.add(r);
  const extras = originalRefs.filter((r) => {
    const before = derived.entries.length;
    derived.add(r.application !== undefined ? { application: r.application } : { package: r.package ?? '', program: r.program });
    return derived.entries.length > before;
  });
  // And note the references the steps imply but the original list lacked, so export leaves them out too.
  const listed = new ReferenceCollector();
  for (const r of originalRefs) listed.add(r.application !== undefined ? { application: r.application } : { package: r.package ?? '', program: r.program });
  const unlisted = imp.refs.entries.filter((r) => {
    const before = listed.entries.length;
    listed.add(r);
    return listed.entries.length > before;
  });
  if (unlisted.length) {
    seqXml.notListed = unlisted.map((r) => (r.application !== undefined ? { application: r.application } : { package: r.package }));
    ctx.report.info(ctx.where, `${unlisted.length} object(s) the steps use were missing from <referenceList>; export leaves them out too (\`configMgr.xml.notListed\`)`);
  }
  if (extras.length) {
    seqXml.references = extras.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
    ctx.report.info(ctx.where, `kept ${extras.length} <referenceList> entr${extras.length === 1 ? 'y' : 'ies'} that no step uses under \`configMgr.xml.references\``);
  }
  if (Object.keys(variableProperties).length) seqXml.variableProperties = variableProperties;
  if (elements.length) {
    seqXml.elements = elements;
    ctx.report.warn(ctx.where, `kept ${elements.length} element(s) of <sequence> tsq does not know under \`configMgr.xml.elements\``);
  }

  const name = meta.name ?? rootName ?? meta.fallbackName;
  const doc: Record<string, unknown> = { sequence: name };
  const description = meta.description ?? attr(root, 'description');
  if (description) doc.description = description;
  if (meta.packageId) doc.packageId = meta.packageId;
  if (meta.bootImage) doc.bootImage = meta.bootImage;
  if (Object.keys(variables).length) doc.variables = variables;
  doc.steps = steps;
  const configMgr: Record<string, unknown> = { ...(meta.configMgr ?? {}) };
  if (Object.keys(seqXml).length) configMgr.xml = seqXml;
  if (Object.keys(configMgr).length) doc.configMgr = configMgr;

  const applications: string[] = [], packages: string[] = [];
  for (const r of imp.refs.entries) {
    if (r.application !== undefined) applications.push(r.application);
    else if (r.package) packages.push(r.package);
  }
  return {
    doc,
    block: imp.block,
    spaceAfter: imp.spaceAfter,
    references: imp.refs.entries,
    children: imp.children,
    info: { packageId: meta.packageId, name, applications, packages },
    kept: imp.kept,
  };
}
