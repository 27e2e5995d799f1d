// Builds a ConditionEnvironment from plain facts (a `machine:` file's `variables` and `facts`,
// or a test's literal object). Lookups follow Windows: variable names, paths, registry keys,
// WMI queries and product codes are matched ignoring case, paths with either slash, and
// registry hives in short (HKLM) or long form.

import type { ConditionEnvironment, FileFacts, RegistryValueFacts } from './evaluate';
import { expandHive } from './validate';

export interface ConditionFacts {
  variables?: Record<string, string>;
  /** Query text -> whether it returns instances (namespace is not distinguished). */
  wmi?: Record<string, boolean>;
  /** Existing files, by path, optionally with version and timestamp. */
  files?: string[] | Record<string, FileFacts>;
  /** Existing folders; parents of listed files exist too. */
  folders?: string[] | Record<string, { date?: string }>;
  /** `KEY\ValueName` (`KEY\` for the default value) -> data, or data with its type. */
  registry?: Record<string, string | RegistryValueFacts>;
  /** Installed MSI products by product code (a bare string matches as product or upgrade code). */
  installed?: (string | { productCode?: string; upgradeCode?: string })[];
  /** Names of the supported platforms the machine's OS counts as; when given, names not listed do not match. */
  osVersions?: string[];
  osLanguage?: string | number;
}

function normalisePath(path: string): string {
  return path.replace(/\//g, '\\').replace(/\\+$/, '').toLowerCase();
}

function normaliseQuery(query: string): string {
  return query.replace(/\s+/g, ' ').trim().toLowerCase();
}

function byKey<T>(entries: [string, T][], normalise: (k: string) => string): Map<string, T> {
  return new Map(entries.map(([k, v]) => [normalise(k), v]));
}

function listOrRecord<T extends object>(facts: string[] | Record<string, T> | undefined): [string, T][] {
  if (!facts) return [];
  return Array.isArray(facts) ? facts.map((p) => [p, {} as T]) : Object.entries(facts);
}

export function createConditionEnvironment(facts: ConditionFacts): ConditionEnvironment {
  const variables = byKey(Object.entries(facts.variables ?? {}), (k) => k.toLowerCase());
  const wmi = byKey(Object.entries(facts.wmi ?? {}), normaliseQuery);
  const files = byKey(listOrRecord(facts.files), normalisePath);
  const folders = byKey(listOrRecord(facts.folders), normalisePath);
  for (const file of files.keys()) {
    for (let cut = file.lastIndexOf('\\'); cut > 0; cut = file.lastIndexOf('\\', cut - 1)) {
      const parent = file.slice(0, cut);
      if (!folders.has(parent)) folders.set(parent, {});
    }
  }
  const registry = byKey(
    Object.entries(facts.registry ?? {}).map(([k, v]): [string, RegistryValueFacts] => [
      k,
      typeof v === 'string' ? { data: v } : v,
    ]),
    (k) => expandHive(k).toLowerCase(),
  );
  const products = new Set<string>();
  const upgrades = new Set<string>();
  for (const item of facts.installed ?? []) {
    if (typeof item === 'string') {
      products.add(item.toLowerCase());
      upgrades.add(item.toLowerCase());
    } else {
      if (item.productCode) products.add(item.productCode.toLowerCase());
      if (item.upgradeCode) upgrades.add(item.upgradeCode.toLowerCase());
    }
  }
  // Without a platform list, osVersion() falls back to the platform's own WMI tests.
  const platforms = facts.osVersions && new Set(facts.osVersions.map((p) => p.toLowerCase()));

  return {
    variable: (name) => variables.get(name.toLowerCase()),
    wmi: (_namespace, query) => wmi.get(normaliseQuery(query)),
    file: (path) => files.get(normalisePath(path)),
    folder: (path) => folders.get(normalisePath(path)),
    registry: (key, valueName) => registry.get(`${expandHive(key).replace(/\\+$/, '')}\\${valueName}`.toLowerCase()),
    productInstalled: (code) => products.has(code.toLowerCase()),
    upgradeCodeInstalled: (code) => upgrades.has(code.toLowerCase()),
    osVersion: (name) => platforms?.has(name.toLowerCase()),
    osLanguage: () => (facts.osLanguage === undefined ? undefined : String(facts.osLanguage)),
  };
}
