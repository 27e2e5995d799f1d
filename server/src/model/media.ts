// The model of a `media:` file: task sequence media as ConfigMgr's Create Task Sequence Media
// wizard makes them — capture, stand-alone, bootable or prestaged — with the sequence they carry,
// boot image, architecture, target device (USB drive or ISO) and its file system, the password
// (only ever a reference: an environment variable or a prompt), validity dates, whether content
// is included, and the machine profiles of the computers the media is for.

import type { YMap } from './yaml/nodes';
import { ExpansionBudget, toJS } from './yaml/expand';
import { MapReader, spanOf, type Located } from './fields';
import type { Span } from './text';
import { normaliseArchitecture, type Architecture } from './architecture';
import { dateField } from './deployment';
import type { LocalMinutes } from '../schedule/local-time';

export const MEDIA_TYPES = ['capture', 'standalone', 'bootable', 'prestaged'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

export const MEDIA_DEVICES = ['usb', 'iso'] as const;
export type MediaDevice = (typeof MEDIA_DEVICES)[number];

export const MEDIA_FILE_SYSTEMS = ['fat32', 'ntfs'] as const;
export type MediaFileSystem = (typeof MEDIA_FILE_SYSTEMS)[number];

/** Where the media password comes from when the media is made; the password itself is never in the file. */
export type MediaPassword = { env: string; span: Span } | { prompt: true; span: Span };

export interface MediaModel {
  kind: 'media';
  name: string;
  nameSpan: Span;
  type?: Located<string>;
  /** `type` when it is one of the four media types. */
  mediaType?: MediaType;
  /** Path of the sequence file the media carries, relative to this file. */
  sequence?: Located<string>;
  bootImage?: Located<string>;
  architecture?: Located<Architecture>;
  device?: Located<MediaDevice>;
  fileSystem?: Located<MediaFileSystem>;
  password?: MediaPassword;
  validFrom?: Located<LocalMinutes>;
  validUntil?: Located<LocalMinutes>;
  includeContent?: Located<boolean>;
  /** Paths of machine profiles (`machine:` files) of the computers the media is for. */
  machines: Located<string>[];
  /** Task sequence variables the media sets (name: value). */
  variables: Record<string, string>;
  /** Every field as written, except a password written in clear (never kept in memory models). */
  raw: Record<string, unknown>;
  root: YMap;
}

function enumField<T extends string>(r: MapReader, key: string, values: readonly T[]): Located<T> | undefined {
  const s = r.string(key);
  if (!s) return undefined;
  const v = s.value.toLowerCase();
  return (values as readonly string[]).includes(v) ? { value: v as T, span: s.span } : undefined;
}

export function buildMedia(root: YMap, budget: ExpansionBudget): MediaModel {
  const r = new MapReader(root, budget);
  const name = r.string('media');
  const type = r.string('type');
  const arch = r.string('architecture');
  const normArch = arch ? normaliseArchitecture(arch.value) : undefined;
  const raw = toJS(root, budget) as Record<string, unknown>;
  const password = readPassword(r, budget);
  if ('password' in raw && !password) delete raw.password;
  const variables: Record<string, string> = {};
  const vars = r.js('variables');
  if (vars && typeof vars === 'object' && !Array.isArray(vars)) {
    for (const [k, v] of Object.entries(vars)) if (v !== null && typeof v !== 'object') variables[k] = String(v);
  }
  return {
    kind: 'media',
    name: name?.value ?? '',
    nameSpan: name?.span ?? spanOf(root),
    type,
    mediaType: type && (MEDIA_TYPES as readonly string[]).includes(type.value) ? (type.value as MediaType) : undefined,
    sequence: r.string('sequence'),
    bootImage: r.string('bootImage'),
    architecture: arch && normArch ? { value: normArch, span: arch.span } : undefined,
    device: enumField(r, 'device', MEDIA_DEVICES),
    fileSystem: enumField(r, 'fileSystem', MEDIA_FILE_SYSTEMS),
    password,
    validFrom: dateField(r, 'validFrom') as Located<LocalMinutes> | undefined,
    validUntil: dateField(r, 'validUntil') as Located<LocalMinutes> | undefined,
    includeContent: r.bool('includeContent'),
    machines: r.strings('machine'),
    variables,
    raw,
    root,
  };
}

function readPassword(r: MapReader, budget: ExpansionBudget): MediaPassword | undefined {
  const m = r.map('password');
  if (!m) return undefined;
  const pr = new MapReader(m, budget);
  const env = pr.string('env');
  if (env && /^[A-Za-z_][A-Za-z0-9_]*$/.test(env.value)) return { env: env.value, span: spanOf(m) };
  if (pr.bool('prompt')?.value === true) return { prompt: true, span: spanOf(m) };
  return undefined;
}

/** Stand-alone media on a USB drive keeps its files on FAT32 unless the file says NTFS (the wizard formats FAT32). */
export function fileSystemOf(m: MediaModel): MediaFileSystem | undefined {
  if ((m.device?.value ?? 'usb') !== 'usb') return undefined;
  return m.fileSystem?.value ?? 'fat32';
}
