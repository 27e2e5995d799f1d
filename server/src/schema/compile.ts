// Compiles the schema check's validators with Ajv at run time, each when first needed. The built-in
// catalog's validators are precompiled (precompiled.ts); this is for any other catalog, for the
// build that writes the precompiled module, and for the test that compares both.

import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import type { StepDefinition } from '../catalog/types';
import type { FileKind } from '../model/kinds';
import { AJV_OPTIONS, ANNOTATION_KEYWORDS, validatorSchemas, type Validators } from './validators';

/** An Ajv instance that knows our annotation keywords; `source` keeps the code for standalone output. */
export function newAjv(options: { source?: boolean } = {}): Ajv {
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: options.source ?? false, esm: true } });
  for (const k of ANNOTATION_KEYWORDS) ajv.addKeyword({ ...k });
  return ajv;
}

/** Validators compiled on first use (a process that checks nothing pays nothing). */
export function compiledAtRunTime(steps: readonly StepDefinition[]): Validators {
  let made: { ajv: Ajv; schemas: ReturnType<typeof validatorSchemas> } | undefined;
  const compiler = () => (made ??= { ajv: newAjv(), schemas: validatorSchemas(steps) });
  const kinds = new Map<FileKind, ValidateFunction>();
  const withs = new Map<string, ValidateFunction>();
  let entry: ValidateFunction | undefined;
  return {
    kind(kind) {
      let v = kinds.get(kind);
      if (!v) kinds.set(kind, (v = compiler().ajv.compile(compiler().schemas.kinds[kind])));
      return v;
    },
    entry() {
      return (entry ??= compiler().ajv.compile(compiler().schemas.entry));
    },
    withOf(action) {
      let v = withs.get(action);
      if (!v) withs.set(action, (v = compiler().ajv.compile(compiler().schemas.withOf.get(action)!)));
      return v;
    },
  };
}
