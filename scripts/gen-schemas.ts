// Writes schemas/<kind>.schema.json from the catalog (`npm run gen:schemas`). Editors that know
// JSON Schema (VS Code's YAML extension, yaml-language-server, JetBrains) can use them; a test
// fails when the committed files differ from what the catalog generates.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { allSchemas } from '../server/src/schema/generate';
import { allSteps } from '../server/src/catalog';

export function schemaFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [kind, schema] of Object.entries(allSchemas(allSteps())))
    out[`${kind}.schema.json`] = JSON.stringify(schema, null, 2) + '\n';
  return out;
}

if (require.main === module) {
  const dir = path.join(__dirname, '../../schemas');
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(schemaFiles())) fs.writeFileSync(path.join(dir, name), text);
  console.log(`tsq: wrote ${Object.keys(schemaFiles()).length} schemas to ${path.relative(process.cwd(), dir) || '.'}`);
}
