// Facts of ConfigMgr's `<sequence>` document that import and export must agree on: the version
// an export writes (an import keeps any other), and the WMI property each sequence variable of
// `<globalVarList>` is written under.

import { allSteps } from '../catalog';
import type { StepProperty } from '../catalog/types';

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
