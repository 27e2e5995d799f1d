// Work the server does once, idle, right after it starts, so that the code a user's first actions
// run is compiled by then. V8 runs a function in its interpreter until it has been called often
// enough, and its loops run many times slower there: the first check of a file used to pay that,
// and so did the first keystroke after a large file was opened, which runs code an open does not
// (the model's shift of everything after the edit, the kept findings moved, thousands of findings
// finished): 45–65 ms of CPU on a 10,000-step file where the keystrokes after it take 6–9 ms
// (docs/performance.md, "The editor's open and keystroke, sixth pass"). Edits of a small sequence written
// to go through those paths make the first real keystroke cost what the later ones do.

import { analyzeDocument } from '../analysis/analyze';
import { IncrementalAnalysis } from '../analysis/incremental';
import { allSteps } from '../catalog';
import { parseDocument } from '../model/document';
import { updateDocument } from '../model/incremental';
import { Workspace } from '../semantics/workspace';
import type { Job } from './background';

/**
 * Steps in the editing warm-up, each with findings of whole-file and per-node rules: more of one
 * rule than a file shows (finding-cap.ts), and hundreds of nodes and findings moved per edit.
 */
const EDITED_STEPS = 240;
const EDITS = 60;

/**
 * Checks a sequence that uses every action once, then edits another as an editor does; keeps
 * nothing. A job: the server reads its messages between its edits.
 */
export function* warmUp(): Job<void> {
  const text = `sequence: warm-up\nsteps:\n${allSteps()
    .map((s) => `  - name: ${s.key}\n    action: ${s.key}\n    with: {}\n`)
    .join('')}`;
  const ws = new Workspace();
  const doc = parseDocument('untitled:tsq-warm-up', text);
  ws.upsert(doc);
  analyzeDocument(ws, doc);
  yield;
  yield* warmUpEditing();
}

function* warmUpEditing(): Job<void> {
  const steps: string[] = [];
  for (let i = 0; i < EDITED_STEPS; i++)
    steps.push(
      `  - name: Step ${i}\n    id: s${i}\n    run: cmd.exe /c echo %Unset${i % 7}%\n    package: ZZ00000${i % 3}\n    timeout: soon\n    when: Missing${i % 5} == "1"\n    continueOnError: true\n`,
    );
  let text = `sequence: warm-up edits\nsteps:\n${steps.join('')}`;
  const ws = new Workspace();
  let doc = parseDocument('untitled:tsq-warm-up-edits', text);
  ws.upsert(doc);
  const analysis = new IncrementalAnalysis();
  analysis.analyze(ws, doc, { severity: {} });
  yield;
  for (let i = 0; i < EDITS; i++) {
    // A character typed into a step's name early in the file, then taken out again.
    const at = text.indexOf(`name: Step ${(i * 37) % (EDITED_STEPS / 4)}\n`) + 'name: '.length;
    const edit = i % 2 === 0 ? { start: at, end: at, text: 'x' } : { start: at, end: at + 1, text: '' };
    text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
    const previous = doc;
    const update = updateDocument(previous, edit, text, i + 2);
    doc = update.doc;
    ws.upsert(doc, { previous, change: update.change });
    analysis.analyze(ws, doc, { severity: {} }, { previous, change: update.change });
    yield;
  }
}
