#!/usr/bin/env node
// Entry point of the `tsq` command: the bundled CLI does the work.
require('../dist/cli.js').run();
