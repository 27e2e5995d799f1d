// A YAML parser written for tsq's needs, measured against the alternatives (see
// docs/parser-choice.md): it keeps an exact source range for every key and value, recovers from
// errors line by line (one mistake yields one diagnostic, the rest of the file still parses), never
// throws, caps nesting depth, and registers an anchor only once its node is complete, so aliases
// can never form cycles. It reads YAML 1.2: block and flow collections, plain, quoted and block
// scalars, comments, anchors, aliases and tags; complex keys (`? ` or a list or mapping as a key)
// and several documents in one file are reported as unsupported. Type resolution follows the core
// schema.

import {
  hasMergeKey,
  isMergeKey,
  pairCount,
  keyTextAt,
  keyStartAt,
  keyEndAt,
  pairStartOf,
  type PairList,
  type PairSlot,
  type YamlDocument,
  type YamlError,
  type YComment,
  type YNode,
  type YScalar,
  type NodeProps,
  type YAlias,
} from './nodes';
import {
  resolvePlain,
  resolveTagged,
  decodeSingleQuoted,
  decodeDoubleQuoted,
  decodePlainMultiline,
  decodeBlockScalar,
  type BlockScalarHeader,
} from './scalars';
import { PlainScalarInterner } from './interner';
import { EntryStack } from './entry-stack';

export interface YamlParseOptions {
  /** Deepest collection nesting accepted; deeper content is skipped with one error. */
  maxDepth?: number;
}

export const DEFAULT_MAX_DEPTH = 500;

const SPACE = 0x20,
  TAB = 0x09,
  LF = 0x0a,
  CR = 0x0d,
  HASH = 0x23,
  COLON = 0x3a,
  DASH = 0x2d,
  COMMA = 0x2c,
  LBRACKET = 0x5b,
  RBRACKET = 0x5d,
  LBRACE = 0x7b,
  RBRACE = 0x7d,
  SQUOTE = 0x27,
  DQUOTE = 0x22,
  AMP = 0x26,
  STAR = 0x2a,
  BANG = 0x21,
  PIPE = 0x7c,
  GT = 0x3e,
  QUESTION = 0x3f,
  PERCENT = 0x25,
  DOT = 0x2e,
  BACKSLASH = 0x5c,
  AT = 0x40,
  BACKTICK = 0x60,
  BOM = 0xfeff;

type Ctx = 'doc' | 'mapValue' | 'seqItem';

function isFlowIndicator(c: number): boolean {
  return c === COMMA || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE;
}

export function parseYaml(text: string, options: YamlParseOptions = {}): YamlDocument {
  return new YamlParser(text, options.maxDepth ?? DEFAULT_MAX_DEPTH, text.length).parse();
}

/** One block-sequence entry read on its own (for incremental re-reading, see ./incremental.ts). */
export interface SequenceEntryParse {
  item: YNode;
  /** Where reading stopped: the `-` of the next entry, or where the sequence ends. */
  next: number;
  /** True when another entry of the same sequence starts at `next`. */
  continues: boolean;
  errors: YamlError[];
  comments: YComment[];
  /** The entry defines an anchor (`&name`), which aliases elsewhere could refer to. */
  definesAnchors: boolean;
  /** The entry has a merge key (`<<`): see `YamlDocument.merged`. */
  merges: boolean;
}

/**
 * Reads the block-sequence entry whose `-` is at `dash` in `text`, exactly as a full read would
 * at that point when no anchors precede it: `column` is the sequence's column and `depth` its
 * nesting (1 for a sequence at the top level). Undefined when `dash` does not start an entry.
 */
export function parseSequenceEntryAt(
  text: string,
  dash: number,
  column: number,
  depth: number,
  options: YamlParseOptions = {},
): SequenceEntryParse | undefined {
  // One entry is a few lines: its table of repeated scalars is sized for that, not for the file.
  return new YamlParser(text, options.maxDepth ?? DEFAULT_MAX_DEPTH, 0).reparseEntry(dash, column, depth);
}

class YamlParser {
  private pos = 0;
  private lineStart = 0;
  private readonly len: number;
  private readonly errors: YamlError[] = [];
  private readonly comments: YComment[] = [];
  private readonly anchors = new Map<string, YNode>();
  /** The reports of lists and mappings used as keys (see `collectionKey`). */
  private readonly collectionKeyErrors = new Set<YamlError>();
  private readonly plain: PlainScalarInterner;
  private readonly stack = new EntryStack();
  /** Some mapping read has a merge key. */
  private merged = false;

  /** `toRead` is about how many characters this parser will read (what its tables are sized for). */
  constructor(
    private readonly src: string,
    private readonly maxDepth: number,
    toRead: number,
  ) {
    this.len = src.length;
    this.plain = new PlainScalarInterner(src, toRead);
  }

  parse(): YamlDocument {
    try {
      return this.parseDocument();
    } catch (e) {
      // The parser is written not to throw; this is the last line of defence (e.g. a stack
      // overflow on a pathological input) so callers still get a result and a diagnostic.
      this.error(
        Math.min(this.pos, this.len),
        this.len,
        `The YAML reader stopped: ${e instanceof Error ? e.message : String(e)}`,
        'Simplify the file near this position and report the problem to the tsq maintainers.',
      );
      return {
        text: this.src,
        root: null,
        errors: this.errors,
        comments: this.comments,
        anchored: this.anchors.size > 0,
        merged: this.merged,
      };
    }
  }

  // ---------------------------------------------------------------- document

  private parseDocument(): YamlDocument {
    if (this.src.charCodeAt(0) === BOM) {
      this.pos = 1;
      this.lineStart = 1;
    }
    this.skipToContent();
    let sawStart = false;
    while (this.pos < this.len && this.col() === 0 && this.ch() === PERCENT) {
      this.skipRestOfLine();
      this.skipToContent();
    }
    if (this.atDocumentMarker(DASH)) {
      this.pos += 3;
      sawStart = true;
    }
    let root: YNode | null = null;
    if (this.pos < this.len) {
      const node = this.parseValue(-1, 0, 'doc', this.pos);
      root = node.kind === 'scalar' && node.implicit && !node.anchor && !node.tag ? null : node;
    }
    this.skipToContent();
    if (this.atDocumentMarker(DOT)) {
      this.pos += 3;
      this.skipToContent();
    }
    if (this.pos < this.len) {
      if (this.atDocumentMarker(DASH)) {
        this.error(
          this.pos,
          this.len,
          'A tsq file holds one YAML document; everything after this `---` is ignored.',
          'Move each document into its own *.tsq.yaml file.',
        );
      } else {
        this.error(
          this.pos,
          this.lineEndAt(this.pos),
          'This line is less indented than the entries above it, so it does not belong to any of them.',
          'Indent it like its siblings, or move it to the top level.',
        );
      }
    }
    void sawStart;
    return {
      text: this.src,
      root,
      errors: this.errors,
      comments: this.comments,
      anchored: this.anchors.size > 0,
      merged: this.merged,
    };
  }

  // ---------------------------------------------------------------- block structure

  /**
   * Parses the value that follows `key:`, `- ` or the document start. The value may be on the
   * same line or on the following, more indented lines; it may be empty.
   * `indicatorEnd` is where an empty value is placed.
   */
  private parseValue(parentIndent: number, depth: number, ctx: Ctx, indicatorEnd: number): YNode {
    this.skipInlineSpaces();
    const propsStart = this.pos;
    let props = this.atLineContent() ? this.parseProps() : undefined;
    if (props) this.skipInlineSpaces();

    if (!this.atLineContent()) {
      // Nothing more on this line: the value, if any, starts on a later line.
      this.skipToContent();
      const c = this.col();
      let node: YNode;
      if (this.pos >= this.len || c <= parentIndent || this.atDocumentMarkerAnywhere()) {
        if (ctx === 'mapValue' && this.pos < this.len && c === parentIndent && this.atSeqDash()) {
          node = this.parseBlockSequence(c, depth + 1);
        } else {
          const at = props ? this.propsEnd(props) : indicatorEnd;
          node = this.emptyScalar(at);
        }
      } else {
        node = this.parseBlockNode(c, parentIndent, depth);
      }
      return this.applyProps(node, props);
    }

    let node: YNode;
    const c = this.col();
    if (ctx !== 'mapValue' && this.atSeqDash()) {
      node = this.parseBlockSequence(c, depth + 1);
    } else if (ctx !== 'mapValue' && this.ch() === QUESTION && this.isWsOrEnd(this.pos + 1)) {
      node = this.complexKey(c);
    } else if (ctx !== 'mapValue' && this.lineHasImplicitKey(this.pos)) {
      // Properties written before an implicit key belong to the key, not to the mapping.
      if (props) {
        this.pos = propsStart;
        props = undefined;
      }
      node = this.parseBlockMapping(this.col(), depth + 1);
    } else {
      const ch = this.ch();
      if (ch === PIPE || ch === GT) {
        node = this.parseBlockScalar(parentIndent);
      } else {
        if (ctx === 'mapValue' && this.atSeqDash()) {
          this.error(
            this.pos,
            this.pos + 1,
            'A list cannot start on the same line as its key.',
            'Put each `- item` on its own line, indented under the key.',
          );
        }
        node = this.parseFlowNodeInBlock(parentIndent, depth);
        this.expectLineEnd();
      }
    }
    return this.applyProps(node, props);
  }

  /** Parses a node whose first character starts a line's content at column `c`. */
  private parseBlockNode(c: number, parentIndent: number, depth: number): YNode {
    const propsStart = this.pos;
    let props = this.parseProps();
    if (props) {
      this.skipInlineSpaces();
      if (!this.atLineContent()) {
        // `&anchor` alone on its line: the node follows on the next lines.
        return this.applyProps(this.parseValue(parentIndent, depth, 'seqItem', this.propsEnd(props)), props);
      }
    }
    let node: YNode;
    const ch = this.ch();
    if (this.atSeqDash()) {
      node = this.parseBlockSequence(this.col(), depth + 1);
    } else if (ch === QUESTION && this.isWsOrEnd(this.pos + 1)) {
      node = this.complexKey(c);
    } else if (this.lineHasImplicitKey(this.pos)) {
      if (props) {
        this.pos = propsStart;
        props = undefined;
      }
      node = this.parseBlockMapping(c, depth + 1);
    } else if (ch === PIPE || ch === GT) {
      node = this.parseBlockScalar(parentIndent);
    } else {
      node = this.parseFlowNodeInBlock(parentIndent, depth);
      this.expectLineEnd();
    }
    return this.applyProps(node, props);
  }

  private parseBlockSequence(c: number, depth: number): YNode {
    const start = this.pos;
    if (depth > this.maxDepth) return this.tooDeep(c);
    const mark = this.stack.mark();
    let end: number;
    for (;;) {
      const dash = this.pos;
      const item = this.parseSequenceEntry(c, depth);
      this.stack.push(item);
      end = Math.max(dash + 1, item.end);
      if (!this.nextSequenceEntry(c)) break;
    }
    return { kind: 'seq', start, end, items: this.stack.take<YNode>(mark), flow: false };
  }

  /** Reads the entry whose `-` is at the current position. */
  private parseSequenceEntry(c: number, depth: number): YNode {
    const dash = this.pos;
    this.pos++;
    return this.parseValue(c, depth, 'seqItem', dash + 1);
  }

  /**
   * After an entry of a block sequence at column `c`: moves to the `-` of the next entry (true),
   * or to where the sequence ends (false), reporting over-indented lines on the way.
   */
  private nextSequenceEntry(c: number): boolean {
    this.skipToContent();
    if (this.pos >= this.len || this.atDocumentMarkerAnywhere()) return false;
    const col = this.col();
    if (col < c) return false;
    if (col > c) {
      this.skipMoreIndented(c, true);
      return this.pos < this.len && this.col() === c && this.atSeqDash();
    }
    return this.atSeqDash();
  }

  /**
   * Reads one entry of a block sequence again, as `parseBlockSequence` would: the entry whose `-`
   * is at `dash` (column `c`, nesting `depth`), then the lines up to the next entry or the end of
   * the sequence. Undefined when there is no sequence entry at `dash`.
   */
  reparseEntry(dash: number, c: number, depth: number): SequenceEntryParse | undefined {
    if (this.src.charCodeAt(0) === BOM) return undefined;
    this.pos = dash;
    this.lineStart = this.lineStartOf(dash);
    if (this.col() !== c || !this.atSeqDash()) return undefined;
    try {
      const item = this.parseSequenceEntry(c, depth);
      const continues = this.nextSequenceEntry(c);
      return {
        item,
        next: this.pos,
        continues,
        errors: this.errors,
        comments: this.comments,
        definesAnchors: this.anchors.size > 0,
        merges: this.merged,
      };
    } catch {
      // eslint-disable-next-line no-restricted-syntax -- the incremental re-read gives up and the full read runs, which reports the error
      return undefined;
    }
  }

  private parseBlockMapping(c: number, depth: number): YNode {
    const start = this.pos;
    if (depth > this.maxDepth) return this.tooDeep(c);
    const mark = this.stack.mark();
    let end = start;
    for (;;) {
      const errorsBefore = this.errors.length;
      const keyProps = this.parseProps();
      if (keyProps) this.skipInlineSpaces();
      // A bare key (plain, no properties) is kept as its text (see `PairList` in ./nodes.ts).
      const keyStart = this.pos;
      let key: YNode | string;
      let keyEnd: number;
      if (keyProps === undefined && this.atPlainKey()) {
        keyEnd = this.plainKeyEnd();
        key = keyEnd > keyStart ? this.plain.text(keyStart, keyEnd) : this.plainKeyNode(keyStart, keyEnd);
      } else {
        const node = this.applyProps(this.parseImplicitKey(depth), keyProps);
        key = node;
        keyEnd = node.end;
      }
      const keyNodeStart = typeof key === 'string' ? keyStart : key.start;
      this.skipInlineSpaces();
      let value: YNode;
      if (this.ch() === COLON && this.isWsOrEnd(this.pos + 1)) {
        if (typeof key !== 'string') this.collectionKey(key, errorsBefore);
        const colon = this.pos;
        this.pos++;
        value = this.parseValue(c, depth, 'mapValue', colon + 1);
        end = Math.max(colon + 1, value.end);
      } else {
        this.error(
          keyNodeStart,
          Math.max(keyEnd, keyNodeStart + 1),
          'Expected `:` after this key.',
          'A mapping entry is written `key: value`.',
        );
        value = this.emptyScalar(keyEnd);
        this.skipRestOfLine();
        end = Math.max(keyEnd, end);
      }
      this.stack.push(key);
      this.stack.push(typeof key === 'string' ? keyStart : pairStartOf(key));
      this.stack.push(value);
      if (!this.nextMappingKey(c)) break;
    }
    return this.mapping(start, end, mark, false);
  }

  /** The mapping whose pairs were pushed since `mark`, its duplicate keys reported. */
  private mapping(start: number, end: number, mark: number, flow: boolean): YNode {
    const pairs = this.stack.take<PairSlot>(mark);
    this.checkDuplicateKeys(pairs);
    const merges = hasMergeKey(pairs);
    if (merges) this.merged = true;
    return { kind: 'map', start, end, pairs, flow, merges };
  }

  /**
   * Moves to the next key of a block mapping at column `c`, reporting and skipping lines that
   * cannot be keys (over-indented lines, list entries, text without `:`). False when the mapping ends.
   */
  private nextMappingKey(c: number): boolean {
    for (;;) {
      this.skipToContent();
      if (this.pos >= this.len || this.atDocumentMarkerAnywhere()) return false;
      const col = this.col();
      if (col < c) return false;
      if (col > c) {
        this.skipMoreIndented(c, true);
        continue;
      }
      if (this.atSeqDash()) {
        this.error(
          this.pos,
          this.lineEndAt(this.pos),
          'A list entry cannot appear between the keys of a mapping.',
          'Indent the list under the key it belongs to, or give it a key of its own.',
        );
      } else if (!this.lineHasImplicitKey(this.pos)) {
        this.error(
          this.pos,
          this.lineEndAt(this.pos),
          'Expected `key: value` here.',
          'Every line at this indentation must be a key followed by `:`.',
        );
      } else return true;
      this.skipLine();
      this.skipMoreIndented(c, false);
    }
  }

  /** A key in block context: a single-line plain or quoted scalar, an alias, or a flow collection. */
  private parseImplicitKey(depth: number): YNode {
    const ch = this.ch();
    if (ch === DQUOTE || ch === SQUOTE) return this.parseQuoted(Number.MAX_SAFE_INTEGER, true);
    if (ch === STAR) return this.parseAlias();
    if (ch === LBRACKET || ch === LBRACE) return this.parseFlowCollection(-1, depth + 1);
    const start = this.pos;
    return this.plainKeyNode(start, this.plainKeyEnd());
  }

  /** Whether a block key here is plain text (not quoted, an alias or a flow collection). */
  private atPlainKey(): boolean {
    const ch = this.ch();
    return ch !== DQUOTE && ch !== SQUOTE && ch !== STAR && ch !== LBRACKET && ch !== LBRACE;
  }

  /** The end of the plain block key that starts here, where the reader is left. */
  private plainKeyEnd(): number {
    const start = this.pos;
    let lastContent = start;
    const src = this.src,
      len = this.len;
    if (start === this.plainKeyStart) {
      // `lineHasImplicitKey` has just found this key's colon.
      lastContent = this.plainKeyColon;
      while (lastContent > start) {
        const c = src.charCodeAt(lastContent - 1);
        if (c !== SPACE && c !== TAB) break;
        lastContent--;
      }
    } else {
      let p = start;
      while (p < len) {
        const c = src.charCodeAt(p);
        if (c === LF || c === CR) break;
        if (c === COLON && this.isWsOrEnd(p + 1)) break;
        if (c === HASH && p > start && (src.charCodeAt(p - 1) === SPACE || src.charCodeAt(p - 1) === TAB)) break;
        if (c !== SPACE && c !== TAB) lastContent = p + 1;
        p++;
      }
    }
    this.pos = lastContent;
    return lastContent;
  }

  /** The node of the plain key written at `[start, end)`. */
  private plainKeyNode(start: number, end: number): YScalar {
    const plain = this.plain;
    const text = plain.text(start, end);
    return { kind: 'scalar', start, end, text, value: plain.value };
  }

  private parseBlockScalar(parentIndent: number): YNode {
    const start = this.pos;
    const src = this.src;
    const header: BlockScalarHeader = { literal: this.ch() === PIPE, chomp: 'clip', indent: 0 };
    this.pos++;
    for (let k = 0; k < 2; k++) {
      const c = this.ch();
      if (c === DASH) {
        header.chomp = 'strip';
        this.pos++;
      } else if (c === 0x2b) {
        header.chomp = 'keep';
        this.pos++;
      } else if (c >= 0x31 && c <= 0x39) {
        header.indent = c - 0x30;
        this.pos++;
      }
    }
    this.skipInlineSpaces();
    if (this.ch() === HASH) this.readComment();
    else if (this.atLineContent()) {
      this.error(
        this.pos,
        this.lineEndAt(this.pos),
        'Unexpected text after the block scalar indicator.',
        'Put the text on the next lines, indented.',
      );
      this.skipRestOfLine();
    }
    // Move to the first content line.
    if (this.pos < this.len) this.consumeNewline();
    const contentStart = this.pos;
    const base = Math.max(parentIndent, 0);
    let indent = header.indent ? base + header.indent : 0;
    // Detect indentation from the first non-empty line.
    let p = contentStart;
    if (!indent) {
      while (p < this.len) {
        let q = p;
        while (src.charCodeAt(q) === SPACE) q++;
        const c = src.charCodeAt(q);
        if (q < this.len && c !== LF && c !== CR) {
          indent = q - p;
          break;
        }
        if (q >= this.len) break;
        p = q + (c === CR && src.charCodeAt(q + 1) === LF ? 2 : 1);
      }
      if (indent <= parentIndent) indent = parentIndent + 1;
      if (indent < 1) indent = 1;
    }
    // Consume lines that belong: empty lines, or lines indented at least `indent`.
    p = contentStart;
    let lastContentEnd = contentStart;
    let consumedEnd = contentStart; // start of the first line that does not belong
    while (p < this.len) {
      let q = p;
      while (src.charCodeAt(q) === SPACE) q++;
      const c = src.charCodeAt(q);
      const eol = q >= this.len || c === LF || c === CR;
      if (!eol && q - p < indent) break;
      let lineEnd = q;
      while (lineEnd < this.len && src.charCodeAt(lineEnd) !== LF && src.charCodeAt(lineEnd) !== CR) lineEnd++;
      if (!eol) lastContentEnd = lineEnd;
      if (lineEnd >= this.len) {
        p = lineEnd;
        consumedEnd = p;
        break;
      }
      p = lineEnd + (src.charCodeAt(lineEnd) === CR && src.charCodeAt(lineEnd + 1) === LF ? 2 : 1);
      consumedEnd = p;
    }
    // Trailing empty lines count for `keep` chomping; the node itself ends at its last content line.
    const decodeEnd = header.chomp === 'keep' ? consumedEnd : lastContentEnd;
    const text = decodeBlockScalar(src, contentStart, decodeEnd, indent, header);
    // Resume at the start of the first line that does not belong (or at the end of the last content line).
    if (lastContentEnd > contentStart) {
      this.pos = lastContentEnd;
      this.lineStart = this.lineStartOf(lastContentEnd);
    } else {
      this.pos = contentStart;
      this.lineStart = contentStart;
    }
    const end = Math.max(lastContentEnd, start + 1);
    return {
      kind: 'scalar',
      start,
      end,
      text,
      value: text,
      style: header.literal ? 'literal' : 'folded',
      block: { contentStart, contentEnd: decodeEnd, indent, header },
    };
  }

  // ---------------------------------------------------------------- flow-level nodes

  /** A scalar, alias or flow collection that starts on the current line in block context. */
  private parseFlowNodeInBlock(parentIndent: number, depth: number): YNode {
    const ch = this.ch();
    if (ch === STAR) return this.parseAlias();
    if (ch === DQUOTE || ch === SQUOTE) return this.parseQuoted(parentIndent, false);
    if (ch === LBRACKET || ch === LBRACE) return this.parseFlowCollection(parentIndent, depth + 1);
    if (ch === COMMA || ch === RBRACKET || ch === RBRACE || ch === AT || ch === BACKTICK) {
      this.error(
        this.pos,
        this.pos + 1,
        `A plain value cannot start with \`${String.fromCharCode(ch)}\`.`,
        'Put the value in quotes.',
      );
    }
    return this.parsePlainBlock(parentIndent);
  }

  /** A plain scalar in block context; it may continue on more-indented lines (folded). */
  private parsePlainBlock(parentIndent: number): YScalar {
    const src = this.src,
      len = this.len;
    const start = this.pos;
    let end = this.scanPlainLine(start);
    let multiline = false;
    // Continuation lines: indented deeper than the parent, not comments, not `key:` lines.
    if (!this.lineEndedByComment) {
      for (;;) {
        let p = end;
        while (p < len && (src.charCodeAt(p) === SPACE || src.charCodeAt(p) === TAB)) p++;
        if (p >= len || (src.charCodeAt(p) !== LF && src.charCodeAt(p) !== CR)) break;
        // find the next non-empty line
        let lineStart = -1,
          q = p;
        for (;;) {
          q += src.charCodeAt(q) === CR && src.charCodeAt(q + 1) === LF ? 2 : 1;
          const ls = q;
          while (q < len && src.charCodeAt(q) === SPACE) q++;
          const c = src.charCodeAt(q);
          if (q >= len) break;
          if (c === LF || c === CR) continue;
          this.skipFrom = p;
          this.skipTo = q;
          this.skipLineStart = ls;
          if (c === TAB) {
            while (q < len && (src.charCodeAt(q) === SPACE || src.charCodeAt(q) === TAB)) q++;
          }
          lineStart = ls;
          break;
        }
        if (lineStart < 0) break;
        const col = q - lineStart;
        const c = src.charCodeAt(q);
        if (col <= parentIndent || c === HASH || (col === 0 && this.isDocumentMarkerAt(q))) break;
        if (this.lineHasImplicitKey(q)) break;
        const lineEnd = this.scanPlainLine(q);
        end = lineEnd;
        this.lineStart = lineStart;
        multiline = true;
        if (this.lineEndedByComment) break;
      }
    }
    this.pos = end;
    if (multiline) {
      const text = decodePlainMultiline(src, start, end);
      return { kind: 'scalar', start, end, text, value: resolvePlain(text) };
    }
    const plain = this.plain;
    const text = plain.text(start, end);
    return { kind: 'scalar', start, end, text, value: plain.value };
  }

  private lineEndedByComment = false;
  /**
   * The next line's indentation, already skipped by `parsePlainBlock` when it looked for a
   * continuation line: from the line break at `skipFrom`, across only spaces and line breaks, to
   * the first character that is not a space at `skipTo`, on the line starting at `skipLineStart`.
   * `skipToContent` at `skipFrom` jumps there instead of reading the same spaces again (every plain
   * value's next line). It depends on the text alone, so it never goes stale.
   */
  private skipFrom = -1;
  private skipTo = -1;
  private skipLineStart = -1;
  /** The plain key `lineHasImplicitKey` found last: where it starts and where its `:` is. */
  private plainKeyStart = -1;
  private plainKeyColon = -1;

  /** Returns the end of plain-scalar content on the line starting at `from` (block context). */
  private scanPlainLine(from: number): number {
    const src = this.src,
      len = this.len;
    let p = from;
    let lastContent = from;
    this.lineEndedByComment = false;
    while (p < len) {
      const c = src.charCodeAt(p);
      // Letters and most punctuation come after `:`, above every character that can end the text.
      if (c > COLON) {
        lastContent = ++p;
        continue;
      }
      if (c === LF || c === CR) break;
      if (c === COLON && this.isWsOrEnd(p + 1)) break;
      if (c === HASH && p > from && (src.charCodeAt(p - 1) === SPACE || src.charCodeAt(p - 1) === TAB)) {
        this.lineEndedByComment = true;
        break;
      }
      if (c !== SPACE && c !== TAB) lastContent = p + 1;
      p++;
    }
    return lastContent;
  }

  /**
   * A quoted scalar. Continuation lines must be indented deeper than `parentIndent`; a closing
   * quote that never comes is reported at the opening quote and the scalar ends with its line,
   * so that typing an opening quote does not swallow the rest of the file.
   */
  private parseQuoted(parentIndent: number, singleLine: boolean): YScalar {
    const src = this.src,
      len = this.len;
    const start = this.pos;
    const q = src.charCodeAt(start);
    let p = start + 1;
    let closed = -1;
    let lineStart = this.lineStart;
    // Whether the text is exactly what is between the quotes (no escapes, no line breaks to fold):
    // then it is sliced whole instead of decoded character by character.
    let verbatim = true;
    while (p < len) {
      const c = src.charCodeAt(p);
      if (q === DQUOTE && c === BACKSLASH) {
        verbatim = false;
        p += 2;
        continue;
      }
      if (c === q) {
        if (q === SQUOTE && src.charCodeAt(p + 1) === SQUOTE) {
          verbatim = false;
          p += 2;
          continue;
        }
        closed = p;
        break;
      }
      if (c === LF || c === CR) {
        if (singleLine) break;
        verbatim = false;
        // A continuation line must be more indented than the parent and not a document marker.
        let r = p + (c === CR && src.charCodeAt(p + 1) === LF ? 2 : 1);
        const ls = r;
        while (r < len && (src.charCodeAt(r) === SPACE || src.charCodeAt(r) === TAB)) r++;
        const rc = src.charCodeAt(r);
        const blank = r >= len || rc === LF || rc === CR;
        if (!blank && (r - ls <= parentIndent || (r === ls && this.isDocumentMarkerAt(r)))) break;
        lineStart = ls;
        p = ls;
        continue;
      }
      p++;
    }
    const style = q === SQUOTE ? 'single' : 'double';
    if (closed < 0) {
      const lineEnd = this.lineEndAt(start);
      this.error(
        start,
        start + 1,
        `This ${style}-quoted string has no closing ${q === SQUOTE ? "'" : '"'}.`,
        'Add the closing quote at the end of the value.',
      );
      this.pos = lineEnd;
      const text = src.slice(start + 1, lineEnd);
      return { kind: 'scalar', start, end: lineEnd, text, value: text, style };
    }
    this.pos = closed + 1;
    this.lineStart = lineStart;
    let text: string;
    if (verbatim) {
      text = src.slice(start + 1, closed);
    } else if (q === SQUOTE) {
      text = decodeSingleQuoted(src, start + 1, closed);
    } else {
      const r = decodeDoubleQuoted(src, start + 1, closed);
      text = r.text;
      if (r.badEscape !== undefined)
        this.error(
          r.badEscape,
          Math.min(r.badEscape + 2, closed),
          'Unknown escape sequence in a double-quoted string.',
          'Write `\\\\` for a backslash, or use single quotes, where backslashes need no escaping.',
        );
    }
    return { kind: 'scalar', start, end: closed + 1, text, value: text, style };
  }

  private parseAlias(): YNode {
    const start = this.pos;
    this.pos++;
    const name = this.readName();
    const target = this.anchors.get(name);
    const node: YAlias = { kind: 'alias', start, end: this.pos, name };
    if (!name)
      this.error(
        start,
        start + 1,
        'An alias needs a name after `*`.',
        'Write `*name` for a node marked `&name` earlier in the file.',
      );
    else if (!target)
      this.error(
        start,
        this.pos,
        `No anchor \`&${name}\` is defined before this alias.`,
        'Define the anchor on an earlier node; an alias cannot point at a node that contains it.',
      );
    else node.target = target;
    return node;
  }

  /** `[...]` or `{...}`; may span lines. `blockIndent` is the indentation of the enclosing block. */
  private parseFlowCollection(blockIndent: number, depth: number): YNode {
    const src = this.src;
    const start = this.pos;
    const open = src.charCodeAt(start);
    const close = open === LBRACKET ? RBRACKET : RBRACE;
    const isMap = open === LBRACE;
    if (depth > this.maxDepth) {
      this.skipBalanced(blockIndent);
      this.error(
        start,
        this.pos,
        `This value is nested deeper than ${this.maxDepth} levels; tsq does not read it.`,
        'Flatten the structure.',
      );
      return this.emptyScalar(start);
    }
    this.pos++;
    // The entries of this collection: pairs in a mapping, nodes in a list.
    const mark = this.stack.mark();
    let closed = false;
    for (;;) {
      if (!this.skipFlowSpace(blockIndent)) break;
      const c = this.ch();
      if (c === close) {
        this.pos++;
        closed = true;
        break;
      }
      if (c === COMMA) {
        this.error(this.pos, this.pos + 1, 'Empty entry: two commas in a row.', 'Remove the extra comma.');
        this.pos++;
        continue;
      }
      if (c === RBRACKET || c === RBRACE) {
        this.error(
          this.pos,
          this.pos + 1,
          `Expected \`${String.fromCharCode(close)}\` here.`,
          'Brackets must match: `[` with `]` and `{` with `}`.',
        );
        this.pos++;
        closed = true;
        break;
      }
      const entryStart = this.pos;
      const errorsBefore = this.errors.length;
      const props = this.parseProps();
      if (props) this.skipFlowSpace(blockIndent);
      // In a mapping, a bare key is kept as its text (see `PairList` in ./nodes.ts); what is read
      // first is a key only once the `:` after it or the entry's end is seen, so the plain text is
      // scanned first and becomes a node only when it is not a bare key.
      let first: YNode | string;
      const firstStart = this.pos;
      let firstEnd: number;
      if (isMap && props === undefined && this.atFlowPlain()) {
        firstEnd = this.scanFlowPlain(blockIndent);
        first =
          firstEnd > firstStart && !this.flowPlainMultiline
            ? this.plain.text(firstStart, firstEnd)
            : this.flowPlainNode(firstStart, firstEnd);
      } else {
        const node = this.applyProps(this.parseFlowInner(blockIndent, depth), props);
        first = node;
        firstEnd = node.end;
      }
      let afterFirst = this.pos;
      this.skipInlineSpaces();
      if (
        this.ch() === COLON &&
        (this.isWsOrEnd(this.pos + 1) ||
          isFlowIndicator(this.src.charCodeAt(this.pos + 1)) ||
          (typeof first !== 'string' && first.kind === 'scalar' && first.style !== undefined))
      ) {
        if (typeof first !== 'string') this.collectionKey(first, errorsBefore);
        const colon = this.pos;
        this.pos++;
        let value: YNode;
        if (!this.skipFlowSpace(blockIndent)) value = this.emptyScalar(colon + 1);
        else {
          const vc = this.ch();
          if (vc === COMMA || vc === close || vc === RBRACKET || vc === RBRACE) value = this.emptyScalar(colon + 1);
          else {
            const vprops = this.parseProps();
            if (vprops) this.skipFlowSpace(blockIndent);
            value = this.applyProps(this.parseFlowInner(blockIndent, depth), vprops);
          }
        }
        if (isMap) this.pushFlowPair(first, firstStart, value);
        else {
          const key = first as YNode;
          const merges = isMergeKey(key);
          if (merges) this.merged = true;
          this.stack.push({
            kind: 'map',
            start: entryStart,
            end: value.end,
            pairs: [key, pairStartOf(key), value],
            flow: true,
            merges,
          });
        }
        afterFirst = this.pos;
      } else if (isMap) {
        if (typeof first !== 'string') this.collectionKey(first, errorsBefore);
        this.pushFlowPair(first, firstStart, this.emptyScalar(firstEnd));
      } else {
        this.stack.push(first);
      }
      this.pos = afterFirst;
      if (!this.skipFlowSpace(blockIndent)) break;
      const d = this.ch();
      if (d === COMMA) {
        this.pos++;
        continue;
      }
      if (d === close) {
        this.pos++;
        closed = true;
        break;
      }
      this.error(
        this.pos,
        this.pos + 1,
        `Expected \`,\` or \`${String.fromCharCode(close)}\` here.`,
        'Separate entries with commas.',
      );
      // Recover: skip to the next comma, closing bracket or line end.
      while (this.pos < this.len) {
        const e = this.ch();
        if (e === COMMA || e === close || e === LF || e === CR) break;
        this.pos++;
      }
      if (this.ch() === COMMA) this.pos++;
    }
    if (!closed) {
      this.error(
        start,
        start + 1,
        `This \`${String.fromCharCode(open)}\` is never closed.`,
        `Add \`${String.fromCharCode(close)}\` after the last entry.`,
      );
    }
    const end = closed ? this.pos : Math.max(start + 1, this.lastFlowContentEnd(start));
    if (!closed) {
      // Resume right after the last entry, so the caller sees the end of that line.
      this.pos = end;
      this.lineStart = this.lineStartOf(end);
    }
    if (isMap) return this.mapping(start, end, mark, true);
    return { kind: 'seq', start, end, items: this.stack.take<YNode>(mark), flow: true };
  }

  /** Pushes a flow mapping's pair: `key` is a bare key's text, starting at `keyStart`, or a node. */
  private pushFlowPair(key: YNode | string, keyStart: number, value: YNode): void {
    this.stack.push(key);
    this.stack.push(typeof key === 'string' ? keyStart : pairStartOf(key));
    this.stack.push(value);
  }

  private lastFlowContentEnd(start: number): number {
    let p = Math.min(this.pos, this.len);
    while (p > start) {
      const c = this.src.charCodeAt(p - 1);
      if (c !== SPACE && c !== TAB && c !== LF && c !== CR) break;
      p--;
    }
    return p;
  }

  /** A node inside a flow collection. */
  private parseFlowInner(blockIndent: number, depth: number): YNode {
    const c = this.ch();
    if (c === STAR) return this.parseAlias();
    if (c === DQUOTE || c === SQUOTE) return this.parseQuoted(blockIndent, false);
    if (c === LBRACKET || c === LBRACE) return this.parseFlowCollection(blockIndent, depth + 1);
    const start = this.pos;
    return this.flowPlainNode(start, this.scanFlowPlain(blockIndent));
  }

  /** Whether plain text (not an alias, a quoted scalar or a collection) starts here in a flow collection. */
  private atFlowPlain(): boolean {
    const c = this.ch();
    return c !== STAR && c !== DQUOTE && c !== SQUOTE && c !== LBRACKET && c !== LBRACE;
  }

  /** Whether the plain text `scanFlowPlain` read last went on over more than one line. */
  private flowPlainMultiline = false;

  /**
   * Reads the plain text that starts here in a flow collection and returns where it ends (where it
   * starts when there is none: the reader has then stepped over a stray character).
   */
  private scanFlowPlain(blockIndent: number): number {
    const src = this.src,
      len = this.len;
    const start = this.pos;
    let p = start;
    let lastContent = start;
    let multiline = false;
    let lineStart = this.lineStart;
    while (p < len) {
      const ch = src.charCodeAt(p);
      // Past `:`, only brackets and braces end the text.
      if (ch > COLON && ch !== LBRACKET && ch !== RBRACKET && ch !== LBRACE && ch !== RBRACE) {
        lastContent = ++p;
        continue;
      }
      if (isFlowIndicator(ch)) break;
      if (ch === LF || ch === CR) {
        // A plain scalar in a flow collection may continue on the next non-empty line unless that
        // line starts with something that ends it.
        let q = p,
          ls = -1;
        while (q < len) {
          const c = src.charCodeAt(q);
          if (c === LF || c === CR) {
            q += c === CR && src.charCodeAt(q + 1) === LF ? 2 : 1;
            ls = q;
            continue;
          }
          if (c === SPACE || c === TAB) {
            q++;
            continue;
          }
          break;
        }
        if (q >= len || lastContent === start) break;
        const c = src.charCodeAt(q);
        const n = src.charCodeAt(q + 1);
        if (
          isFlowIndicator(c) ||
          c === HASH ||
          (c === COLON && (q + 1 >= len || n === SPACE || n === TAB || n === LF || n === CR || isFlowIndicator(n)))
        )
          break;
        if (ls >= 0 && (q - ls <= blockIndent || (q === ls && this.isDocumentMarkerAt(q)))) break;
        multiline = true;
        lineStart = ls;
        p = q;
        continue;
      }
      if (ch === COLON) {
        const n = src.charCodeAt(p + 1);
        if (p + 1 >= len || n === SPACE || n === TAB || n === LF || n === CR || isFlowIndicator(n)) break;
      }
      if (ch === HASH && p > start && (src.charCodeAt(p - 1) === SPACE || src.charCodeAt(p - 1) === TAB)) break;
      if (ch !== SPACE && ch !== TAB) lastContent = p + 1;
      p++;
    }
    this.pos = lastContent;
    if (multiline) this.lineStart = lastContent > lineStart ? lineStart : this.lineStartOf(lastContent);
    this.flowPlainMultiline = multiline;
    if (lastContent === start) {
      // Nothing readable here (e.g. a stray character); consume one so the caller progresses.
      if (p < len && src.charCodeAt(p) !== LF && src.charCodeAt(p) !== CR && !isFlowIndicator(src.charCodeAt(p)))
        this.pos = p + 1;
    }
    return lastContent;
  }

  /** The node of the plain text `scanFlowPlain` has just read at `[start, end)`. */
  private flowPlainNode(start: number, end: number): YScalar {
    if (end === start) return this.emptyScalar(start);
    if (this.flowPlainMultiline) {
      const text = decodePlainMultiline(this.src, start, end);
      return { kind: 'scalar', start, end, text, value: resolvePlain(text) };
    }
    const plain = this.plain;
    const text = plain.text(start, end);
    return { kind: 'scalar', start, end, text, value: plain.value };
  }

  /**
   * Skips spaces, line breaks and comments inside a flow collection. Returns false when the
   * collection cannot continue: end of input, or a line indented at or left of the enclosing
   * block (the usual sign of a forgotten closing bracket; parsing resumes there).
   */
  private skipFlowSpace(blockIndent: number): boolean {
    const src = this.src,
      len = this.len;
    while (this.pos < len) {
      const c = src.charCodeAt(this.pos);
      if (c === SPACE || c === TAB) {
        this.pos++;
        continue;
      }
      if (c === HASH) {
        this.readComment();
        continue;
      }
      if (c === LF || c === CR) {
        this.consumeNewline();
        let p = this.pos;
        while (p < len && (src.charCodeAt(p) === SPACE || src.charCodeAt(p) === TAB)) p++;
        const d = src.charCodeAt(p);
        if (
          p < len &&
          d !== LF &&
          d !== CR &&
          d !== HASH &&
          p - this.lineStart <= blockIndent &&
          d !== RBRACKET &&
          d !== RBRACE
        ) {
          return false;
        }
        continue;
      }
      return true;
    }
    return false;
  }

  /** Skips a flow collection that is too deep, counting brackets, without building nodes. */
  private skipBalanced(blockIndent: number): void {
    let depth = 0;
    const src = this.src,
      len = this.len;
    while (this.pos < len) {
      const c = src.charCodeAt(this.pos);
      if (c === LBRACKET || c === LBRACE) depth++;
      else if (c === RBRACKET || c === RBRACE) {
        depth--;
        if (depth <= 0) {
          this.pos++;
          return;
        }
      } else if (c === DQUOTE || c === SQUOTE) {
        this.parseQuoted(blockIndent, true);
        continue;
      } else if (c === LF || c === CR) {
        this.consumeNewline();
        let p = this.pos;
        while (p < len && src.charCodeAt(p) === SPACE) p++;
        if (p < len && p - this.lineStart <= blockIndent && src.charCodeAt(p) !== LF) return;
        continue;
      }
      this.pos++;
    }
  }

  // ---------------------------------------------------------------- properties

  private parseProps(): NodeProps | undefined {
    let props: NodeProps | undefined;
    for (let k = 0; k < 2; k++) {
      const c = this.ch();
      if (c === AMP && !(props && props.anchor)) {
        const start = this.pos;
        this.pos++;
        const name = this.readName();
        if (!name) this.error(start, start + 1, 'An anchor needs a name after `&`.', 'Write `&name` before the value.');
        (props ??= {}).anchor = { name, start, end: this.pos };
      } else if (c === BANG && !(props && props.tag)) {
        const start = this.pos;
        while (this.pos < this.len && !this.isWsOrEnd(this.pos) && !isFlowIndicator(this.ch())) this.pos++;
        const name = this.src.slice(start, this.pos);
        (props ??= {}).tag = { name, start, end: this.pos };
        if (!/^(!|!!(str|int|float|bool|null|map|seq))$/.test(name)) {
          this.errors.push({
            start,
            end: this.pos,
            message: `The tag \`${name}\` has no meaning in tsq files and is ignored.`,
            hint: 'Remove the tag.',
            severity: 'warning',
          });
        }
      } else break;
      this.skipInlineSpaces();
    }
    return props;
  }

  private propsEnd(props: NodeProps): number {
    return Math.max(props.anchor?.end ?? 0, props.tag?.end ?? 0);
  }

  private applyProps<T extends YNode>(node: T, props: NodeProps | undefined): T {
    if (!props) return node;
    if (props.tag) {
      node.tag = props.tag;
      if (node.kind === 'scalar') {
        const tag = props.tag.name;
        node.value = resolveTagged(tag, node.text, node.value);
        if (tag === '!!map' || tag === '!!seq')
          this.error(
            props.tag.start,
            props.tag.end,
            `The tag \`${tag}\` does not match this value.`,
            'Remove the tag.',
          );
      } else if (
        (props.tag.name === '!!map' && node.kind !== 'map') ||
        (props.tag.name === '!!seq' && node.kind !== 'seq')
      ) {
        this.error(
          props.tag.start,
          props.tag.end,
          `The tag \`${props.tag.name}\` does not match this value.`,
          'Remove the tag.',
        );
      }
    }
    if (props.anchor) {
      // Kept also without a name (reported where it was read), as the `&` is where a pair whose
      // key it stands before starts (`pairStartOf`).
      node.anchor = props.anchor;
    }
    if (props.anchor && props.anchor.name) {
      if (node.kind === 'alias') {
        this.error(
          props.anchor.start,
          props.anchor.end,
          'An alias cannot carry an anchor.',
          'Remove the `&name` before the alias.',
        );
      } else {
        // Registered only now that the node is complete: an alias inside it cannot refer to it.
        this.anchors.set(props.anchor.name, node);
      }
    }
    return node;
  }

  private readName(): string {
    const start = this.pos;
    while (this.pos < this.len && !this.isWsOrEnd(this.pos) && !isFlowIndicator(this.ch())) this.pos++;
    return this.src.slice(start, this.pos);
  }

  // ---------------------------------------------------------------- helpers

  private emptyScalar(at: number): YScalar {
    return { kind: 'scalar', start: at, end: at, text: '', value: null, implicit: true };
  }

  /** `? key` / `: value` entries: reported once, and the entry's lines are skipped. */
  private complexKey(c: number): YNode {
    const start = this.pos;
    this.error(
      start,
      start + 1,
      'Complex mapping keys (`? key`) are not supported in tsq files.',
      'Write the key as a plain or quoted scalar: `key: value`.',
    );
    for (;;) {
      this.skipLine();
      this.skipMoreIndented(c, false);
      if (this.pos >= this.len || this.col() !== c) break;
      const ch = this.ch();
      if (!((ch === QUESTION || ch === COLON) && this.isWsOrEnd(this.pos + 1))) break;
    }
    return this.emptyScalar(start);
  }

  /**
   * A list or mapping written as a key (`[a]: 1`, `{ {a}: 1 }`, `*list: 1`): YAML allows it, no tsq
   * file needs it, and a loader can only name such a pair by printing its key, which for keys
   * nested in keys doubles in length at every level. Reported once, at the outermost such key (the
   * keys inside it are the same mistake); `errorsBefore` is where the errors found inside it start.
   */
  private collectionKey(key: YNode, errorsBefore: number): void {
    const target = key.kind === 'alias' ? key.target : key;
    if (!target || target.kind === 'scalar') return;
    const inside = this.errors.splice(errorsBefore);
    for (const e of inside) if (!this.collectionKeyErrors.has(e)) this.errors.push(e);
    const report: YamlError = {
      start: key.start,
      end: Math.max(key.end, key.start + 1),
      message: `${target.kind === 'map' ? 'A mapping' : 'A list'} cannot be a key in a tsq file.`,
      hint: 'Write the key as plain or quoted text: `key: value`.',
    };
    this.errors.push(report);
    this.collectionKeyErrors.add(report);
  }

  private tooDeep(c: number): YNode {
    const start = this.pos;
    this.skipLine();
    this.skipMoreIndented(c - 1, false);
    this.error(
      start,
      this.lineEndAt(start),
      `This value is nested deeper than ${this.maxDepth} levels; tsq does not read it.`,
      'Flatten the structure.',
    );
    return this.emptyScalar(start);
  }

  private checkDuplicateKeys(pairs: PairList): void {
    const n = pairCount(pairs);
    if (n < 2) return;
    if (n <= 8) {
      for (let i = 1; i < n; i++) {
        const a = keyTextAt(pairs, i);
        if (a === undefined) continue;
        for (let j = 0; j < i; j++) {
          if (keyTextAt(pairs, j) === a) {
            this.duplicateKey(pairs, i, a);
            break;
          }
        }
      }
      return;
    }
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      const text = keyTextAt(pairs, i);
      if (text === undefined) continue;
      if (seen.has(text)) this.duplicateKey(pairs, i, text);
      else seen.add(text);
    }
  }

  private duplicateKey(pairs: PairList, k: number, text: string): void {
    this.error(
      keyStartAt(pairs, k),
      keyEndAt(pairs, k),
      `The key \`${text}\` appears more than once in this mapping; the last one wins.`,
      'Remove or rename one of them.',
    );
  }

  private error(start: number, end: number, message: string, hint?: string): void {
    this.errors.push({ start, end: Math.max(end, start), message, hint });
  }

  private ch(): number {
    return this.src.charCodeAt(this.pos);
  }

  private col(): number {
    return this.pos - this.lineStart;
  }

  private isWsOrEnd(p: number): boolean {
    if (p >= this.len) return true;
    const c = this.src.charCodeAt(p);
    return c === SPACE || c === TAB || c === LF || c === CR;
  }

  /** True when the current position has content on this line (not a line end or a comment). */
  private atLineContent(): boolean {
    if (this.pos >= this.len) return false;
    const c = this.ch();
    return c !== LF && c !== CR && c !== HASH;
  }

  private atSeqDash(): boolean {
    return this.ch() === DASH && this.isWsOrEnd(this.pos + 1);
  }

  private isDocumentMarkerAt(p: number): boolean {
    const src = this.src;
    const c = src.charCodeAt(p);
    return (
      (c === DASH || c === DOT) && src.charCodeAt(p + 1) === c && src.charCodeAt(p + 2) === c && this.isWsOrEnd(p + 3)
    );
  }

  private atDocumentMarker(kind: number): boolean {
    return this.pos < this.len && this.col() === 0 && this.ch() === kind && this.isDocumentMarkerAt(this.pos);
  }

  private atDocumentMarkerAnywhere(): boolean {
    return this.col() === 0 && this.isDocumentMarkerAt(this.pos);
  }

  private skipInlineSpaces(): void {
    const src = this.src,
      len = this.len;
    let pos = this.pos;
    while (pos < len) {
      const c = src.charCodeAt(pos);
      if (c !== SPACE && c !== TAB) break;
      pos++;
    }
    this.pos = pos;
  }

  private readComment(): void {
    const start = this.pos;
    const src = this.src;
    while (this.pos < this.len) {
      const c = src.charCodeAt(this.pos);
      if (c === LF || c === CR) break;
      this.pos++;
    }
    this.comments.push({ start, end: this.pos });
  }

  private consumeNewline(): void {
    const src = this.src;
    if (src.charCodeAt(this.pos) === CR && src.charCodeAt(this.pos + 1) === LF) this.pos += 2;
    else this.pos++;
    this.lineStart = this.pos;
  }

  /**
   * Moves to the next content character, across spaces, comments and line breaks. A tab in the
   * indentation of a content line is reported (YAML forbids it) and counted as one column.
   */
  private skipToContent(): void {
    const src = this.src,
      len = this.len;
    // Spaces and line breaks, the bulk of what is skipped, are counted in locals and written back
    // once; comments and tabs take the general path.
    let pos = this.pos,
      lineStart = this.lineStart;
    if (pos === this.skipFrom) {
      pos = this.skipTo;
      lineStart = this.skipLineStart;
    }
    let tabAt = -1;
    while (pos < len) {
      const c = src.charCodeAt(pos);
      if (c === SPACE) {
        pos++;
        continue;
      }
      if (c === LF) {
        lineStart = ++pos;
        tabAt = -1;
        continue;
      }
      if (c === CR) {
        pos += src.charCodeAt(pos + 1) === LF ? 2 : 1;
        lineStart = pos;
        tabAt = -1;
        continue;
      }
      if (c === TAB) {
        this.lineStart = lineStart;
        if (tabAt < 0 && this.onlySpacesBefore(pos)) tabAt = pos;
        pos++;
        continue;
      }
      if (c === HASH) {
        this.pos = pos;
        this.readComment();
        pos = this.pos;
        continue;
      }
      break;
    }
    this.pos = pos;
    this.lineStart = lineStart;
    if (tabAt >= 0 && pos < len) {
      this.error(tabAt, tabAt + 1, 'Tabs cannot be used for indentation in YAML.', 'Indent with spaces.');
    }
  }

  private onlySpacesBefore(p: number): boolean {
    for (let q = this.lineStart; q < p; q++) {
      const c = this.src.charCodeAt(q);
      if (c !== SPACE && c !== TAB) return false;
    }
    return true;
  }

  private skipRestOfLine(): void {
    const src = this.src;
    while (this.pos < this.len) {
      const c = src.charCodeAt(this.pos);
      if (c === LF || c === CR) break;
      this.pos++;
    }
  }

  /** Skips the rest of the current line and its line break. */
  private skipLine(): void {
    this.skipRestOfLine();
    if (this.pos < this.len) this.consumeNewline();
  }

  /**
   * At a content character indented deeper than `c` where none was expected: reports one error
   * (when `report`) and skips this line and every following line indented deeper than `c`.
   */
  private skipMoreIndented(c: number, report: boolean): void {
    if (report) {
      const col = this.col();
      this.error(
        this.pos,
        this.lineEndAt(this.pos),
        `This line is indented more than the entries above it (column ${col + 1}, expected ${c + 1}).`,
        'Align it with its siblings, or indent it under a key that ends with `:`.',
      );
      this.skipLine();
    }
    for (;;) {
      this.skipToContent();
      if (this.pos >= this.len || this.col() <= c) return;
      this.skipLine();
    }
  }

  /** After a same-line value: anything but a comment before the line end is an error. */
  private expectLineEnd(): void {
    this.skipInlineSpaces();
    if (!this.atLineContent()) return;
    const at = this.pos;
    const c = this.ch();
    if (c === COLON) {
      this.error(
        at,
        at + 1,
        'A mapping cannot start on the same line as its key.',
        'Put the nested `key: value` on its own line, indented under the key.',
      );
    } else {
      this.error(
        at,
        this.lineEndAt(at),
        'Unexpected text after the value.',
        'Quote the whole value, or move the extra text to its own line.',
      );
    }
    this.skipRestOfLine();
  }

  private lineEndAt(p: number): number {
    const src = this.src;
    while (p < this.len) {
      const c = src.charCodeAt(p);
      if (c === LF || c === CR) break;
      p++;
    }
    return p;
  }

  private lineStartOf(p: number): number {
    const src = this.src;
    while (p > 0) {
      const c = src.charCodeAt(p - 1);
      if (c === LF || c === CR) break;
      p--;
    }
    return p;
  }

  /**
   * Does the line starting at `p` begin with an implicit key (`key:` followed by a space or the
   * line end)? Quoted keys, aliases and anchors/tags before the key are recognised.
   */
  private lineHasImplicitKey(p: number): boolean {
    const src = this.src,
      len = this.len;
    for (let k = 0; k < 2; k++) {
      const c = src.charCodeAt(p);
      if (c === AMP || c === BANG) {
        while (p < len && !this.isWsOrEnd(p)) p++;
        while (p < len && (src.charCodeAt(p) === SPACE || src.charCodeAt(p) === TAB)) p++;
      }
    }
    const c = src.charCodeAt(p);
    if (p >= len || c === LF || c === CR || c === HASH) return false;
    if (c === DASH && this.isWsOrEnd(p + 1)) return false;
    if (c === DQUOTE || c === SQUOTE) {
      p++;
      while (p < len) {
        const d = src.charCodeAt(p);
        if (d === LF || d === CR) return false;
        if (c === DQUOTE && d === BACKSLASH) {
          p += 2;
          continue;
        }
        if (d === c) {
          if (c === SQUOTE && src.charCodeAt(p + 1) === SQUOTE) {
            p += 2;
            continue;
          }
          break;
        }
        p++;
      }
      p++;
      while (p < len && (src.charCodeAt(p) === SPACE || src.charCodeAt(p) === TAB)) p++;
      return src.charCodeAt(p) === COLON && this.isWsOrEnd(p + 1);
    }
    if (c === LBRACKET || c === LBRACE) {
      // A flow collection used as a key: `[a, b]: value` (rare); a flow value is far more common.
      let depth = 0;
      while (p < len) {
        const d = src.charCodeAt(p);
        if (d === LF || d === CR) return false;
        if (d === LBRACKET || d === LBRACE) depth++;
        else if (d === RBRACKET || d === RBRACE) {
          depth--;
          if (depth === 0) {
            p++;
            break;
          }
        }
        p++;
      }
      while (p < len && (src.charCodeAt(p) === SPACE || src.charCodeAt(p) === TAB)) p++;
      return src.charCodeAt(p) === COLON && this.isWsOrEnd(p + 1);
    }
    if (c === PIPE || c === GT) return false;
    const start = p;
    while (p < len) {
      const d = src.charCodeAt(p);
      if (d > COLON) {
        p++;
        continue;
      }
      if (d === LF || d === CR) return false;
      if (d === COLON && this.isWsOrEnd(p + 1)) {
        this.plainKeyStart = start;
        this.plainKeyColon = p;
        return true;
      }
      if (d === HASH && p > start && (src.charCodeAt(p - 1) === SPACE || src.charCodeAt(p - 1) === TAB)) return false;
      p++;
    }
    return false;
  }
}
