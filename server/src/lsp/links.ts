// Document links: the child sequence paths of Run Task Sequence steps (and the `sequence:` of
// deployments and media) open the file they name.

import type { DocumentLink } from 'vscode-languageserver';
import type { SequenceModel } from '../model/sequence';
import type { DeploymentModel } from '../model/deployment';
import type { MediaModel } from '../model/media';
import { childCalls } from '../semantics/children';
import type { FileEntry, FileIndex } from './projects';

export function documentLinks(index: FileIndex, entry: FileEntry): DocumentLink[] {
  const at = index.positions(entry);
  const doc = entry.doc;
  const link = (start: number, end: number, targetId: string): DocumentLink => ({
    range: { start: at.positionAt(start), end: at.positionAt(end) },
    target: index.uriOf(targetId),
    tooltip: 'Open the child sequence',
  });
  if (doc.kind === 'sequence' && doc.model) {
    return childCalls(entry.project.ws, doc.id, doc.model as SequenceModel)
      .filter((c) => c.target.doc)
      .map((c) => link(c.refStart, c.refEnd, c.target.doc!.id));
  }
  if ((doc.kind === 'deployment' || doc.kind === 'media') && doc.model) {
    const ref = (doc.model as DeploymentModel | MediaModel).sequence;
    const target = ref ? entry.project.ws.resolveChild(doc.id, ref.value.trim()) : undefined;
    return ref && target?.doc ? [link(ref.span.start, ref.span.end, target.doc.id)] : [];
  }
  return [];
}
