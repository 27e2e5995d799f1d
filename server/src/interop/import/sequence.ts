// Import of one `<sequence>` document into the DSL: groups and steps with the catalog's names,
// settings under `with:`, conditions as `when:`, `<globalVarList>` as `variables:`. Each step is
// checked against what export would write for it; whatever would come out differently (another
// spelling, a variable ConfigMgr's export adds, a command line the template does not give, an
// unknown step type) is recorded in the step's `xml:` key, so export gives the original back.

import { stepByXmlType } from '../../catalog';
import type { StepDefinition } from '../../catalog/types';
import { propertyForXmlVariableElement } from '../../catalog/steps';
import { fromConfigMgr, parseCondition, printCondition } from '../../conditions';
import { conditionFromXml, whenFingerprint, whenToXml } from '../condition-xml';
import { InteropError } from '../errors';
import { readActionArguments } from '../steps/reverse-template';
import { ReferenceCollector, type ReferenceEntry } from '../steps/references';
import { actionFingerprint, variableNameOf } from '../steps/settings';
import type { ChildInfo, NodeXml, StepContext, StepData } from '../steps/stepdata';
import { xmlToDsl } from '../steps/values';
import { stepSettings, writeGroup, writeStep, type GroupData, type StepSettings } from '../steps/write-step';
import { withoutSecretValues } from '../../semantics/dynamic-rules';
import { childTokens, compactLayout, deriveLayout, isStepLike, variableNames, type Layout } from '../steps/layout';
import { sameXml, xmlDifferences } from '../xml/compare';
import { attr, childElements, textOf, type XmlElement, type XmlNode } from '../xml/tree';
import { writeXml } from '../xml/write';
import type { ReadXmlOptions } from '../xml/read';
import { Report } from '../report';
import {
  assembleLists,
  candidatesInOrder,
  claimSetting,
  compareVariables,
  dropDerivedSettings,
  keepDisagreeingCounts,
  originalVariable,
  rawOf,
  recordClaims,
  VariableClaims,
  type OriginalVariable,
} from './step-variables';
import { EarlyParts, type PartMapper } from './while-reading';
import {
  CONFIGMGR_SEQUENCE_VERSION,
  GROUP_STYLE,
  globalVariableProperty,
  referenceKey,
  styleKey,
} from '../sequence-format';

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
/** Stands in for each group or step inside a group while the group's own parts are compared. */
const STEP_MARK: XmlElement = { kind: 'element', name: '#step', attrs: {}, children: [] };

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

const STEP_ATTRS = new Set([
  'type',
  'name',
  'description',
  'disable',
  'continueOnError',
  'timeout',
  'runIn',
  'successCodeList',
  'retryCount',
  'runFromNet',
]);
const GROUP_ATTRS = new Set(['name', 'description', 'disable', 'continueOnError']);

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

/** A group or step as imported: its `xml:` details and the record the YAML is written from. */
interface StyledNode {
  key: string;
  xml: NodeXml;
  out: Record<string, unknown>;
}

/**
 * The layout most groups or steps of one kind share becomes that kind's style
 * (`configMgr.xml.styles`), and leaves their `xml:`: an MDT file lays out every Set Task Sequence
 * Variable step alike, and saying so once keeps the YAML about the steps. A node laid out
 * otherwise keeps its own layout (`layout: {}` when tsq's way is its way).
 */
function hoistStyles(nodes: StyledNode[]): Record<string, NodeXml> | undefined {
  const byKey = new Map<string, { nodes: StyledNode[]; counts: Map<string, number> }>();
  for (const n of nodes) {
    let kind = byKey.get(n.key);
    if (!kind) byKey.set(n.key, (kind = { nodes: [], counts: new Map() }));
    kind.nodes.push(n);
    if (n.xml.layout) {
      const text = JSON.stringify(n.xml.layout);
      kind.counts.set(text, (kind.counts.get(text) ?? 0) + 1);
    }
  }
  const styles: Record<string, NodeXml> = {};
  const keys = [...byKey.keys()].sort((a, b) =>
    a === GROUP_STYLE ? -1 : b === GROUP_STYLE ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  for (const key of keys) {
    const kind = byKey.get(key)!;
    let best: string | undefined,
      bestCount = 1;
    // Groups and steps mapped while the XML is read arrive in another order: ties go by text.
    for (const [text, count] of kind.counts)
      if (count > bestCount || (count === bestCount && best !== undefined && text < best)) {
        best = text;
        bestCount = count;
      }
    // Worth it only when the style saves more layouts than the nodes it does not fit must add.
    const unstyled = kind.nodes.length - (kind.counts.size ? [...kind.counts.values()].reduce((a, b) => a + b, 0) : 0);
    if (best === undefined || bestCount <= unstyled + 1) continue;
    styles[key] = { layout: JSON.parse(best) as Layout };
    for (const n of kind.nodes) {
      if (n.xml.layout && JSON.stringify(n.xml.layout) === best) delete n.xml.layout;
      else if (!n.xml.layout) n.xml.layout = {};
      else continue;
      rewriteXml(n);
    }
  }
  return Object.keys(styles).length ? styles : undefined;
}

/** Writes a node's `xml:` again into its record, keeping `steps:` last for a group. */
function rewriteXml(n: StyledNode): void {
  const steps = n.out.steps;
  delete n.out.xml;
  delete n.out.steps;
  if (Object.keys(n.xml).length) n.out.xml = orderedXml(n.xml);
  if (steps !== undefined) n.out.steps = steps;
}

class SequenceImporter implements PartMapper {
  readonly block = new WeakSet<object>();
  readonly spaceAfter = new WeakSet<object>();
  readonly refs = new ReferenceCollector();
  readonly children: string[] = [];
  readonly kept = { steps: 0, variables: 0, conditions: 0, actions: 0 };
  /** Where notes go: the import's report, or a part's own notes while it is mapped early. */
  private sink: Report;
  /** Every group and step with its `xml:` and style key, for `configMgr.xml.styles`. */
  readonly styled: StyledNode[] = [];
  /** Groups and steps mapped while the XML was read (`whileReading`), if any. */
  private early: EarlyParts | undefined;

  constructor(private readonly ctx: ImportContext) {
    this.sink = ctx.report;
  }

  private note(where: Where, message: string): void {
    this.sink.info(where(), message);
  }

  private warn(where: Where, message: string): void {
    this.sink.warn(where(), message);
  }

  /** The reader hook that maps groups and steps as they close (see while-reading.ts). */
  whileReading(): NonNullable<ReadXmlOptions['closed']> {
    this.early = new EarlyParts(this);
    return this.early.closed;
  }

  /** Whether a node stands for a group or step mapped while the XML was read. */
  isPlaceholder(node: XmlNode): boolean {
    return this.early !== undefined && this.early.has(node);
  }

  mapPart(e: XmlElement, path: string[], notes: Report): Record<string, unknown> {
    const outer = this.sink;
    this.sink = notes;
    try {
      return e.name === 'group' ? this.group(e, path) : this.step(e, path);
    } finally {
      this.sink = outer;
    }
  }

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
    this.warn(
      where,
      'the condition has parts tsq cannot express as `when:`; it is kept verbatim under `xml.condition`',
    );
    return undefined;
  }

  nodes(parent: XmlElement, path: string[]): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    const children = parent.children;
    for (let i = 0; i < children.length; i++) {
      const c = children[i];
      if (c.kind !== 'element') continue;
      const early = this.early?.take(c);
      if (early) {
        for (const n of early.notes.notes) this.sink.add(n.level, n.where, n.message);
        if ('failure' in early) throw early.failure;
        out.push(early.value);
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
    if (strayText(e))
      throw new InteropError(
        `${where()}: the group holds text outside its elements; this is not a task sequence tsq understands.`,
      );
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
    if (xml.elements)
      this.warn(where, `kept ${xml.elements.length} element(s) tsq does not know under \`xml.elements\``);
    const out: Record<string, unknown> = { group: name };
    const description = attr(e, 'description');
    if (description) out.description = description;
    if (when !== undefined) out.when = when;
    if (disabled) out.disabled = true;
    if (continueOnError) out.continueOnError = true;
    this.exactGroup(e, { name, description: description || undefined, disabled, continueOnError, xml }, when, where);
    if (Object.keys(xml).length) out.xml = orderedXml(xml);
    this.styled.push({ key: GROUP_STYLE, xml, out });
    out.steps = this.nodes(e, path);
    this.block.add(out);
    return out;
  }

  /** As `exactStep`, for a group's own attributes and elements (its groups and steps stand in by a mark). */
  private exactGroup(e: XmlElement, group: GroupData, when: string | undefined, where: Where): void {
    const shallow: XmlElement = { kind: 'element', name: e.name, attrs: e.attrs, children: [] };
    const marks: XmlElement[] = [];
    for (const c of e.children) {
      if (c.kind === 'element' && isStepLike(c.name)) {
        shallow.children.push(STEP_MARK);
        marks.push(STEP_MARK);
      } else shallow.children.push(c);
    }
    const derived = new Set<string>();
    const written = writeGroup(group, this.exactCondition(e, when, group.xml), marks, where(), derived);
    if (sameXml(shallow, written)) return;
    const layout = deriveLayout(shallow, written, derived, variableNames(undefined), sameXml);
    const compact = layout && compactLayout(layout);
    if (compact) group.xml.layout = compact;
    else if (!layout)
      this.warn(
        where,
        `the group's own attributes or elements are written differently from the original (${xmlDifferences(shallow, written, 1)[0]})`,
      );
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
    if (strayText(e))
      throw new InteropError(
        `${where()}: the step holds text outside its elements; this is not a task sequence tsq understands.`,
      );
    const type = attr(e, 'type');
    let def: StepDefinition | undefined = type !== undefined ? stepByXmlType(type) : undefined;
    if (def && e.name === 'subtasksequence' && def.xmlElement !== 'subtasksequence') def = undefined;
    const xml: NodeXml = {};
    if (def && type !== def.xmlType) xml.type = type;
    if (!def) xml.type = type ?? null;
    if (attr(e, 'name') === undefined) setAttr(xml, 'name', null);
    for (const k in e.attrs) if (!STEP_ATTRS.has(k)) setAttr(xml, k, e.attrs[k]);

    const data: StepData = {
      def,
      name,
      disabled: this.flag(e, 'disable', xml),
      continueOnError: this.flag(e, 'continueOnError', xml),
      options: new Map(),
      xml,
    };
    const description = attr(e, 'description');
    if (description) data.description = description;
    this.stepAttributes(e, data, def);

    let when: string | undefined;
    let action: string | undefined;
    const originals: OriginalVariable[] = [];
    let varList = false;
    for (const c of e.children) {
      if (c.kind !== 'element') continue;
      if (c.name === 'condition' && when === undefined && xml.condition === undefined)
        when = this.condition(c, where, xml);
      else if (c.name === 'action' && action === undefined && !hasAttributes(c) && !hasElementChildren(c))
        action = textOf(c);
      else if (c.name === 'defaultVarList' && !varList && !hasAttributes(c) && !strayText(c)) {
        varList = true;
        for (const v of c.children) if (v.kind === 'element') originals.push(originalVariable(v));
      } else (xml.elements ??= []).push(compactXml(c));
    }
    if (xml.elements)
      this.warn(where, `kept ${xml.elements.length} element(s) tsq does not know under \`xml.elements\``);
    const actionText = action ?? '';

    // What export writes for the step's settings, kept for the exact check unless a setting changes after.
    let settings: StepSettings | undefined;
    if (!def) {
      data.options.set('commandLine', actionText);
      if (originals.length) xml.variables = originals.map(rawOf);
      this.kept.steps++;
      this.warn(
        where,
        type === undefined
          ? 'the step has no type; it is imported as a command line (`run:` holds its <action>) with its settings under `xml.variables`'
          : `\`${type}\` is not a step tsq knows; it is imported as a command line (\`run:\` holds its <action>) and kept verbatim under \`xml\``,
      );
      settings = stepSettings(data, this.ctx.steps);
      this.refs.addStep(data, settings.variables, this.ctx.steps);
    } else {
      settings = this.mapVariables(data, def, originals, actionText, where);
      this.refs.addStep(data, settings.variables, this.ctx.steps);
      let template = settings.templateAction;
      if (actionText !== template) {
        const fromCommandLine = this.fromCommandLine(data, def, actionText);
        if (fromCommandLine !== undefined) {
          template = fromCommandLine;
          settings = undefined;
        }
      }
      if (actionText !== template) {
        xml.action = actionText;
        xml.actionCheck = actionFingerprint(template);
        this.kept.actions++;
      }
    }
    this.exactStep(e, data, when, where, settings);
    return this.stepObject(data, when);
  }

  /**
   * The `<condition>` export writes for a node: from its `when:`, unless that would be written in
   * other words than the original (then the original is kept, with the `when:` fingerprint), or
   * the original kept verbatim because it cannot be a `when:`.
   */
  private exactCondition(e: XmlElement, when: string | undefined, xml: NodeXml): XmlElement | undefined {
    let original: XmlElement | undefined;
    for (const c of e.children)
      if (c.kind === 'element' && c.name === 'condition') {
        original = c;
        break;
      }
    if (when === undefined) return xml.condition !== undefined ? original : undefined;
    const built = whenToXml(when);
    if (!original || !built || sameXml(original, built)) return built;
    xml.condition = compactXml(original);
    xml.whenCheck = whenFingerprint(when);
    return original;
  }

  /**
   * Makes export give this step back exactly: compares the original with what export writes and
   * records the layout (order, spellings) that turns one into the other. A step no layout gives
   * back is kept whole, written while the step is unchanged.
   */
  private exactStep(
    e: XmlElement,
    data: StepData,
    when: string | undefined,
    where: Where,
    settings: StepSettings | undefined,
  ): void {
    const xml = data.xml;
    const written = writeStep(data, this.exactCondition(e, when, xml), this.ctx.steps, where, settings);
    // Passwords are never copied, so the step export can give back is the original without them.
    const original = withoutSecrets(e, data.def);
    if (sameXml(original, written.element)) return;
    const layout = deriveLayout(original, written.element, written.derived, variableNames(data.def), sameXml);
    const compact = layout && compactLayout(layout);
    if (layout) {
      if (compact) xml.layout = compact;
      return;
    }
    xml.verbatim = compactXml(original);
    xml.verbatimCheck = actionFingerprint(compactXml(written.element));
    this.kept.steps++;
    this.warn(
      where,
      `the step is written in a way tsq cannot reproduce from its settings (${xmlDifferences(original, written.element, 1)[0]}); it is kept whole under \`xml.verbatim\` and written as it was while the step is unchanged`,
    );
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
    if (action === template) return template;
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

  /**
   * Maps `<variable>`s to settings (the phases of step-variables.ts), links a child sequence, then
   * reconciles with what export writes. Returns the final variables.
   */
  private mapVariables(
    data: StepData,
    def: StepDefinition,
    originals: OriginalVariable[],
    actionText: string,
    where: Where,
  ): StepSettings {
    const claims = new VariableClaims();
    for (const candidate of candidatesInOrder(def, originals, claims)) claimSetting(data, candidate, claims);
    assembleLists(data, claims);
    if (claims.secretsDropped)
      this.note(
        where,
        `${claims.secretsDropped} password(s) in the file were not copied; the DSL marks them \`{ missing: true }\` — set them in ConfigMgr (or give \`{ env: NAME }\`)`,
      );
    if (def.key === 'RunCommandLine' && !data.options.has('commandLine')) data.options.set('commandLine', actionText);
    if (def.key === 'RunTaskSequence') this.linkChildSequence(data);
    // After the child is linked: counts and derived settings may depend on it.
    keepDisagreeingCounts(data, claims, this.ctx.steps);
    dropDerivedSettings(data, def, this.ctx.steps);
    recordClaims(data, def, claims);
    return this.reconcile(data, originals, where);
  }

  /** Notes the child sequence a Run Task Sequence step runs, named by its path when the import writes it. */
  private linkChildSequence(data: StepData): void {
    const ref = data.options.get('sequence');
    if (typeof ref !== 'string' || !ref.trim()) return;
    this.children.push(ref.trim());
    const path = this.ctx.childPath(ref.trim());
    if (path) data.options.set('sequence', path);
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
    xml.unset = stepSettings({ ...data, xml: { ...xml, variables: [], unset: [] } }, this.ctx.steps)
      .variables.map((w) => w.path!)
      .filter(Boolean);
    return stepSettings(data, this.ctx.steps);
  }

  private stepObject(data: StepData, when: string | undefined): Record<string, unknown> {
    const def = data.def;
    const options = data.options;
    const out: Record<string, unknown> = { name: data.name };
    if (data.description) out.description = data.description;
    // `run:` and `package:` take the command line and package out of `with:`.
    let run = false,
      pkg = false;
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
    this.styled.push({ key: styleKey(def, data.xml.type), xml: data.xml, out });
    this.block.add(out);
    return out;
  }
}

function orderedXml(x: NodeXml): Record<string, unknown> {
  const keys: (keyof NodeXml)[] = [
    'type',
    'attributes',
    'action',
    'actionCheck',
    'names',
    'unset',
    'variables',
    'elements',
    'condition',
    'whenCheck',
    'layout',
    'verbatim',
    'verbatimCheck',
  ];
  const out: Record<string, unknown> = {};
  for (const k of keys) if (x[k] !== undefined) out[k] = x[k];
  return out;
}

/**
 * The step as export can give it back: the values of its password settings (`secret` in the
 * catalog) left out, as tsq never copies them. The element itself when it has none.
 */
function withoutSecrets(e: XmlElement, def: StepDefinition | undefined): XmlElement {
  if (!def || !def.properties.some((p) => p.secret || p.type === 'dynamicRules' || p.items?.some((i) => i.secret)))
    return e;
  let changed = false;
  const children = e.children.map((c) => {
    if (c.kind !== 'element' || c.name !== 'defaultVarList') return c;
    const variables = c.children.map((v) => {
      if (v.kind !== 'element' || v.name !== 'variable' || v.children.length === 0) return v;
      const match = propertyForXmlVariableElement(def, { name: attr(v, 'name'), property: attr(v, 'property') });
      const setting = match?.item ?? match?.property;
      // Set Dynamic Variables' rules: the hidden values inside the text ("Do not display this value").
      if (setting?.type === 'dynamicRules' && v.children.length === 1 && v.children[0].kind === 'text') {
        const kept = withoutSecretValues(v.children[0].text);
        if (kept.dropped === 0) return v;
        changed = true;
        return { ...v, children: [{ ...v.children[0], text: kept.text }] };
      }
      if (!setting?.secret) return v;
      changed = true;
      return { ...v, children: [] };
    });
    return { ...c, children: variables };
  });
  return changed ? { ...e, children } : e;
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
export function importWhileReading(ctx: ImportContext): {
  closed: NonNullable<ReadXmlOptions['closed']>;
  finish(root: XmlElement, meta: SequenceMeta): ImportedSequence;
} {
  const imp = new SequenceImporter(ctx);
  return { closed: imp.whileReading(), finish: (root, meta) => finishImport(imp, root, meta, ctx) };
}

function finishImport(
  imp: SequenceImporter,
  root: XmlElement,
  meta: SequenceMeta,
  ctx: ImportContext,
): ImportedSequence {
  if (root.name !== 'sequence')
    throw new InteropError(
      `${ctx.where} is XML, but not a task sequence: its root element is <${root.name}>, not <sequence>.`,
      // The object.xml of a task sequence in an export .zip, taken out of it by hand.
      root.name === 'INSTANCE' && attr(root, 'CLASSNAME') === 'SMS_TaskSequencePackage'
        ? 'It is the object.xml of a task sequence from a ConfigMgr export .zip: import the .zip itself, which holds the sequence and what it references.'
        : 'Choose the sequence XML (or a ConfigMgr export .zip).',
    );
  if (strayText(root))
    throw new InteropError(
      `${ctx.where}: <sequence> holds text outside its elements; this is not a task sequence tsq understands.`,
    );
  const seqXml: Record<string, unknown> = {};
  const version = attr(root, 'version');
  if (version !== CONFIGMGR_SEQUENCE_VERSION) seqXml.version = version ?? null;
  const rootName = attr(root, 'name');
  if (rootName !== undefined) seqXml.nameOnRoot = true;
  const rootAttrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(root.attrs))
    if (k !== 'version' && k !== 'name' && k !== 'description') rootAttrs[k] = v;
  if (Object.keys(rootAttrs).length) seqXml.attributes = rootAttrs;

  const variables: Record<string, string> = {};
  const globalNames: string[] = [];
  const variableProperties: Record<string, string | null> = {};
  const originalRefs: { package?: string; program?: string; application?: string }[] = [];
  const elements: string[] = [];
  for (const c of childElements(root)) {
    if (c.name === 'globalVarList') {
      for (const v of childElements(c)) {
        const name = attr(v, 'name');
        if (v.name !== 'variable' || name === undefined) {
          elements.push(compactXml(v));
          continue;
        }
        if (name in variables)
          ctx.report.info(
            ctx.where,
            `the variable ${name} is listed twice in <globalVarList>; the last value counts and is the one kept`,
          );
        variables[name] = textOf(v);
        globalNames.push(name);
        const property = attr(v, 'property');
        if (property !== globalVariableProperty(name)) variableProperties[name] = property ?? null;
      }
    } else if (c.name === 'referenceList') {
      for (const r of childElements(c)) {
        originalRefs.push({
          package: attr(r, 'package'),
          program: attr(r, 'program'),
          application: attr(r, 'application'),
        });
      }
    } else if (c.name !== 'group' && c.name !== 'step' && c.name !== 'subtasksequence' && !imp.isPlaceholder(c))
      elements.push(compactXml(c));
  }
  // Read before the steps are mapped: a caller that hands the tree over lets them go as they are.
  const tokens = childTokens(root);
  const steps = imp.nodes(root, []);
  for (let i = 0; i < steps.length - 1; i++) if ('group' in steps[i]) imp.spaceAfter.add(steps[i]);

  // The referenceList is rebuilt on export; keep only entries no step explains.
  const derived = new ReferenceCollector();
  for (const r of imp.refs.entries) derived.add(r);
  const extras = originalRefs.filter((r) => {
    const before = derived.entries.length;
    derived.add(
      r.application !== undefined ? { application: r.application } : { package: r.package ?? '', program: r.program },
    );
    return derived.entries.length > before;
  });
  // And note the references the steps imply but the original list lacked, so export leaves them out too.
  const listed = new ReferenceCollector();
  for (const r of originalRefs)
    listed.add(
      r.application !== undefined ? { application: r.application } : { package: r.package ?? '', program: r.program },
    );
  const unlisted = imp.refs.entries.filter((r) => {
    const before = listed.entries.length;
    listed.add(r);
    return listed.entries.length > before;
  });
  if (unlisted.length) {
    seqXml.notListed = unlisted.map((r) =>
      r.application !== undefined ? { application: r.application } : { package: r.package },
    );
    ctx.report.info(
      ctx.where,
      `${unlisted.length} object(s) the steps use were missing from <referenceList>; export leaves them out too (\`configMgr.xml.notListed\`)`,
    );
  }
  if (extras.length) {
    seqXml.references = extras.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
    ctx.report.info(
      ctx.where,
      `kept ${extras.length} <referenceList> entr${extras.length === 1 ? 'y' : 'ies'} that no step uses under \`configMgr.xml.references\``,
    );
  }
  if (Object.keys(variableProperties).length) seqXml.variableProperties = variableProperties;
  if (globalNames.join('\u0000') !== Object.keys(variables).join('\u0000')) seqXml.variableOrder = globalNames;
  // The reference list as export rebuilds it, against the original's order.
  const rebuilt = [...imp.refs.entries, ...extras]
    .filter((r) => !unlisted.includes(r as ReferenceEntry))
    .map((r) => referenceKey(r).toUpperCase());
  const originalOrder = originalRefs.map((r) => referenceKey(r));
  if (originalRefs.length && rebuilt.join('\u0000') !== originalOrder.map((k) => k.toUpperCase()).join('\u0000'))
    seqXml.referenceOrder = originalOrder;
  // The order of <sequence>'s own children, when it is not tsq's.
  const canonical = [
    ...(rebuilt.length ? ['referenceList'] : []),
    ...(globalNames.length ? ['globalVarList'] : []),
    ...(steps.length ? ['steps'] : []),
    ...elements.map((x) => /^<([^\s/>]+)/.exec(x)?.[1] ?? ''),
  ];
  if (tokens.join(' ') !== canonical.join(' ')) seqXml.children = tokens;
  const styles = hoistStyles(imp.styled);
  if (styles) seqXml.styles = Object.fromEntries(Object.entries(styles).map(([k, v]) => [k, orderedXml(v)]));
  if (elements.length) {
    seqXml.elements = elements;
    ctx.report.warn(
      ctx.where,
      `kept ${elements.length} element(s) of <sequence> tsq does not know under \`configMgr.xml.elements\``,
    );
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

  const applications: string[] = [],
    packages: string[] = [];
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
