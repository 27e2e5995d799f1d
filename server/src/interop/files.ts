// The files an import or export produces, and which relative paths tsq will write at all. Two
// levels of rules: every path tsq writes inside a folder must be plain (no way out of the folder,
// no hidden or reserved names, nothing two file systems read differently), and an import may only
// deliver what tsq itself writes: `*.tsq.yaml` files and the ConfigMgr parts an export .zip import
// keeps under `configmgr/` (docs/interop.md#what-an-import-may-write). A package asking for
// anything else (`.git/config`, `.vscode/settings.json`, `../x`) is refused whole, by name.

import { InteropError } from './errors';

export interface OutputFile {
  /** Path relative to the output folder, with forward slashes. */
  path: string;
  data: Buffer | string;
}

/** Where an export .zip import keeps the ConfigMgr objects tsq does not rebuild. */
export const KEPT_FOLDER = 'configmgr';

const MAX_SEGMENT = 255;
const MAX_PATH = 1024;
const MAX_DEPTH = 16;

// DOS device names are reserved in every folder and with any extension (`con.tsq.yaml`), on
// Windows: https://learn.microsoft.com/windows/win32/fileio/naming-a-file#naming-conventions
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
// Characters Windows does not allow in names (same page); `:` also opens an NTFS stream.
const WINDOWS_FORBIDDEN = /[<>:"|?*\\]/;
// C0 and C1 controls.
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// Characters that are invisible or reorder text: a list shown to an admin must read as it is, and
// HFS+ ignores some of them in names (`.g\u200cit` is `.git` there). Each escape stands for itself:
// the combining marks and variation selectors are matched alone on purpose.
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class -- see above
  /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]/;

/** Whether `stem` (a name up to its first dot) is a device name Windows reserves. */
export function reservedOnWindows(stem: string): boolean {
  return RESERVED.test(stem);
}

/** Why one folder or file name is not plain, or undefined when it is. */
function unplainSegment(segment: string): string | undefined {
  if (segment === '') return 'has an empty folder name (`//`)';
  if (segment === '.' || segment === '..')
    return segment === '..' ? 'climbs out of the folder with ".."' : 'has a "." folder';
  if (segment.includes('\0')) return 'contains a NUL character';
  if (CONTROL.test(segment)) return 'contains a control character';
  if (INVISIBLE.test(segment)) return 'contains an invisible or text-direction character';
  if (segment.startsWith('.'))
    return `is hidden ("${segment}" starts with a dot; tsq never writes hidden files or folders such as .git or .vscode)`;
  if (WINDOWS_FORBIDDEN.test(segment))
    return `has a character Windows does not allow in "${segment}" (${segment.match(WINDOWS_FORBIDDEN)![0]})`;
  if (/[. ]$/.test(segment))
    return `has the name "${segment}", which ends with a dot or space (Windows drops it, so two names could meet)`;
  const stem = segment.split('.')[0];
  if (reservedOnWindows(stem)) return `has the name "${segment}", a device name Windows reserves`;
  // An 8.3 short name (`GIT~1`) can stand for a hidden long name on Windows.
  if (/~[0-9]+$/.test(stem))
    return `has the name "${segment}", which looks like a Windows short name (it could stand for a hidden folder)`;
  if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT) return `has a name longer than ${MAX_SEGMENT} bytes`;
  return undefined;
}

/** Why tsq will not write `rel` inside a folder, or undefined when it is a plain relative path. */
export function unplainPath(rel: string): string | undefined {
  if (rel === '') return 'is empty';
  if (rel.includes('\0')) return 'contains a NUL character';
  if (rel.startsWith('/') || rel.startsWith('\\')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(rel)) return 'starts with a drive letter';
  if (rel.includes('\\')) return 'uses a backslash (a folder separator on Windows only)';
  if (rel.length > MAX_PATH) return `is longer than ${MAX_PATH} characters`;
  const segments = rel.split('/');
  if (segments.length > MAX_DEPTH) return `is more than ${MAX_DEPTH} folders deep`;
  for (const s of segments) {
    const why = unplainSegment(s);
    if (why) return why;
  }
  return undefined;
}

const isTsqFile = (name: string) => /\.tsq\.ya?ml$/i.test(name);

/**
 * Whether `rel` is a ConfigMgr part an export .zip import keeps: the OPC parts ConfigMgr's export
 * declares in `[Content_Types].xml` (xml, relationships, core properties) below `configmgr/`:
 * `Manifest.xml`, `<Class>/<ID>/object.xml`, ReferencesInfo.xml, AppReferencesInfo.xml, site
 * files such as `SMS_TaskSequencePackage/USERSTATE_MIGRATION_PACKAGE.xml`, part relationships in
 * `_rels/` folders and `package/services/metadata/core-properties/<id>.psmdcp`.
 */
function isKeptConfigMgrPart(rel: string): boolean {
  const parts = rel.split('/');
  if (parts.length < 2 || parts[0] !== KEPT_FOLDER) return false;
  const name = parts[parts.length - 1].toLowerCase();
  if (name.endsWith('.xml')) return true;
  if (name.endsWith('.psmdcp'))
    return parts.slice(1, -1).join('/').toLowerCase() === 'package/services/metadata/core-properties';
  if (name.endsWith('.rels')) return parts.length > 2 && parts[parts.length - 2].toLowerCase() === '_rels';
  return false;
}

/** Why an import will not write `rel`, or undefined when tsq itself writes files like it. */
export function importRefuses(rel: string): string | undefined {
  const unplain = unplainPath(rel);
  if (unplain) return unplain;
  if (isTsqFile(rel) || isKeptConfigMgrPart(rel)) return undefined;
  return `is not a file tsq writes (an import delivers *.tsq.yaml files, and ConfigMgr .xml parts under ${KEPT_FOLDER}/)`;
}

export const IMPORT_PATHS_HINT =
  'A package may only deliver *.tsq.yaml files in plain folders and the ConfigMgr parts tsq keeps under configmgr/ (docs/interop.md, "What an import may write"). Nothing was written; ask the sender for a package made by `tsq export`.';

/** Key under which two names are the same file on a case-insensitive or normalising file system. */
export function sameNameKey(rel: string): string {
  return rel.normalize('NFC').toLowerCase();
}

/**
 * Why a set of relative paths cannot be written together: a name twice (in any case or Unicode
 * form), or a name used both as a file and as a folder. Undefined when they can.
 */
export function clashingPaths(paths: readonly string[]): string | undefined {
  const files = new Map<string, string>();
  for (const p of paths) {
    const key = sameNameKey(p);
    const other = files.get(key);
    if (other !== undefined)
      return other === p
        ? `"${p}" is listed twice`
        : `"${other}" and "${p}" are the same file on Windows and macOS (they differ only in case or Unicode form)`;
    files.set(key, p);
  }
  for (const [key, p] of files) {
    const segments = key.split('/');
    for (let i = 1; i < segments.length; i++) {
      const folder = files.get(segments.slice(0, i).join('/'));
      if (folder !== undefined) return `"${folder}" is a file, yet "${p}" needs it to be a folder`;
    }
  }
  return undefined;
}

/** Refuses, naming the first offending entry, a list of files an import was asked to write. */
export function checkImportPaths(paths: readonly string[], source: string): void {
  for (const p of paths) {
    const why = importRefuses(p);
    if (why) throw new InteropError(`${source}: refused: the entry "${printable(p)}" ${why}.`, IMPORT_PATHS_HINT);
  }
  const clash = clashingPaths(paths);
  if (clash) throw new InteropError(`${source}: refused: ${printable(clash)}.`, IMPORT_PATHS_HINT);
}

/** A name as it can be shown safely: control and invisible characters as \u escapes. */
export function printable(s: string): string {
  return s.replace(
    // eslint-disable-next-line no-misleading-character-class -- INVISIBLE's marks, matched alone on purpose
    new RegExp(`${CONTROL.source}|${INVISIBLE.source}`, 'g'),
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
