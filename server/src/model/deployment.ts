// The model of a `deployment:` file: a sequence deployed to a collection, with the settings of
// ConfigMgr's Deploy Software wizard that decide who gets it, when it may start and where its
// content comes from — purpose, availability to clients / media / PXE, schedule and deadline,
// content option, rerun behaviour, maintenance-window overrides and the Windows Embedded write
// filter. Enum values that are not valid are left out (the schema rule reports them).

import type { YMap } from './yaml/nodes';
import { ExpansionBudget, toJS } from './yaml/expand';
import { MapReader, spanOf, type Located } from './fields';
import type { Span } from './text';
import { parseLocalDateTime, type LocalMinutes } from '../schedule/local-time';

export const DEPLOYMENT_PURPOSES = ['available', 'required'] as const;
export type DeploymentPurpose = (typeof DEPLOYMENT_PURPOSES)[number];

/** The wizard's "Make available to the following". */
export const AVAILABLE_TO = ['clients', 'clientsMediaAndPxe', 'mediaAndPxe', 'mediaAndPxeHidden'] as const;
export type AvailableTo = (typeof AVAILABLE_TO)[number];

export const CONTENT_OPTIONS = ['downloadWhenNeeded', 'downloadAll', 'runFromDistributionPoint'] as const;
export type ContentOption = (typeof CONTENT_OPTIONS)[number];

export const RERUN_BEHAVIOURS = ['always', 'never', 'ifFailed', 'ifSucceeded'] as const;
export type RerunBehaviour = (typeof RERUN_BEHAVIOURS)[number];

export interface DeploymentModel {
  kind: 'deployment';
  name: string;
  nameSpan: Span;
  /** ConfigMgr deployment ID, when known (media and PXE can preselect it via SMSTSPreferredAdvertID). */
  id?: Located<string>;
  /** Path of the deployed sequence file, relative to this file. */
  sequence?: Located<string>;
  /** Collection ID (a catalog reference). */
  collection?: Located<string>;
  purpose?: Located<DeploymentPurpose>;
  makeAvailableTo?: Located<AvailableTo>;
  content?: Located<ContentOption>;
  rerun?: Located<RerunBehaviour>;
  /** When the deployment becomes available (wall clock). */
  availableAt?: Located<LocalMinutes>;
  /** Required deployments: when it must run; `asap` for as soon as possible. */
  deadline?: Located<LocalMinutes | 'asap'>;
  expiresAt?: Located<LocalMinutes>;
  showProgress?: Located<boolean>;
  /** What may happen outside maintenance windows once the deadline has passed. */
  outsideMaintenanceWindow: { install?: Located<boolean>; restart?: Located<boolean> };
  /** Windows Embedded: commit changes (write filter off, restart) at the deadline or in a window. */
  writeFilter: { commitChanges?: Located<boolean> };
  raw: Record<string, unknown>;
  root: YMap;
}

function enumField<T extends string>(r: MapReader, key: string, values: readonly T[]): Located<T> | undefined {
  const s = r.string(key);
  return s && (values as readonly string[]).includes(s.value) ? (s as Located<T>) : undefined;
}

/** A date-time field; `also` lists words accepted besides a date (`asap`). */
export function dateField<W extends string = never>(
  r: MapReader,
  key: string,
  also: readonly W[] = [],
): Located<LocalMinutes | W> | undefined {
  const s = r.string(key);
  if (!s) return undefined;
  if ((also as readonly string[]).includes(s.value)) return { value: s.value as W, span: s.span };
  const m = parseLocalDateTime(s.value);
  return m === undefined ? undefined : { value: m, span: s.span };
}

export function buildDeployment(root: YMap, budget: ExpansionBudget): DeploymentModel {
  const r = new MapReader(root, budget);
  const name = r.string('deployment');
  const outside = r.map('outsideMaintenanceWindow');
  const writeFilter = r.map('writeFilter');
  const or = outside ? new MapReader(outside, budget) : undefined;
  return {
    kind: 'deployment',
    name: name?.value ?? '',
    nameSpan: name?.span ?? spanOf(root),
    id: r.string('id'),
    sequence: r.string('sequence'),
    collection: r.string('collection'),
    purpose: enumField(r, 'purpose', DEPLOYMENT_PURPOSES),
    makeAvailableTo: enumField(r, 'makeAvailableTo', AVAILABLE_TO),
    content: enumField(r, 'content', CONTENT_OPTIONS),
    rerun: enumField(r, 'rerun', RERUN_BEHAVIOURS),
    availableAt: dateField(r, 'availableAt') as Located<LocalMinutes> | undefined,
    deadline: dateField(r, 'deadline', ['asap'] as const),
    expiresAt: dateField(r, 'expiresAt') as Located<LocalMinutes> | undefined,
    showProgress: r.bool('showProgress'),
    outsideMaintenanceWindow: { install: or?.bool('install'), restart: or?.bool('restart') },
    writeFilter: { commitChanges: writeFilter ? new MapReader(writeFilter, budget).bool('commitChanges') : undefined },
    raw: toJS(root, budget) as Record<string, unknown>,
    root,
  };
}

/** Available unless the file says required (the wizard's default). */
export function purposeOf(d: DeploymentModel): DeploymentPurpose {
  return d.purpose?.value ?? 'available';
}

/** Content is downloaded when needed unless the file says otherwise (the wizard's default). */
export function contentOptionOf(d: DeploymentModel): ContentOption {
  return d.content?.value ?? 'downloadWhenNeeded';
}

/** Computers can start it from boot media or PXE, i.e. in Windows PE. */
export function reachesMediaAndPxe(d: DeploymentModel): boolean {
  const to = d.makeAvailableTo?.value ?? 'clients';
  return to !== 'clients';
}

/** ConfigMgr clients get it in their policy (Software Center or a schedule). */
export function reachesClients(d: DeploymentModel): boolean {
  const to = d.makeAvailableTo?.value ?? 'clients';
  return to === 'clients' || to === 'clientsMediaAndPxe';
}
