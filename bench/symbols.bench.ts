// Document symbols alone, timed from the request to the client having parsed the answer, with the
// servers asked in turn (tsq, yaml-language-server and, if given, another build of tsq) so that a
// loaded machine slows each alike. The lsp bench measures each server after the other, and on
// tens of milliseconds its symbol ratios moved by up to 1.5× between runs where nothing changed;
// this one is for the issue 18 target "document symbols no slower than yaml-language-server's
// while listing every group and step", and for before/after comparisons of tsq's outline.
// Each server opens the file and publishes its diagnostics first; the first request of each round
// follows a one-character edit when TSQ_BENCH_EDITS=1 (a new revision: tsq builds its outline).
// Usage: npm run bench -- symbols   (TSQ_BENCH_SHAPES=mixed,nested picks shapes; TSQ_BENCH_ROUNDS=25;
// TSQ_BENCH_BASELINE=/path/to/other/dist/server.js adds that build of tsq)

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DocumentSymbolRequest } from 'vscode-languageserver-protocol/node';
import { TestClient, repoRoot, type ClientOptions } from '../test/lsp/client';
import { allSchemas } from '../server/src/schema/generate';
import { allSteps } from '../server/src/catalog';
import { BENCH_SHAPES, generateShape, type BenchShape } from './generate';
import { median, percentile, table } from './util';

const SHAPES = (process.env.TSQ_BENCH_SHAPES ?? BENCH_SHAPES.join(',')).split(',') as BenchShape[];
const ROUNDS = Number(process.env.TSQ_BENCH_ROUNDS ?? 25);
const EDITS = process.env.TSQ_BENCH_EDITS === '1';
const BASELINE = process.env.TSQ_BENCH_BASELINE;
const YAML_LS = join(repoRoot, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');

function countSymbols(list: unknown): number {
  if (!Array.isArray(list)) return 0;
  return list.reduce((n: number, s: { children?: unknown }) => n + 1 + countSymbols(s.children), 0);
}

interface Server {
  name: string;
  client: TestClient;
  times: number[];
  symbols: number;
  bytes: number;
  version: number;
}

async function main(): Promise<void> {
  const rows: string[][] = [];
  for (const shape of SHAPES) {
    if (!BENCH_SHAPES.includes(shape)) throw new Error(`unknown shape ${shape}; shapes: ${BENCH_SHAPES.join(', ')}`);
    const folder = mkdtempSync(join(tmpdir(), `tsq-bench-symbols-${shape}-`));
    const servers: Server[] = [];
    try {
      const { sequence, files } = generateShape(shape, 10_000);
      writeFileSync(join(folder, 'sequence.tsq.yaml'), sequence);
      for (const [name, content] of Object.entries(files)) writeFileSync(join(folder, name), content);
      const schema = join(folder, 'sequence.schema.json');
      writeFileSync(schema, JSON.stringify(allSchemas(allSteps()).sequence));
      const uri = pathToFileURL(join(folder, 'sequence.tsq.yaml')).href;
      const options: Array<[string, ClientOptions]> = [
        ['tsq', { folder }],
        [
          'yaml-ls',
          {
            folder,
            server: [YAML_LS, '--stdio'],
            sections: {
              yaml: {
                validate: true,
                schemaStore: { enable: false },
                schemas: { [pathToFileURL(schema).href]: '*.tsq.yaml' },
              },
            },
          },
        ],
      ];
      if (BASELINE) options.push(['baseline', { folder, tsqServer: BASELINE }]);
      for (const [name, option] of options) {
        const client = await TestClient.start(option);
        servers.push({ name, client, times: [], symbols: 0, bytes: 0, version: 1 });
        const seen = client.published(uri);
        await client.open(uri, sequence, 1);
        await client.diagnosticsFor(uri, { after: seen, timeoutMs: 600_000 });
      }
      for (let round = 0; round < ROUNDS; round++) {
        for (const s of round % 2 ? [...servers].reverse() : servers) {
          if (EDITS) {
            // One character into the sequence's name and out again on the next round.
            const at = { line: 0, character: 12 };
            const seen = s.client.published(uri);
            await s.client.change(uri, ++s.version, [
              { range: { start: at, end: round % 2 ? { line: 0, character: 13 } : at }, text: round % 2 ? '' : 'x' },
            ]);
            await s.client.diagnosticsFor(uri, { after: seen, timeoutMs: 600_000 });
          }
          const t0 = performance.now();
          const answer = await s.client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
          s.times.push(performance.now() - t0);
          if (!s.symbols) {
            s.symbols = countSymbols(answer);
            s.bytes = Buffer.byteLength(JSON.stringify(answer));
          }
        }
      }
      const yaml = servers.find((s) => s.name === 'yaml-ls')!;
      for (const s of servers)
        rows.push([
          `${shape} 10,000`,
          s.name,
          `${s.symbols.toLocaleString('en-US')} (${(s.bytes / 1e6).toFixed(2)} MB)`,
          `${median(s.times).toFixed(1)} ms`,
          `${percentile(s.times, 90).toFixed(1)} ms`,
          `${Math.min(...s.times).toFixed(1)} ms`,
          (median(s.times) / median(yaml.times)).toFixed(2),
        ]);
    } finally {
      for (const s of servers) await s.client.stop();
      rmSync(folder, { recursive: true, force: true });
    }
  }
  console.log(
    `\nDocument symbols, request → parsed answer, servers asked in turn ${ROUNDS} times each${EDITS ? ' (each after a one-character edit)' : ''}:\n`,
  );
  console.log(table(['shape, steps', 'server', 'symbols (JSON)', 'median', 'p90', 'min', '÷ yaml-ls'], rows));
  console.log('\nyaml-language-server stops at `yaml.maxItemsComputed` (5,000); tsq lists every group and step.');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
