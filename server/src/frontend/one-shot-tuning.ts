// How V8 optimizes in a process that reads, checks and runs its input once (`tsq simulate`, the
// debug adapter, `tsq lint`), set before any of that code gets hot. Such a process runs every
// hot function of the parser, the checks and the simulator for a few hundred milliseconds and then
// ends: what V8 spends optimizing them counts as much as what the optimized code saves. V8's
// default inlining budget (920 bytes of bytecode inlined into one function) made its optimizing
// compiler (TurboFan, on a thread of its own, in the process's CPU time) spend more on the
// simulator's hot functions than the inlining gained: each of `readCheckList`, the event log's
// `record`, `variableSlotIn`, `visit` and `runStep` took 30–100 ms to compile, some of them twice
// after a deoptimization, during the first run of a freshly read 100,000-step file. A smaller
// budget compiles those functions in a fraction of that and the code runs about as fast: the
// first run of that file went from 445–482 to 399–428 ms of CPU (docs/performance.md, "The first
// run's optimizing compiler"); `tsq lint` of a 500-sequence folder from 2.08–2.25 to 1.99–2.06 s.
// Long-lived processes (the language server) keep V8's defaults.

import { setFlagsFromString } from 'node:v8';

/** Bytes of bytecode V8 inlines into one optimized function at most (V8's default: 920). */
const INLINED_BYTECODE_BUDGET = 300;

let tuned = false;

/**
 * Sets V8's inlining budget for a process that runs one large sequence once. Call it before the
 * work starts (an optimization already made keeps its inlining); calling it again does nothing.
 */
export function tuneForOneRun(): void {
  if (tuned) return;
  tuned = true;
  // V8 reads the budget whenever it optimizes a function, so a change made at run time applies
  // to every function optimized from then on.
  setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${INLINED_BYTECODE_BUDGET}`);
}
