// The mapping table of `tsq migrate` (data/mdt-steps.json), typed and looked up: for an MDT step,
// an MDT script a command line runs, a path into the deployment share, or a step MDT writes in
// its own form, the entry that says what MDT did, what replaces it in ConfigMgr and why.

import data from './data/mdt-steps.json';

/** What happens to a step: replaced by native steps, replaced but a person must check something, or left as it is. */
export type MigrationStatus = 'migrated' | 'review' | 'kept';

/** How a step is converted (migrate/convert-step.ts has one conversion per name). */
export type Conversion =
  | 'keep'
  | 'remove'
  | 'toolkit'
  | 'native-form'
  | 'check-readiness'
  | 'apply-os'
  | 'drivers'
  | 'install-application'
  | 'powershell'
  | 'join-domain'
  | 'bitlocker'
  | 'disable-bitlocker'
  | 'capture-user-state'
  | 'restore-user-state'
  | 'software-updates'
  | 'prepare-capture'
  | 'windows-settings'
  | 'next-phase'
  | 'connect-folder';

/** A step MDT writes in a form of its own, though ConfigMgr has the step type. */
export type MdtForm = 'untyped-command' | 'restart';

export interface MappingEntry {
  id: string;
  match: { action?: string; script?: string; args?: string; share?: boolean; form?: MdtForm };
  /** MDT's name for the step. */
  mdt: string;
  /** What the step did in MDT, as a phrase after "it". */
  did: string;
  /** DSL keys of the native steps that do the job (the first is what a conversion writes). */
  native: string[];
  convert: Conversion;
  status: MigrationStatus;
  reason: string;
  /** What an admin must provide instead, when the step is kept. */
  provide?: string;
  /** Variables later steps read from what the step did. */
  readLater?: string[];
  /** The Microsoft pages the mapping rests on. */
  docs: string[];
}

const ENTRIES = data.entries as MappingEntry[];
const BY_ACTION = new Map(ENTRIES.filter((e) => e.match.action).map((e) => [e.match.action!, e]));
const BY_FORM = new Map(ENTRIES.filter((e) => e.match.form).map((e) => [e.match.form!, e]));

function only<T>(value: T | undefined, what: string): T {
  if (!value) throw new Error(`the MDT mapping table has no ${what}`);
  return value;
}

const UNDOCUMENTED = only(
  ENTRIES.find((e) => e.match.script === '*'),
  'entry for undocumented scripts',
);
const SHARE = only(
  ENTRIES.find((e) => e.match.share),
  'entry for deployment share paths',
);

export function mappingEntries(): readonly MappingEntry[] {
  return ENTRIES;
}

/** The entry of an MDT step (a DSL action key of the catalog). */
export function entryForAction(action: string): MappingEntry | undefined {
  return BY_ACTION.get(action);
}

/**
 * The entry of an MDT script run with `args` (`LTIApply.wsf /PE` is Apply Windows PE, plain
 * `LTIApply.wsf` Install Operating System); scripts Microsoft does not document get the entry
 * that says so.
 */
export function entryForScript(script: string, args: string): MappingEntry {
  const name = script.toLowerCase();
  const words = args.toLowerCase().split(/\s+/);
  const candidates = ENTRIES.filter((e) => e.match.script?.toLowerCase() === name);
  return (
    candidates.find((e) => e.match.args && words.includes(e.match.args)) ??
    candidates.find((e) => !e.match.args) ??
    UNDOCUMENTED
  );
}

export function entryForShare(): MappingEntry {
  return SHARE;
}

export function entryForForm(form: MdtForm): MappingEntry {
  return only(BY_FORM.get(form), `entry for MDT's ${form} form`);
}
