// What import and export both need to know about one step, independent of where it came from:
// its catalog definition, its DSL options, its step-level settings and the preserved `xml:`
// details. Export builds it from the parsed YAML model; import builds it from the XML and then
// asks the exporter's functions what they would write, to record only the differences.

import type { StepDefinition } from '../../catalog/types';
import type { Layout } from './layout';

/** One `<variable>` tsq does not map, kept verbatim (or as raw XML text when it has odd parts). */
export interface RawVariable {
  name?: string;
  property?: string;
  /** The `hidden` attribute as written, when present. */
  hidden?: string;
  value: string;
}

/** A different spelling of one setting's `<variable>` (MDT files vary names, properties and hidden flags). */
export interface Spelling {
  name?: string;
  property?: string;
  hidden?: boolean;
}

/**
 * The `xml:` key of a step or group: ConfigMgr details tsq does not model, kept from an import so
 * export reproduces them. Every field is optional; its shape is documented in docs/interop.md.
 */
export interface NodeXml {
  /** The element's `type` attribute when it is not the catalog's (null: the element has none). */
  type?: string | null;
  /** Attributes tsq does not model or writes differently (null: leave the attribute out). */
  attributes?: Record<string, string | null>;
  /** The `<action>` text as ConfigMgr had it, when the catalog's template gives something else. */
  action?: string;
  /** Fingerprint of the template's command line at import; a different one means the step changed. */
  actionCheck?: string;
  /** Settings whose `<variable>` was spelled differently from ConfigMgr's spelling, by option path. */
  names?: Record<string, Spelling>;
  /** Option paths of `<variable>`s ConfigMgr's own export would write but this step lacked. */
  unset?: string[];
  /** `<variable>`s tsq could not map, in order (a string holds raw XML). */
  variables?: (RawVariable | string)[];
  /** Child elements tsq does not know, as XML text. */
  elements?: string[];
  /**
   * The `<condition>` as XML text: when it could not become a `when:`, or when the `when:` would
   * be written in other words (MDT's `Equals`, another variable order). With `whenCheck` it is
   * written only while the `when:` is the one imported.
   */
  condition?: string;
  /** Fingerprint of the imported `when:`; a different one means the condition was edited. */
  whenCheck?: string;
  /** How the element was laid out by its writer (order, spellings), where tsq's way differs. */
  layout?: Layout;
  /**
   * The whole element as XML text, for the rare step no layout gives back; written only while
   * what tsq would write for the step has the fingerprint `verbatimCheck` (the step is unchanged).
   */
  verbatim?: string;
  verbatimCheck?: string;
}

export interface StepData {
  /** The catalog step; undefined for a step kept raw (unknown type: its `run:` is the action). */
  def?: StepDefinition;
  name: string;
  description?: string;
  disabled: boolean;
  continueOnError: boolean;
  /** Seconds. */
  timeout?: number;
  successCodes?: number[];
  retryCount?: number;
  runFromNet?: boolean;
  /** DSL options (under `with:`, plus `commandLine`/`package` from `run:`), in written order. */
  options: Map<string, unknown>;
  xml: NodeXml;
}

/** What export knows about a child sequence a Run Task Sequence step names. */
export interface ChildInfo {
  packageId?: string;
  name?: string;
  /** References the child makes (for TsReferenceApplications / TsReferencePackages); undefined when unknown. */
  applications?: string[];
  packages?: string[];
}

export interface StepContext {
  /** Resolves a Run Task Sequence `sequence:` value (a path or a package ID). */
  child(ref: string): ChildInfo | undefined;
}

export const NO_CHILDREN: StepContext = { child: () => undefined };
