// Small in-memory workspaces for the deployment and media tests: a catalog whose site settings
// and collections each test chooses, an OS deployment sequence, a custom sequence, and helpers
// that lint one file and pick the findings of one rule.
import { parseDocument } from '../../server/src/model/document';
import { Workspace } from '../../server/src/semantics/workspace';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import type { Diagnostic } from '../../server/src/analysis/diagnostic';
import { normalisePath } from '../../server/src/util/paths';

export const ROOT = normalisePath('/work/fixtures');

export function path(name: string): string {
  return `${ROOT}/${name}`;
}

/** A workspace of the given files (names relative to ROOT). */
export function workspace(files: Record<string, string>): Workspace {
  const ws = new Workspace();
  for (const [name, text] of Object.entries(files)) ws.upsert(parseDocument(path(name), text));
  return ws;
}

/** Findings for `name`, of `code` when given. */
export function findings(ws: Workspace, name: string, code?: string): Diagnostic[] {
  const doc = ws.get(path(name));
  if (!doc) throw new Error(`no document ${name} in the test workspace`);
  const all = analyzeDocument(ws, doc);
  return code ? all.filter((d) => d.code === code) : all;
}

/** The text a finding's range covers. */
export function covered(ws: Workspace, d: Diagnostic): string {
  return ws.get(d.docId)!.text.slice(d.start, d.end);
}

export interface CatalogOptions {
  /** Lines of the `site:` block (indented by the caller's two spaces). */
  site?: string;
  /** Extra collection entries, as YAML list items. */
  collections?: string;
}

export function catalog(options: CatalogOptions = {}): string {
  return `catalog: Test site
siteCode: CM1
${options.site ? `site:\n${options.site}\n` : ''}packages:
  - { id: CM100010, name: Client, share: true }
  - { id: CM100077, name: Scripts, programs: [Install], share: false }
  - { id: CM100078, name: Branding, programs: [Install] }
osImages:
  - { id: CM100042, name: Windows 11, architecture: x64, indexes: [1, 3], sizeMB: 5210, share: true }
  - { id: CM100043, name: Windows 10 x86, architecture: x86, indexes: [1], sizeMB: 3100 }
  - { id: CM100044, name: Windows 11 multicast, architecture: x64, indexes: [1], multicast: true }
upgradePackages:
  - { id: CM100045, name: Windows 11 upgrade, architecture: x64, sizeMB: 6000 }
driverPackages:
  - { id: CM100050, name: Laptop drivers, architecture: x64, share: true }
  - { id: CM100059, name: Tablet drivers, architecture: x86 }
bootImages:
  - { id: CM100005, name: Boot image (x64), architecture: x64 }
  - { id: CM100006, name: Boot image (x86), architecture: x86 }
collections:
  - { id: CM100015, name: Lab, type: device, members: 42 }
  - { id: CM100061, name: Finance users, type: user, members: 80 }
${options.collections ?? ''}`;
}

/** An OS deployment: Windows PE part, Apply OS Image, drivers, client, then a script in the full OS. */
export const OS_SEQUENCE = `sequence: Deploy Windows 11
bootImage: CM100005
steps:
  - name: Partition
    action: FormatAndPartitionDisk
    with: { disk: 0, partitionStyle: gpt, partitions: [{ type: primary, fileSystem: ntfs, size: 100, sizeUnits: percent }] }
  - name: Apply Windows
    id: apply-os
    action: ApplyOperatingSystemImage
    with: { image: CM100042, index: 3 }
  - name: Drivers
    action: ApplyDriverPackage
    with: { driverPackage: CM100050 }
  - name: Setup Windows and ConfigMgr
    action: SetupWindowsAndConfigMgr
    with: { clientPackage: CM100010 }
  - name: Script
    run: cmd.exe /c setup.cmd
    package: CM100078
`;

/** A custom sequence: no boot image, no OS, one script. */
export const CUSTOM_SEQUENCE = `sequence: Configure
steps:
  - name: Script
    run: cmd.exe /c configure.cmd
    package: CM100078
`;

/** A deployment of `sequence` to `collection` with extra lines. */
export function deployment(sequence: string, collection: string, extra = ''): string {
  return `deployment: Test deployment\nsequence: ${sequence}\ncollection: ${collection}\n${extra}`;
}
