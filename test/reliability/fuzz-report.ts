// What a fuzz part found: counts for the summary line, and each failure with a reproducer saved
// to a file (the random seed and the smallest input found that still fails).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const FAILURES_DIR = join(__dirname, '..', '..', '..', 'fuzz-failures');

export type FailureKind = 'crash' | 'hang' | 'mismatch' | 'memory';

export interface Failure {
  kind: FailureKind;
  /** One line: what went wrong. */
  summary: string;
  /** The file holding the reproducer, when one was saved. */
  reproducer?: string;
}

export class FuzzReport {
  inputs = 0;
  /** Findings compared between the two front ends (a comparison of nothing proves nothing). */
  compared = 0;
  /** Requests answered (each was checked). */
  answered = 0;
  readonly failures: Failure[] = [];
  peakMemoryMB = 0;
  private readonly started = Date.now();

  constructor(
    readonly part: string,
    readonly seed: number,
  ) {}

  count(kind: FailureKind): number {
    return this.failures.filter((f) => f.kind === kind).length;
  }

  /** Records a failure; `reproducer` (any JSON) is written to fuzz-failures/ and its path kept. */
  fail(
    kind: FailureKind,
    summary: string,
    reproducer?: Record<string, unknown>,
    files: Record<string, string> = {},
  ): void {
    const failure: Failure = { kind, summary: summary.replace(/\s+/g, ' ').slice(0, 500) };
    if (reproducer) {
      mkdirSync(FAILURES_DIR, { recursive: true });
      const name = `${this.part}-seed${this.seed}-${this.failures.length + 1}-${kind}`;
      failure.reproducer = join(FAILURES_DIR, `${name}.json`);
      writeFileSync(
        failure.reproducer,
        JSON.stringify({ part: this.part, seed: this.seed, kind, summary, ...reproducer }, null, 2),
      );
      for (const [suffix, text] of Object.entries(files)) writeFileSync(join(FAILURES_DIR, `${name}${suffix}`), text);
    }
    this.failures.push(failure);
  }

  noteMemory(mb: number | undefined): void {
    if (mb !== undefined && mb > this.peakMemoryMB) this.peakMemoryMB = mb;
  }

  get seconds(): number {
    return (Date.now() - this.started) / 1000;
  }

  /** `lsp (seed 7): 100000 inputs, 0 crashes, 0 hangs, 0 mismatches in 312.4 s, peak 180 MB` */
  summary(inputsName = 'inputs'): string {
    return `${this.part} (seed ${this.seed}): ${this.inputs} ${inputsName}, ${this.count('crash')} crashes, ${this.count('hang')} hangs, ${this.count('mismatch')} mismatches${this.answered ? `, ${this.answered} requests answered` : ''}${this.compared ? `, ${this.compared} findings compared` : ''}${this.count('memory') ? `, ${this.count('memory')} over the memory bound` : ''} in ${this.seconds.toFixed(1)} s, peak ${Math.round(this.peakMemoryMB)} MB`;
  }
}
