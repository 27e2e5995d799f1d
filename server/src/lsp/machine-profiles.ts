// `tsq/machineProfiles`: the machine profiles of the workspace folder a sequence is in, each with
// how many errors the checks find in it, for F5's machine picker. The server has every file of the
// folder read already (through files/read.ts, with its size cap and refusals), open in the editor or
// not, so the picker no longer depends on which files VS Code happens to have diagnostics for.

import { ProtocolRequestType } from 'vscode-languageserver/node';
import type { Diagnostic } from '../analysis/diagnostic';
import type { MachineModel } from '../model/machine';
import type { FileEntry, FileIndex, Project } from './projects';
import { isFileId } from './uri';
import {
  MACHINE_PROFILES_REQUEST,
  type MachineProfile,
  type MachineProfilesParams,
  type MachineProfilesResult,
} from '../frontend/machine-profiles-protocol';

export const MachineProfilesRequest = new ProtocolRequestType<
  MachineProfilesParams,
  MachineProfilesResult,
  never,
  void,
  void
>(MACHINE_PROFILES_REQUEST);

/** Which projects a request is about: the file's, or every workspace folder's. */
export function projectsAsked(index: FileIndex, uri: string | undefined): Project[] {
  if (uri) return [index.projectOf(uri)];
  return index.projects.filter((p) => p.folder !== undefined);
}

export function machineProfiles(
  index: FileIndex,
  params: MachineProfilesParams,
  diagnosticsOf: (entry: FileEntry) => Diagnostic[],
): MachineProfilesResult {
  const profiles: MachineProfile[] = [];
  for (const project of projectsAsked(index, params.uri))
    for (const entry of project.files.values()) {
      const model = entry.doc.model;
      if (entry.doc.kind !== 'machine' || model?.kind !== 'machine' || !isFileId(entry.id)) continue;
      const errors = diagnosticsOf(entry).filter((d) => d.severity === 'error');
      const first = errors.length ? [...errors].sort((a, b) => a.start - b.start)[0] : undefined;
      profiles.push({
        uri: entry.uri,
        path: entry.id,
        ...describeMachine(model),
        errors: errors.length,
        firstError: first && {
          line: entry.doc.lineMap.positionAt(first.start).line + 1,
          message: first.message,
        },
      });
    }
  profiles.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { profiles };
}

function describeMachine(model: MachineModel): Pick<MachineProfile, 'name' | 'architecture' | 'firmware' | 'startsIn'> {
  return {
    name: model.name,
    architecture: model.architecture?.value,
    firmware: model.firmware?.value,
    startsIn: model.startsIn?.value,
  };
}
