// Import while the XML is still being read: the reader's `closed` hook hands each finished group
// or step of a sequence to the importer at once and puts a placeholder in its place, so the
// reader can let the element go (on a 10 MB sequence the whole tree held ~40 MB that every
// collection copied). The importer's walk over the tree later takes each result, with the notes
// its mapping made, in document order, as if it had mapped the part itself. This file only
// schedules; what a group or step becomes is the importer's business (sequence.ts).

import type { ReadXmlOptions } from '../xml/read';
import { attr, type XmlElement, type XmlNode } from '../xml/tree';
import { Report } from '../report';

/** What the importer offers: map one group or step found at `path`, its notes going to `notes`. */
export interface PartMapper {
  mapPart(e: XmlElement, path: string[], notes: Report): Record<string, unknown>;
}

/**
 * A part mapped early: its result, or the failure its mapping met (raised when the walk reaches
 * the part, after its notes, so a refusal is the one a whole-tree import gives and where it
 * gives it), and the notes either way.
 */
export type EarlyPart = { value: Record<string, unknown>; notes: Report } | { failure: unknown; notes: Report };

/** The name of the placeholder elements (no XML name can start with `#`). */
const PLACEHOLDER = '#mapped';

export class EarlyParts {
  private readonly parts = new Map<XmlNode, EarlyPart>();

  constructor(private readonly mapper: PartMapper) {}

  /**
   * The reader hook. Maps a group or step as soon as it is complete when the importer's walk
   * would map it too (its parents are groups up to a `<sequence>` root); anything else stays in
   * the tree for the walk.
   */
  readonly closed: NonNullable<ReadXmlOptions['closed']> = (e, ancestors) => {
    if (e.name !== 'group' && e.name !== 'step' && e.name !== 'subtasksequence') return undefined;
    if (ancestors.length === 0 || ancestors[0].name !== 'sequence') return undefined;
    const path: string[] = [];
    for (let i = 1; i < ancestors.length; i++) {
      if (ancestors[i].name !== 'group') return undefined;
      path.push(attr(ancestors[i], 'name') ?? '');
    }
    const notes = new Report();
    let part: EarlyPart;
    try {
      part = { value: this.mapper.mapPart(e, path, notes), notes };
    } catch (failure) {
      part = { failure, notes };
    }
    const placeholder: XmlElement = { kind: 'element', name: PLACEHOLDER, attrs: {}, children: [] };
    this.parts.set(placeholder, part);
    return placeholder;
  };

  /** Whether a node is the placeholder of a part mapped early (not an element of the file). */
  has(node: XmlNode): boolean {
    return this.parts.has(node);
  }

  /** The part a placeholder stands for, handed over once. */
  take(node: XmlNode): EarlyPart | undefined {
    if (node.kind !== 'element' || node.name !== PLACEHOLDER) return undefined;
    const part = this.parts.get(node);
    this.parts.delete(node);
    return part;
  }
}
