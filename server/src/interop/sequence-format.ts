// Facts of ConfigMgr's `<sequence>` document that import and export must agree on: the version
// an export writes (an import keeps any other), the WMI property each sequence variable of
// `<globalVarList>` is written under, and the keys under which an import records the file's
// styles and reference order (`configMgr.xml`) for the export to write them back.

import { allSteps } from '../catalog';
import type { StepDefinition, StepProperty } from '../catalog/types';

/** The style key of groups in `configMgr.xml.styles`. */
export const GROUP_STYLE = 'group';

/**
 * The style key of a step in `configMgr.xml.styles`: its type attribute as written (so a style
 * is about one kind of element), `untyped` for MDT's command lines without one.
 */
export function styleKey(def: StepDefinition | undefined, xmlType: string | null | undefined): string {
  const type = xmlType !== undefined ? xmlType : def?.xmlType;
  return type === null || type === undefined ? 'untyped' : type;
}

/** The key of a `<referenceList>` entry in `configMgr.xml.referenceOrder`. */
export function referenceKey(r: { package?: string; application?: string }): string {
  return r.application ?? r.package ?? '';
}

export const CONFIGMGR_SEQUENCE_VERSION = '3.10';

/** The WMI property a sequence variable maps to: the step setting that reads it, else its own name. */
let propertyByVariable: Map<string, string> | undefined;
export function globalVariableProperty(name: string): string {
  if (!propertyByVariable) {
    const m = new Map<string, string>();
    const seen = new Map<string, Set<string>>();
    const note = (v: string | undefined, p: StepProperty) => {
      if (!v || v.includes('{n}')) return;
      const k = v.toLowerCase();
      if (!seen.has(k)) seen.set(k, new Set());
      seen.get(k)!.add(p.xmlProperty);
    };
    for (const s of allSteps()) for (const p of s.properties) note(p.xmlVariable, p);
    // Only unambiguous names: a variable two steps read under different WMI names keeps its own name.
    for (const [k, props] of seen) if (props.size === 1) m.set(k, [...props][0]);
    propertyByVariable = m;
  }
  return propertyByVariable.get(name.toLowerCase()) ?? name;
}
