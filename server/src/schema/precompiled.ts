// The schema check's validators for the built-in catalog, compiled at build time (by
// `npm run gen:schemas` into validators.generated.ts): nothing is compiled at run time.

import type { ValidateFunction } from 'ajv';
import type { FileKind } from '../model/kinds';
import type { Validators } from './validators';
import * as generated from './validators.generated';

const table = generated as unknown as Record<string, ValidateFunction> & {
  withByAction: Record<string, ValidateFunction>;
};

export const precompiledValidators: Validators = {
  kind: (kind: FileKind) => table[`kind_${kind}`],
  entry: () => table.entry,
  withOf: (action: string) => table.withByAction[action],
};
