// The shape of the `tsq/machineProfiles` request (lsp/machine-profiles.ts answers it), with no code
// behind it, so that the VS Code client can share it without taking in the server: the machine
// profiles of the workspace, read and checked by the server whether or not the editor has them
// open, so that F5's machine picker offers only the ones the simulator can use.

export const MACHINE_PROFILES_REQUEST = 'tsq/machineProfiles';

export interface MachineProfilesParams {
  /** The file to simulate: the profiles of its folder answer (every folder's when absent). */
  uri?: string;
}

export interface MachineProfile {
  uri: string;
  /** The file's path on disk. */
  path: string;
  /** `machine:` of the profile. */
  name: string;
  architecture?: string;
  firmware?: string;
  startsIn?: string;
  /** Error diagnostics of the file, as the Problems panel would show them. */
  errors: number;
  /** The first error's message and 1-based line, when there is one. */
  firstError?: { line: number; message: string };
}

export interface MachineProfilesResult {
  profiles: MachineProfile[];
}
