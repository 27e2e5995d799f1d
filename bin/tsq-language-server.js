#!/usr/bin/env node
// Entry point of the language server for editors other than VS Code (`--stdio`).
require('../dist/server.js');
