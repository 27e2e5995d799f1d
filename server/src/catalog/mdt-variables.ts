// MDT's own variables (MDT calls them properties), from data/mdt-variables.json: what each one
// holds, where it comes from in an MDT deployment (Gather, an MDT script, CustomSettings.ini or
// BootStrap.ini rules, the Deployment Wizard, an MDT step's setting), and who would set it once
// MDT is gone. Lint knows these names in sequences that use MDT; hover and `tsq migrate` word them.

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
}

const VARIABLES = data.variables as MdtVariable[];
const BY_NAME = new Map(VARIABLES.filter((v) => !v.name.includes('{n}')).map((v) => [v.name.toLowerCase(), v]));
const PATTERNS = VARIABLES.filter((v) => v.name.includes('{n}') || v.list).map((v) => ({
  v,
  regex: v.list ? new RegExp(`^${v.name}\\d+$`, 'i') : new RegExp(`^${v.name.replace('{n}', '\\d+')}$`, 'i'),
}));

export function allMdtVariables(): readonly MdtVariable[] {
  return VARIABLES;
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
