// The server's young generation held at YOUNG_GENERATION_MB. V8 lets the space where new objects
// are made grow to twice 16 MB on this machine (two semi-spaces), and a server that reads a large
// file keeps all of it resident from then on: 32 MB of a peak of 150–190 MB on a 10,000-step
// sequence, and more besides, since V8 adds that space's size to the old generation's allowance
// before it collects. At half that size the editor's peak fell by 12–24 MB on the bench's shapes
// for the same open and keystroke times (docs/performance.md, "The editor's peak memory, seventh
// pass").
//
// The size itself (`--max-semi-space-size`) is read only when the process starts, and the server
// is started by clients we do not control (VS Code's Node IPC, `tsq-language-server --stdio` run
// in the editor's own Node, `node dist/server.js`). What V8 does read at every growth is the
// factor it grows by (`--semi-space-growth-factor`): the space grows only at a scavenge, to its
// size times that factor, at most the maximum. So after each collection the factor is set to what
// takes the space from its present size to the wanted one in one growth, and to 1 once it is
// there: it then stays there, and should V8 shrink it (it does when the process is idle and
// memory is short), it grows back to it. Collections are told of by a `gc` performance observer,
// after the collection's task; two growths between two notices could still overshoot to V8's
// maximum, which is where the server was before.

import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** What the young generation is held at (both semi-spaces), in MB. */
export const YOUNG_GENERATION_MB = 16;

/** One semi-space's wanted size: the young generation is two of them. */
const SEMI_SPACE_MB = YOUNG_GENERATION_MB / 2;
let factor = 0;

/**
 * One semi-space's present size in whole MB (what V8 grows), or undefined where V8 does not say.
 * The space's own size is not it: V8 commits the second semi-space only when it first needs it.
 */
export function semiSpaceMB(): number | undefined {
  for (const space of getHeapSpaceStatistics())
    if (space.space_name === 'new_space')
      return Math.round((space.space_used_size + space.space_available_size) / 1048576);
  return undefined;
}

/** Sets the growth factor that takes the young generation to the wanted size at its next growth. */
function steer(): void {
  const size = semiSpaceMB();
  if (!size) return;
  const wanted = Math.max(1, Math.floor(SEMI_SPACE_MB / size));
  if (wanted === factor) return;
  factor = wanted;
  setFlagsFromString(`--semi-space-growth-factor=${wanted}`);
}

/**
 * Makes the young generation grow to the wanted size now: objects that outlive a few scavenges
 * are what V8 grows it for, so a few MB of them are made, kept until it has grown, and dropped.
 * Done once at start, in a few milliseconds, so that its first growth does not fall inside a long
 * check, where a second growth could follow before the observer hears of the first.
 */
function growNow(): void {
  const kept: number[][] = [];
  for (let made = 0; made < 64 * SEMI_SPACE_MB; made++) {
    for (let i = 0; i < 256; i++) kept.push([made, i]);
    if (made % 8 === 7 && (semiSpaceMB() ?? SEMI_SPACE_MB) >= SEMI_SPACE_MB) break;
  }
  kept.length = 0;
}

let observer: PerformanceObserver | undefined;

/** Holds the young generation at YOUNG_GENERATION_MB from now on (see the header); idempotent. */
export function holdYoungGeneration(): void {
  if (observer) return;
  steer();
  growNow();
  steer();
  observer = new PerformanceObserver(steer);
  observer.observe({ entryTypes: ['gc'] });
}
