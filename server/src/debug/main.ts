// Entry point of the debug adapter (bundled to dist/debug.js): speaks DAP over stdin/stdout.
// VS Code starts it for `type: tasksequence`; any DAP client can run `node dist/debug.js`.

import { DebugSession } from '@vscode/debugadapter';
import { TsqDebugSession } from './session';

// A failing asynchronous handler must not end the session: report it and carry on.
process.on('unhandledRejection', (e) => process.stderr.write(`tsq debugger: ${e instanceof Error ? e.stack : String(e)}\n`));

DebugSession.run(TsqDebugSession);
