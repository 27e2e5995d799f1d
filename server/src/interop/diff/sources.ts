// What `tsq diff` can compare: a sequence XML file, a ConfigMgr export .zip (one sequence, or the
// one with the given package ID) or a *.tsq.yaml sequence (exported in memory first), each read
// into its `<sequence>` element.

import { attemptAsync, InteropError, type Outcome } from '../errors';
import { readXml } from '../xml/read';
import type { XmlElement } from '../xml/tree';
import { readZip } from '../opc/zip';
import { parseConfigMgrPackage } from '../opc/configmgr';
import { sequenceToXml } from '../export/sequence-xml';
import type { Workspace } from '../../semantics/workspace';
import type { TsqDocument } from '../../model/document';

export interface DiffSource {
  /** File name for messages. */
  name: string;
  bytes: Buffer;
  /** For *.tsq.yaml sources: the loaded document and its workspace. */
  document?: { doc: TsqDocument; ws: Workspace };
}

const looksLikeZip = (b: Buffer) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b;

export async function sequenceOf(source: DiffSource, packageId?: string): Promise<Outcome<XmlElement>> {
  return attemptAsync(async () => {
    if (source.document) {
      const { doc, ws } = source.document;
      return sequenceToXml(doc, ws).root;
    }
    if (looksLikeZip(source.bytes)) {
      const pkg = parseConfigMgrPackage(await readZip(source.bytes, source.name), source.name);
      const pick = packageId
        ? pkg.sequences.find((s) => s.id.toUpperCase() === packageId.toUpperCase())
        : pkg.sequences.length === 1
          ? pkg.sequences[0]
          : undefined;
      if (!pick) {
        throw new InteropError(
          packageId
            ? `${source.name} holds no task sequence ${packageId}.`
            : `${source.name} holds ${pkg.sequences.length} task sequences (${pkg.sequences.map((s) => s.id).join(', ')}).`,
          'Say which one with --package ID.',
        );
      }
      return pick.sequence;
    }
    const root = readXml(source.bytes, { source: source.name }).root;
    if (root.name !== 'sequence')
      throw new InteropError(`${source.name} is not a task sequence (its root element is <${root.name}>).`);
    return root;
  });
}
