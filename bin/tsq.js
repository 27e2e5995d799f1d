#!/usr/bin/env node
// Entry point of the `tsq` command: the bundled CLI does the work, in a process whose heap is sized
// for the input when it simulates a large sequence (server/src/frontend/one-shot-heap.ts).
require('../dist/launch.js').startTsq(require('node:path').join(__dirname, '..', 'dist', 'cli.js'));
