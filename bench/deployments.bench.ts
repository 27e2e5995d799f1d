// Benchmark of the deployment and media rules: a workspace of N sequences (200 steps each), each
// with a required deployment and stand-alone media, linted whole (what `tsq lint` does; the time
// of the deployment and media files is shown apart, since sequence analysis has costs of its own),
// and one deployment plus its sequence re-analysed after an edit (what the editor does on a
// keystroke, when the cross-file index of media and deployments is rebuilt). Fresh process per size.

import { spawnSync } from 'node:child_process';
import { parseDocument } from '../server/src/model/document';
import { Workspace } from '../server/src/semantics/workspace';
import { analyzeDocument } from '../server/src/analysis/analyze';
import { BENCH_CATALOG, generateSequence } from './generate';
import { median, table } from './util';

const SIZES = [50, 200, 400];
const RUNS = 5;

const SITE = `catalog: Bench site settings
site: { highRisk: { defaultSize: 100 }, enhancedHttp: false, networkAccessAccount: false }
collections:
  - id: BEN00100
    type: device
    members: 40
    maintenanceWindows:
      - { name: Saturday, start: 2025-01-04 22:00, duration: 4h, recurrence: weekly }
      - { name: Patch, start: 2025-01-01 20:00, duration: 3h, recurrence: monthlyByWeekday, week: second, weekday: tuesday, appliesTo: softwareUpdates }
`;

function build(n: number): Workspace {
  const ws = new Workspace();
  ws.upsert(parseDocument('/bench/catalog.tsq.yaml', BENCH_CATALOG));
  ws.upsert(parseDocument('/bench/site.tsq.yaml', SITE));
  const seq = generateSequence(200);
  for (let i = 0; i < n; i++) {
    ws.upsert(parseDocument(`/bench/s${i}.tsq.yaml`, seq));
    ws.upsert(
      parseDocument(
        `/bench/d${i}.tsq.yaml`,
        `deployment: D${i}\nsequence: ./s${i}.tsq.yaml\ncollection: BEN00100\npurpose: required\ndeadline: 2025-03-10 09:00\nmakeAvailableTo: clientsMediaAndPxe\n`,
      ),
    );
    ws.upsert(
      parseDocument(
        `/bench/m${i}.tsq.yaml`,
        `media: M${i}\ntype: standalone\nsequence: ./s${i}.tsq.yaml\ndevice: iso\n`,
      ),
    );
  }
  return ws;
}

function measure(n: number) {
  const ws = build(n);
  for (const d of [...ws.all()].slice(0, 30)) analyzeDocument(ws, d); // warm up
  const whole: number[] = [],
    own: number[] = [],
    edit: number[] = [];
  let findings = 0;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    findings = 0;
    let mine = 0;
    for (const d of ws.all()) {
      const t = performance.now();
      findings += analyzeDocument(ws, d).length;
      if (d.kind === 'deployment' || d.kind === 'media') mine += performance.now() - t;
    }
    whole.push(performance.now() - t0);
    own.push(mine);
    const t1 = performance.now();
    const dep = parseDocument(
      '/bench/d0.tsq.yaml',
      `deployment: D0 edited ${r}\nsequence: ./s0.tsq.yaml\ncollection: BEN00100\npurpose: required\ndeadline: 2025-03-11 09:00\n`,
    );
    ws.upsert(dep);
    analyzeDocument(ws, dep);
    analyzeDocument(ws, ws.get('/bench/s0.tsq.yaml')!);
    edit.push(performance.now() - t1);
  }
  return { n, files: ws.size, whole: median(whole), own: median(own), edit: median(edit), findings };
}

if (process.argv[2] === '--size') {
  process.stdout.write(JSON.stringify(measure(Number(process.argv[3]))));
} else {
  const rows = SIZES.map((n) => {
    const r = spawnSync(process.execPath, [__filename, '--size', String(n)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout) as ReturnType<typeof measure>;
  });
  console.log(
    `\nDeployments and media: lint of a workspace of sequences (200 steps), deployments and stand-alone media (median of ${RUNS} runs)\n`,
  );
  console.log(
    table(
      ['triples', 'files', 'whole lint', 'deployment + media files', 'ms / such file', 'edit a deployment', 'findings'],
      rows.map((r) => [
        String(r.n),
        String(r.files),
        `${r.whole.toFixed(0)} ms`,
        `${r.own.toFixed(0)} ms`,
        (r.own / (2 * r.n)).toFixed(2),
        `${r.edit.toFixed(1)} ms`,
        String(r.findings),
      ]),
    ),
  );
}
