// The model of a `media:` file (capture, stand-alone, bootable or prestaged media) — the fields
// the foundation knows; media rules build on it.

import type { YMap } from './yaml/nodes';
import { ExpansionBudget, toJS } from './yaml/expand';
import { MapReader, spanOf, type Located } from './fields';
import type { Span } from './text';

export interface MediaModel {
  kind: 'media';
  name: string;
  nameSpan: Span;
  type?: Located<string>;
  /** Path of the sequence file the media carries, relative to this file. */
  sequence?: Located<string>;
  bootImage?: Located<string>;
  raw: Record<string, unknown>;
  root: YMap;
}

export function buildMedia(root: YMap, budget: ExpansionBudget): MediaModel {
  const r = new MapReader(root, budget);
  const name = r.string('media');
  return {
    kind: 'media',
    name: name?.value ?? '',
    nameSpan: name?.span ?? spanOf(root),
    type: r.string('type'),
    sequence: r.string('sequence'),
    bootImage: r.string('bootImage'),
    raw: toJS(root, budget) as Record<string, unknown>,
    root,
  };
}
