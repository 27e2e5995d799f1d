// The run options a deployment file implies, for the runs that start from a deployment or from
// media. Files are already in the workspace: this module reads no disk.

import type { TsqDocument } from '../model/document';
import { contentOptionOf, type DeploymentModel } from '../model/deployment';
import type { Workspace } from '../semantics/workspace';
import type { SimulationOptions } from './types';

/**
 * Run options a deployment file implies: its content option (`content:` with one of the
 * simulator's modes) and the variables of the collection it targets, from the catalog.
 */
export function deploymentOptions(ws: Workspace, deployment: TsqDocument | undefined): SimulationOptions {
  const model = deployment?.model as DeploymentModel | undefined;
  if (!model || model.kind !== 'deployment') return {};
  const out: SimulationOptions = { deploymentId: model.id?.value ?? model.name, content: contentOptionOf(model) };
  const collection = model.collection ? ws.catalog.collection(model.collection.value) : undefined;
  const vars = collection?.raw.variables;
  if (vars && typeof vars === 'object' && !Array.isArray(vars)) {
    out.collectionVariables = Object.fromEntries(
      Object.entries(vars as Record<string, unknown>)
        .filter(([, v]) => v !== null && typeof v !== 'object')
        .map(([k, v]) => [k, String(v)]),
    );
  }
  return out;
}
