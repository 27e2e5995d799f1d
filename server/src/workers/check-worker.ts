// The one worker bundle (dist/check-worker.js) of worker-threads.ts: a worker thread serves the
// job it was started with, with the caller's tsq file cap, and ends. The input check before a
// simulated run is input-check.ts's `serveInputCheck`; a helper's share of a workspace check is
// parallel-check.ts's `serveSharedCheck`.

import { workerData } from 'node:worker_threads';
import { setTsqFileLimitBytes } from '../files/read';
import { serveInputCheck } from './input-check';
import { serveSharedCheck } from './parallel-check';
import type { WorkerJob } from './worker-threads';

const job = workerData as WorkerJob;
setTsqFileLimitBytes(job.maxFileBytes);
if (job.kind === 'input-check') serveInputCheck(job);
else serveSharedCheck(job);
