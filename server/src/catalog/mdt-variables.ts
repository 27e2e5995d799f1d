// MDT's own variables (MDT calls them properties), from data/mdt-variables.json: what each one
// holds, where it comes from in an MDT deployment (Gather, an MDT script, CustomSettings.ini or
// BootStrap.ini rules, the Deployment Wizard, an MDT step's setting), and who would set it once
// MDT is gone; and from which point of a sequence lint knows each one (`knownFrom`: the rule is
// data, `known` in the JSON, with Microsoft's addresses). Hover and `tsq migrate` word them.

import data from './data/mdt-variables.json';

/** Where an MDT variable comes from in an MDT deployment. */
export type MdtVariableOrigin = 'gather' | 'script' | 'rules' | 'bootstrap' | 'step';

export interface MdtVariable {
  /** The name as Microsoft documents it; `{n}` stands for a zero-based index (`OSDAdapter{n}Name`). */
  name: string;
  origin: MdtVariableOrigin;
  /** Who sets it, in words (`ZTIGather (local fact, read-only)`). */
  setBy: string;
  summary: string;
  /** The Microsoft Learn page that documents it; absent when Learn does not. */
  docs?: string;
  /** A list read as NAME001, NAME002, … (MDT's numbering). */
  list?: boolean;
  /** The closest variable ConfigMgr sets itself, and what sets it. */
  configMgr?: string;
  configMgrSetBy?: string;
  /** For a `rules` variable: what else sets it besides CustomSettings.ini and the MDT database. */
  alsoSetBy?: 'wizard' | 'step' | 'script';
  /** The Microsoft Learn address that says `alsoSetBy` (a script's Properties table marking it Write, a step's text). */
  alsoSetByDocs?: string;
}

/**
 * From which point of a sequence lint knows an MDT variable: after a step that runs ZTIGather
 * (`after: 'gather'`), after one that also processes the rules, CustomSettings.ini or the MDT
 * database (`after: 'rules-gather'`); and, where Microsoft does not say at which step it is set,
 * anywhere in a sequence that uses MDT (`anywhere`).
 */
export interface MdtKnownFrom {
  after?: 'gather' | 'rules-gather';
  anywhere: boolean;
}

const VARIABLES = data.variables as MdtVariable[];
const BY_NAME = new Map(VARIABLES.filter((v) => !v.name.includes('{n}')).map((v) => [v.name.toLowerCase(), v]));
const PLAIN_NAMES = VARIABLES.filter((v) => !v.name.includes('{n}') && !v.list).map((v) => v.name);
const PATTERNS = VARIABLES.filter((v) => v.name.includes('{n}') || v.list).map((v) => ({
  v,
  regex: v.list ? new RegExp(`^${v.name}\\d+$`, 'i') : new RegExp(`^${v.name.replace('{n}', '\\d+')}$`, 'i'),
}));

export function allMdtVariables(): readonly MdtVariable[] {
  return VARIABLES;
}

const KNOWN_BY_ORIGIN = data.known.byOrigin as Record<
  MdtVariableOrigin,
  { after?: MdtKnownFrom['after']; anywhere?: boolean }
>;

/**
 * From which point lint knows `v` (data/mdt-variables.json, `known`): by its origin; a rules
 * property something else also sets, and a Gather fact Microsoft Learn does not document, are also
 * known anywhere in a sequence that uses MDT.
 */
export function knownFrom(v: MdtVariable): MdtKnownFrom {
  const rule = KNOWN_BY_ORIGIN[v.origin];
  const alsoElsewhere = (v.origin === 'rules' && !!v.alsoSetBy) || (v.origin === 'gather' && !v.docs);
  return { after: rule.after, anywhere: !!rule.anywhere || alsoElsewhere };
}

const KNOWN_WORDS = data.known as Record<'gather' | 'rules-gather', { says: string }>;

/** From which point lint knows `v`, in one sentence for hover (the rule of `knownFrom`, as its data words it). */
export function knownFromWords(v: MdtVariable): string {
  const known = knownFrom(v);
  if (known.anywhere || !known.after)
    return 'Known anywhere in a sequence that uses MDT: Microsoft does not say at which step it is set.';
  return KNOWN_WORDS[known.after].says;
}

/** The names of MDT variables without an index or list suffix, for "did you mean". */
export function plainMdtVariableNames(): readonly string[] {
  return PLAIN_NAMES;
}

/** The MDT variable `name` is (case ignored; `OSDAdapter0Name` is `OSDAdapter{n}Name`, `Applications001` is `Applications`). */
export function findMdtVariable(name: string): MdtVariable | undefined {
  const exact = BY_NAME.get(name.toLowerCase());
  if (exact) return exact;
  for (const p of PATTERNS) if (p.regex.test(name)) return p.v;
  return undefined;
}

/** Where an MDT variable's value would come from in a sequence without MDT, in one sentence. */
export function withoutMdt(v: MdtVariable): string {
  if (v.configMgr)
    return `ConfigMgr's nearest variable is \`${v.configMgr}\` (set by ${v.configMgrSetBy}); conditions that read \`${v.name}\` must be rewritten to it, and its values may be written differently.`;
  switch (v.origin) {
    case 'gather':
      return 'ConfigMgr does not gather it: a Run PowerShell Script step that sets it through the TSEnvironment object, or a collection or device variable.';
    case 'script':
      return 'Nothing sets it once the MDT scripts are gone: set it with Set Task Sequence Variable, or change what reads it.';
    case 'rules':
    case 'bootstrap':
      return 'CustomSettings.ini, BootStrap.ini and the MDT database are not read any more: a collection or device variable, a Set Dynamic Variables rule or a Set Task Sequence Variable step.';
    case 'step':
      return 'It was a setting of an MDT step: set it with Set Task Sequence Variable if something still reads it.';
  }
}
