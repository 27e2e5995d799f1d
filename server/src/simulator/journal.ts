// An undo log for the simulator's state, so the debugger can step backwards. Every change to a
// field of a state object, an entry of an array or an entry of a map goes through here; a
// checkpoint is just the log's length, and going back undoes entries down to it. Memory grows
// with the changes a run makes, not with copies of the whole state per step, and the oldest
// entries can be forgotten when the history is full. With recording off (plain runs) it only
// assigns; hot paths test `recording` themselves and assign directly.

const DELETED = Symbol('deleted');

/** How an object that stores its fields its own way (columns that are replaced as they grow) takes an old value back. */
export const RESTORE = Symbol('restore');

export interface Restorable {
  [RESTORE](key: number, value: unknown): void;
}

export class Journal {
  private readonly targets: (object | Map<unknown, unknown>)[] = [];
  private readonly keys: unknown[] = [];
  private readonly previous: unknown[] = [];
  /** Entries forgotten from the front (lengths stay counted from the start of the run). */
  private base = 0;

  constructor(readonly recording: boolean) {}

  get length(): number {
    return this.base + this.targets.length;
  }

  /** Sets `obj[key]`, remembering the old value. */
  set<T extends object, K extends keyof T>(obj: T, key: K, value: T[K]): void {
    if (this.recording) {
      this.targets.push(obj);
      this.keys.push(key);
      this.previous.push(Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : DELETED);
    }
    obj[key] = value;
  }

  /** Sets a map entry, remembering whether and what it held. */
  mapSet<K, V>(map: Map<K, V>, key: K, value: V): void {
    if (this.recording) {
      this.targets.push(map);
      this.keys.push(key);
      this.previous.push(map.has(key) ? map.get(key) : DELETED);
    }
    map.set(key, value);
  }

  /** Remembers that field `key` of `target` held `previous`; the caller makes the change. */
  changed(target: Restorable, key: number, previous: unknown): void {
    if (!this.recording) return;
    this.targets.push(target);
    this.keys.push(key);
    this.previous.push(previous);
  }

  mapDelete<K, V>(map: Map<K, V>, key: K): void {
    if (!map.has(key)) return;
    if (this.recording) {
      this.targets.push(map);
      this.keys.push(key);
      this.previous.push(map.get(key));
    }
    map.delete(key);
  }

  /** Undoes every change made after the log had `length` entries (never before what was forgotten). */
  rewind(length: number): void {
    const keep = Math.max(0, length - this.base);
    for (let i = this.targets.length - 1; i >= keep; i--) {
      const target = this.targets[i];
      const key = this.keys[i];
      const prev = this.previous[i];
      if (target instanceof Map) {
        if (prev === DELETED) target.delete(key);
        else target.set(key, prev);
      } else if (RESTORE in target) {
        (target as Restorable)[RESTORE](key as number, prev);
      } else if (prev === DELETED) {
        delete (target as Record<PropertyKey, unknown>)[key as PropertyKey];
      } else {
        (target as Record<PropertyKey, unknown>)[key as PropertyKey] = prev;
      }
    }
    this.targets.length = this.keys.length = this.previous.length = Math.min(keep, this.targets.length);
  }

  /** Forgets the entries before `length`: nothing can go back that far any more. */
  forget(length: number): void {
    const n = Math.min(length - this.base, this.targets.length);
    if (n <= 0) return;
    this.targets.splice(0, n);
    this.keys.splice(0, n);
    this.previous.splice(0, n);
    this.base += n;
  }
}
