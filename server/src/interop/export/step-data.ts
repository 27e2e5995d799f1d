// The StepData of a parsed step: what export (and the checks that must agree with it) writes a
// step from — its options in written order, its step options, and its `xml:` read leniently over
// the style its kind has in `configMgr.xml.styles`.

import type { StepNode } from '../../model/sequence';
import { findStep } from '../../catalog';
import { styleKey } from '../sequence-format';
import { readNodeXml } from './nodexml';
import type { NodeXml, StepData } from '../steps/stepdata';

/**
 * A node's `xml:` over its type's style (`configMgr.xml.styles`): what the node says wins. A
 * node's layout replaces the style's whole (`layout: {}` is tsq's own way), as a layout is one
 * description of how the element is written.
 */
export function withStyle(xml: NodeXml, style: NodeXml | undefined): NodeXml {
  if (!style) return xml;
  const out: NodeXml = { ...style, ...xml };
  if (style.attributes && xml.attributes) out.attributes = { ...style.attributes, ...xml.attributes };
  if (style.names && xml.names) out.names = { ...style.names, ...xml.names };
  return out;
}

/** The StepData of a parsed step (options in written order, `xml:` read leniently, over its type's style). */
export function stepData(node: StepNode, problems: string[], styles: Record<string, NodeXml> = {}): StepData {
  const options = new Map<string, unknown>();
  for (const o of node.options) options.set(o.name, o.value);
  const own = readNodeXml(node.xml, problems);
  const def = findStep(node.action);
  const exact = def && def.key === node.action ? def : undefined;
  const raw =
    node.shorthand &&
    own.type !== undefined &&
    (own.type === null || own.type.toLowerCase() !== 'sms_tasksequence_runcommandlineaction');
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
    xml: withStyle(own, styles[styleKey(raw ? undefined : exact, own.type)]),
  };
}
