// An undo log for the simulator's state, so the debugger can step backwards. Every change to a
// field of a state object or an entry of a map goes through here; a checkpoint is just the log's
// length, and going back undoes entries down to it. Memory grows with the changes a run makes,
// not with copies of the whole state per step. With recording off (plain runs) it only assigns.

const DELETED = Symbol('deleted');

export class Journal {
  private readonly targets: (object | Map<unknown, unknown>)[] = [];
  private readonly keys: unknown[] = [];
  private readonly previous: unknown[] = [];

  constructor(readonly recording: boolean) {}

  get length(): number {
    return this.targets.length;
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

  mapDelete<K, V>(map: Map<K, V>, key: K): void {
    if (!map.has(key)) return;
    if (this.recording) {
      this.targets.push(map);
      this.keys.push(key);
      this.previous.push(map.get(key));
    }
    map.delete(key);
  }

  /** Undoes every change made after the log had `length` entries. */
  rewind(length: number): void {
    for (let i = this.targets.length - 1; i >= length; i--) {
      const target = this.targets[i];
      const key = this.keys[i];
      const prev = this.previous[i];
      if (target instanceof Map) {
        if (prev === DELETED) target.delete(key);
        else target.set(key, prev);
      } else if (prev === DELETED) {
        delete (target as Record<PropertyKey, unknown>)[key as PropertyKey];
      } else {
        (target as Record<PropertyKey, unknown>)[key as PropertyKey] = prev;
      }
    }
    this.targets.length = this.keys.length = this.previous.length = Math.min(length, this.targets.length);
  }
}
