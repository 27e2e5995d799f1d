// The StepData of a parsed step: what export (and the checks that must agree with it) writes a
// step from — its options in written order, its step options, and its `xml:` read leniently.

import type { StepNode } from '../../model/sequence';
import { findStep } from '../../catalog';
import { readNodeXml } from './nodexml';
import type { StepData } from '../steps/stepdata';

/** The StepData of a parsed step (options in written order, `xml:` read leniently). */
export function stepData(node: StepNode, problems: string[]): StepData {
  const options = new Map<string, unknown>();
  for (const o of node.options) options.set(o.name, o.value);
  const xml = readNodeXml(node.xml, problems);
  const def = findStep(node.action);
  const exact = def && def.key === node.action ? def : undefined;
  const raw = node.shorthand && xml.type !== undefined && (xml.type === null || xml.type.toLowerCase() !== 'sms_tasksequence_runcommandlineaction');
  return {
    def: raw ? undefined : exact,
    name: node.name,
    description: node.description,
    disabled: node.disabled,
    continueOnError: node.continueOnError,
    timeout: node.timeout?.value,
    successCodes: node.successCodes?.value,
    retryCount: node.retryCount?.value,
    runFromNet: node.runFromNet?.value,
    options,
    xml,
  };
}
