// The instruction table the engine writes into smsts.log when it compiles the sequence at start-up
// ("Start to compile TS policy", https://learn.microsoft.com/troubleshoot/mem/configmgr/os-deployment/task-sequence-stops-after-in-place-upgrade):
// for each group its number of children ("There are N first level steps or groups"), then each
// node in document order ("Parsing group node: …" / "Parsing step node: …") with its place
// ("Adding begin group instruction at N"). From these the whole tree can be rebuilt with its
// pointers, also for the steps that never ran. Only a section whose counts add up is used; the
// place of a step ("Adding instruction at N") is optional, so that the table does not depend on a
// wording no source shows.

import type { EngineEvent } from './messages';
import type { InstructionEntry } from './types';

interface Frame {
  entry: number;
  remaining: number;
}

/** Builds tables from the compile sections of a run's events, one per section; call `add` in log order. */
export class PolicyTableBuilder {
  private entries: InstructionEntry[] = [];
  private stack: Frame[] = [];
  private counter = 0;
  private awaitingCount = -1;
  private active = false;
  private broken = false;
  /** The last complete table. */
  table: InstructionEntry[] | undefined;

  add(event: EngineEvent): void {
    switch (event.kind) {
      case 'policy-begin':
        this.reset(true);
        return;
      case 'policy-count':
        if (!this.active) this.reset(true);
        if (this.broken) return;
        if (this.stack.length === 0 && this.entries.length === 0) {
          this.stack.push({ entry: -1, remaining: event.count });
        } else if (this.awaitingCount >= 0) {
          if (event.count > 0) this.stack.push({ entry: this.awaitingCount, remaining: event.count });
          this.awaitingCount = -1;
          this.popFinished();
        }
        return;
      case 'policy-node': {
        if (!this.active || this.broken) return;
        const top = this.stack[this.stack.length - 1];
        if (!top || top.remaining <= 0 || this.awaitingCount >= 0) {
          this.broken = true;
          return;
        }
        top.remaining--;
        const parent = top.entry;
        const depth = parent < 0 ? 0 : this.entries[parent].depth + 1;
        const path = parent < 0 ? event.name : `${this.entries[parent].path}/${event.name}`;
        const index = this.entries.length;
        this.entries.push({
          pointer: this.counter++,
          name: event.name,
          kind: event.node,
          type: event.node === 'group' ? '' : undefined,
          parent,
          end: index + 1,
          depth,
          path,
        });
        if (event.node === 'group') this.awaitingCount = index;
        else this.popFinished();
        return;
      }
      case 'policy-pointer': {
        if (!this.active || this.broken) return;
        if (event.group === 'end') {
          this.counter = event.pointer + 1;
          return;
        }
        const last = this.entries[this.entries.length - 1];
        if (last) {
          last.pointer = event.pointer;
          this.counter = event.pointer + 1;
        }
        return;
      }
      case 'instruction-start':
        if (this.active) this.finish();
        return;
      default:
        return;
    }
  }

  /** Ends the section being read (the log went on to running instructions, or ended). */
  finish(): void {
    if (
      this.active &&
      !this.broken &&
      this.entries.length > 0 &&
      this.awaitingCount < 0 &&
      this.stack.every((f) => f.remaining === 0)
    ) {
      this.table = this.entries;
    }
    this.reset(false);
  }

  private reset(active: boolean): void {
    this.entries = [];
    this.stack = [];
    this.counter = 0;
    this.awaitingCount = -1;
    this.broken = false;
    this.active = active;
  }

  private popFinished(): void {
    while (this.stack.length > 1 && this.stack[this.stack.length - 1].remaining === 0) {
      const frame = this.stack.pop()!;
      this.entries[frame.entry].end = this.entries.length;
    }
    const top = this.stack[this.stack.length - 1];
    if (top && top.entry >= 0 && top.remaining === 0) this.entries[top.entry].end = this.entries.length;
  }
}
