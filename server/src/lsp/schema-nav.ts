// Reads the JSON Schemas of the file kinds (server/src/schema/generate.ts) the way an editor needs
// them: which properties a mapping at some path may have, with their descriptions, and which
// values a key takes. Key completion and hover for catalogs, machines, deployments and media are
// driven by these schemas, so that they follow the schemas as they grow.

import { allSchemas } from '../schema/generate';
import { allSteps } from '../catalog';
import type { FileKind } from '../model/kinds';
import type { TsqDocument } from '../model/document';
import { pathOf, seqNodeAt, type PathStep } from './context';

export type Schema = Record<string, unknown>;

let cache: Record<string, Schema> | undefined;

export function schemaOf(kind: FileKind): Schema | undefined {
  cache ??= allSchemas(allSteps(), { dispatch: false });
  return cache[kind];
}

/** Every schema a value described by `s` may have to satisfy (references, allOf/anyOf/oneOf, if/then/else). */
export function expand(root: Schema, s: unknown, depth = 0): Schema[] {
  if (!s || typeof s !== 'object' || Array.isArray(s) || depth > 20) return [];
  const schema = s as Schema;
  const out: Schema[] = [schema];
  if (typeof schema.$ref === 'string') out.push(...expand(root, resolveRef(root, schema.$ref), depth + 1));
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const list = schema[key];
    if (Array.isArray(list)) for (const x of list) out.push(...expand(root, x, depth + 1));
  }
  for (const key of ['then', 'else']) out.push(...expand(root, schema[key], depth + 1));
  return out;
}

function resolveRef(root: Schema, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(2).split('/'))
    node =
      node && typeof node === 'object' ? (node as Schema)[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  return node;
}

/** The schemas of the value at `path` (keys and list indexes) under `root` (or under `from`). */
export function schemasAt(
  root: Schema,
  path: readonly (string | number)[],
  from: Schema[] = expand(root, root),
): Schema[] {
  let current = from;
  for (const seg of path) {
    const next: Schema[] = [];
    for (const s of current) {
      if (typeof seg === 'number') {
        if (s.items && typeof s.items === 'object') next.push(...expand(root, s.items));
        continue;
      }
      const props = s.properties as Record<string, unknown> | undefined;
      if (props && seg in props) next.push(...expand(root, props[seg]));
      else if (s.additionalProperties && typeof s.additionalProperties === 'object')
        next.push(...expand(root, s.additionalProperties));
    }
    current = next;
    if (current.length === 0) break;
  }
  return current;
}

export interface PropertyInfo {
  name: string;
  description?: string;
  required: boolean;
  schemas: Schema[];
}

/** The properties any of `schemas` names, with their descriptions and whether one requires them. */
export function propertiesOf(root: Schema, schemas: readonly Schema[]): PropertyInfo[] {
  const out = new Map<string, PropertyInfo>();
  for (const s of schemas) {
    const props = s.properties as Record<string, unknown> | undefined;
    const required = Array.isArray(s.required) ? (s.required as string[]) : [];
    if (props) {
      for (const [name, p] of Object.entries(props)) {
        const expanded = expand(root, p);
        const info = out.get(name) ?? { name, required: false, schemas: [] };
        info.schemas.push(...expanded);
        info.description ??= expanded.map((x) => x.description).find((d): d is string => typeof d === 'string');
        out.set(name, info);
      }
    }
    for (const r of required) {
      const info = out.get(r);
      if (info) info.required = true;
    }
  }
  return [...out.values()];
}

/** Values a scalar described by `schemas` may take, as far as the schemas list them. */
export function valuesOf(schemas: readonly Schema[]): string[] {
  const out = new Set<string>();
  for (const s of schemas) {
    if (Array.isArray(s.enum)) for (const v of s.enum) out.add(String(v));
    if (s.const !== undefined) out.add(typeof s.const === 'string' ? s.const : JSON.stringify(s.const));
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (types.includes('boolean')) {
      out.add('true');
      out.add('false');
    }
  }
  return [...out];
}

export function descriptionOf(schemas: readonly Schema[]): string | undefined {
  return schemas.map((s) => s.description).find((d): d is string => typeof d === 'string');
}

/**
 * The schemas of the value at the end of `chain` (then `tail`) in a document. Below a step's
 * `with:` they come from that step's action (`with.<Action>`), which the plain path cannot know:
 * that is how the entries of an option list (Set Dynamic Variables' rules) are completed and explained.
 */
export function schemasIn(
  doc: TsqDocument,
  chain: readonly PathStep[],
  tail: readonly (string | number)[] = [],
): Schema[] {
  const schema = doc.kind ? schemaOf(doc.kind) : undefined;
  if (!schema) return [];
  const path = [...pathOf(chain), ...tail];
  if (doc.kind === 'sequence') {
    const at = chain.findIndex((s, i) => i > 0 && s.key === 'with');
    const owner = at > 0 ? seqNodeAt(doc, chain[at - 1].node.start) : undefined;
    const def =
      owner?.kind === 'step' && owner.node === chain[at - 1].node
        ? (schema.definitions as Record<string, Schema>)[`with.${owner.action}`]
        : undefined;
    // pathOf leaves the root out: the key `with` is path[at - 1], what is below it path[at...].
    if (def) return schemasAt(schema, path.slice(at), expand(schema, def));
  }
  return schemasAt(schema, path);
}
