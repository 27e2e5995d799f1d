// The model of a `deployment:` file (a sequence deployed to a collection) — the fields the
// foundation knows; deployment rules and their simulation build on it.

import type { YMap } from './yaml/nodes';
import { ExpansionBudget, toJS } from './yaml/expand';
import { MapReader, spanOf, type Located } from './fields';
import type { Span } from './text';

export interface DeploymentModel {
  kind: 'deployment';
  name: string;
  nameSpan: Span;
  /** Path of the deployed sequence file, relative to this file. */
  sequence?: Located<string>;
  /** Collection ID (a catalog reference). */
  collection?: Located<string>;
  raw: Record<string, unknown>;
  root: YMap;
}

export function buildDeployment(root: YMap, budget: ExpansionBudget): DeploymentModel {
  const r = new MapReader(root, budget);
  const name = r.string('deployment');
  return {
    kind: 'deployment',
    name: name?.value ?? '',
    nameSpan: name?.span ?? spanOf(root),
    sequence: r.string('sequence'),
    collection: r.string('collection'),
    raw: toJS(root, budget) as Record<string, unknown>,
    root,
  };
}
