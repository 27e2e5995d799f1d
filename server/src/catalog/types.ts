// The shape of tsq's built-in knowledge: ConfigMgr (and MDT) steps with their properties, the
// task sequence variables, and the kinds of content a step can reference. The data lives in
// ./data/*.json (facts from https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps
// and .../task-sequence-variables, descriptions in our own words); this file is the contract every
// part of tsq reads it through.

/** Where a step may run, as ConfigMgr writes it in `runIn`. */
export type RunEnvironment = 'WinPE' | 'FullOS' | 'WinPEandFullOS';

/** Kinds of site objects a step (or a sequence) can reference; each maps to a catalog list. */
export type ReferenceKind =
  | 'package' // SMS_Package: standard, client, USMT, MDT toolkit, sysprep, config packages
  | 'application' // SMS_Application, by model name
  | 'osImage' // SMS_ImagePackage (.wim)
  | 'osUpgradePackage' // SMS_OperatingSystemInstallPackage (setup media)
  | 'driverPackage' // SMS_DriverPackage
  | 'bootImage' // SMS_BootImagePackage (the sequence's boot image)
  | 'childSequence'; // another task sequence (a *.tsq.yaml path, or a package ID in a catalog)

/**
 * Value types of step properties in the DSL.
 * - `reference` / `referenceList`: IDs of catalog objects of `reference` kind (a list for several);
 * - `objectList`: a list of mappings described by `items` (partitions, network adapters, ...);
 * - `stringList`: a list of strings (e.g. success codes, category IDs);
 * - `dynamicRules`: Set Dynamic Variables' rules — a list of rules in YAML, or the XML text
 *   ConfigMgr stores (semantics/dynamic-rules.ts reads and writes both).
 */
export type PropertyType =
  | 'string'
  | 'integer'
  | 'boolean'
  | 'enum'
  | 'reference'
  | 'referenceList'
  | 'stringList'
  | 'objectList'
  | 'dynamicRules';

export interface EnumValue {
  /** The value written in the DSL (lower camelCase, e.g. `gpt`, `winpe`, `domain`). */
  value: string;
  /** The value ConfigMgr stores in the XML (e.g. `GPT`, `WinPE`, `0`). Readers compare it case-insensitively. */
  xml: string;
  /** Other spellings met in real files (MDT writes `%` for `PERCENT`); accepted on import, never written. */
  xmlAliases?: string[];
  summary?: string;
}

export interface StepProperty {
  /** DSL name under `with:` (lower camelCase, chosen once and used everywhere). */
  name: string;
  /**
   * WMI property of the step class (XML `<variable property=...>`). Inside `items` it holds `{n}` for
   * the entry index (`Partitions{n}Type`), except for WMI-only lists that never appear in the XML.
   */
  xmlProperty: string;
  /**
   * Task sequence variable the step reads (XML `<variable name=...>`); absent when not in
   * `defaultVarList` (such values reach the step only through its command line, or not at all).
   * On an `objectList` it is the base name whose value is the entry count (`OSDPartitions`).
   */
  xmlVariable?: string;
  /** Other variable names seen for this property in MDT-authored files (accepted on import). */
  mdtXmlVariables?: string[];
  type: PropertyType;
  enum?: EnumValue[];
  /** For `reference` and `referenceList`. */
  reference?: ReferenceKind;
  /** For `objectList`: the properties of each entry (their xmlVariable holds `{n}` for the index). */
  items?: StepProperty[];
  /** Value ConfigMgr uses when the property is not given (DSL spelling; a list for `stringList`). */
  default?: string | number | boolean | string[];
  /** For `stringList` / `referenceList`: the separator that joins the entries in the XML value. */
  listSeparator?: string;
  /**
   * The property holds the number of entries of another list property (DSL name), e.g.
   * `numAdapters` counts `adapters`. Writers compute it; authors leave it out.
   */
  countOf?: string;
  required?: boolean;
  /** Required only when another property (DSL name) is set or empty. */
  requiredIf?: { property: string; is: 'set' | 'empty' };
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  /** A password or key: never written to exports; the DSL names an environment variable instead. */
  secret?: boolean;
  /** ConfigMgr writes `hidden="true"` on this variable. */
  hiddenInXml?: boolean;
  /** Position `%N` in the step's action command-line template. */
  commandLineArg?: number;
  /** Seen only in MDT-authored files. */
  mdtOnly?: boolean;
  /** What the property does, in our words. */
  summary: string;
}

export interface StepReference {
  kind: ReferenceKind;
  /** DSL property (under `with:`) that holds the reference. */
  property: string;
  required: boolean;
  /**
   * The step takes content of any package class, not only `kind` (Download Package Content takes
   * OS images, upgrade packages, driver packages, packages and boot images): a reference to any
   * of them is sound, and says nothing about which class the object is.
   */
  anyPackageClass?: boolean;
}

export interface StepDefinition {
  /** DSL action name: the display name in PascalCase (`ApplyOperatingSystemImage`). */
  key: string;
  displayName: string;
  xmlType: string;
  xmlElement: 'step' | 'subtasksequence';
  category: string;
  /** Environment as ConfigMgr writes it in exports (the simulator honours this). */
  runIn: RunEnvironment;
  /** Environment the documentation states, when it differs from `runIn` (linted as a warning). */
  docEnvironment?: RunEnvironment;
  source: 'configmgr' | 'mdt';
  /** Command-line template of the step class (`%1` = commandLineArg 1, `%%VAR%%` = a variable). */
  actionTemplate: string;
  /** Exit codes that count as success when the step does not say otherwise (its `successCodeList`). */
  successCodes: number[];
  /**
   * Exit codes of the installed program that the step turns into "succeeded, restart the computer,
   * then go on with the next step" (Install Application / Package / Software Updates: 3010). They
   * are handled by the step itself, so they are not part of `successCodes` in exports.
   */
  restartCodes?: number[];
  /** `retryCount` ConfigMgr writes for this step by default. */
  retryCount: number;
  /**
   * The documentation says a failure of this step fails the task sequence whatever continue on
   * error says (Setup Windows and ConfigMgr), so `continueOnError` has no effect on it.
   */
  failureFailsSequence?: boolean;
  properties: StepProperty[];
  references: StepReference[];
  /** What the step does, in our words (shown on hover and in completion). */
  summary: string;
  /** Link to the ConfigMgr documentation for this step. */
  docUrl?: string;
}

export type VariableType = 'string' | 'boolean' | 'integer' | 'enum';

export interface VariableUsage {
  /** DSL key of the step that reads (input) or sets (output) the variable. */
  step: string;
  direction?: 'input' | 'output';
}

export interface VariableDefinition {
  name: string;
  /** Names starting with `_` are set by the engine and cannot be written by sequences or admins. */
  readOnly: boolean;
  type: VariableType;
  values?: string[];
  default?: string;
  /** Holds a password or key (shown masked; never exported). */
  secret?: boolean;
  /** Base name of an array variable (`OSDAdapter0...`, `OSDPartitions0...`). */
  array?: boolean;
  usages: VariableUsage[];
  /**
   * For a variable ConfigMgr documents as read-only that MDT documents setting (from its rules:
   * Bootstrap.ini, CustomSettings.ini, the MDT database): the MDT page that says so.
   */
  settableByMdt?: string;
  /** What the variable means, in our words. */
  summary: string;
}
