// What `tsq export --format tsqpkg --media M` packs: the media's content set — the sequence it
// carries, the children that sequence runs, the catalog entries they use plus the media's boot
// image, the machine profiles the media names, and the media file itself — for a package that is
// always protected with the media's password (an environment variable or a prompt, never written
// in the file). The package itself is the tsqpkg exporter's.

import type { TsqDocument } from '../../model/document';
import type { MediaModel, MediaPassword } from '../../model/media';
import type { SequenceModel } from '../../model/sequence';
import type { Workspace } from '../../semantics/workspace';
import { resolveTarget, targetSequence } from '../../semantics/deployment-targets';
import { InteropError, type Outcome } from '../errors';
import type { PackageContents } from './index';

export interface MediaPackage {
  /** The sequence the media carries: the package's main file. */
  sequence: TsqDocument;
  contents: PackageContents;
  /** Where the package password comes from. */
  password: MediaPassword;
}

/** The media's content set, or why it cannot be packed. */
export function mediaPackage(ws: Workspace, mediaDoc: TsqDocument): Outcome<MediaPackage> {
  const fail = (message: string, hint?: string): Outcome<MediaPackage> => ({
    ok: false,
    error: new InteropError(message, hint),
  });
  const media = mediaDoc.model as MediaModel | undefined;
  if (mediaDoc.kind !== 'media' || !media)
    return fail(`${mediaDoc.id} is not a media file.`, 'Give a file that starts with `media:`.');
  if (media.mediaType !== 'standalone' && media.mediaType !== 'prestaged') {
    return fail(
      `“${media.name}” is ${media.mediaType ? `${media.mediaType} media` : 'media of no known type'}, which carry no task sequence, so there is nothing to pack.`,
      'Only stand-alone and prestaged media carry a sequence and its content.',
    );
  }
  const sequence = targetSequence(ws, mediaDoc, media.sequence);
  if (!sequence)
    return fail(
      `The sequence of “${media.name}” (${media.sequence?.value ?? 'no `sequence:`'}) cannot be found.`,
      'Correct `sequence:` in the media file (tsq lint shows the same).',
    );
  if (!media.password) {
    return fail(
      `“${media.name}” names no password, and a media package is always protected.`,
      'Add `password: { env: NAME }` (read from an environment variable) or `password: { prompt: true }` to the media file.',
    );
  }
  const machines: TsqDocument[] = [];
  for (const ref of media.machines) {
    const doc = resolveTarget(ws, mediaDoc, ref)?.doc;
    if (doc?.kind === 'machine' && !machines.includes(doc)) machines.push(doc);
  }
  const bootImage = media.bootImage?.value.trim() || (sequence.model as SequenceModel).bootImage?.value.trim();
  return {
    ok: true,
    value: {
      sequence,
      contents: {
        machines,
        extraDocs: [mediaDoc],
        extraReferences: bootImage ? [{ kind: 'bootImage', id: bootImage }] : [],
      },
      password: media.password,
    },
  };
}
