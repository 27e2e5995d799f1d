// The one error type of import and export: a refusal worded for an admin (what is wrong, where,
// and what to do). Stages deep inside the interop code throw it; the public entry points catch it
// and hand back a result, so callers never see an exception for bad input.

export class InteropError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'InteropError';
  }
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: InteropError };

/** Runs `work`, turning an InteropError into a failed outcome; other exceptions are bugs and propagate. */
export function attempt<T>(work: () => T): Outcome<T> {
  try {
    return { ok: true, value: work() };
  } catch (e) {
    if (e instanceof InteropError) return { ok: false, error: e };
    throw e;
  }
}

export async function attemptAsync<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (e) {
    if (e instanceof InteropError) return { ok: false, error: e };
    throw e;
  }
}
