// Threat: a launch configuration (or a sequence it runs) that points the debugger at something
// that is not a task sequence file: /dev/zero, /dev/urandom, a named pipe, a folder, a file over the
// size cap. The adapter must refuse the launch with a message saying what the path is, at once,
// instead of reading forever or blocking (before, /dev/zero took gigabytes in seconds). A launch
// that hangs fails here by the DAP client's own timeout.

import { describe, it, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { collectOutput, startClient } from '../debug/helpers';
import { hostileFolder, parentOf, SEQUENCE, type Folder } from './helpers';

let f: Folder;
let dc: DebugClient;
before(() => {
  f = hostileFolder();
  f.write('main.tsq.yaml', SEQUENCE);
  f.fifo('pipe.tsq.yaml');
  f.folder('folder.tsq.yaml');
  f.write('zero-child.tsq.yaml', parentOf('/dev/zero'));
  f.link('random.tsq.yaml', '/dev/urandom');
  const line = '  - { name: Step, run: cmd.exe /c echo padding padding padding padding padding }\n';
  f.write('big.tsq.yaml', 'sequence: Big\nsteps:\n' + line.repeat(Math.ceil((1.5 * 1048576) / line.length)));
});
after(() => f.dispose());
beforeEach(async () => {
  dc = await startClient();
  await dc.initializeRequest();
});
afterEach(async () => {
  await dc.stop();
});

const launching = (args: Record<string, unknown>) => dc.launchRequest(args as DebugProtocol.LaunchRequestArguments);

describe('the debugger reads only files, and only up to the cap', () => {
  it('program /dev/zero: refused as a character device', async () => {
    await assert.rejects(launching({ program: '/dev/zero' }), /\/dev\/zero is a character device, not a file\./);
  });

  it('program a named pipe: refused for what it is, without waiting for a writer', async () => {
    await assert.rejects(
      launching({ program: f.path('pipe.tsq.yaml') }),
      /pipe\.tsq\.yaml is a named pipe \(FIFO\), not a file\./,
    );
  });

  it('program a folder named like a sequence: refused as a folder', async () => {
    await assert.rejects(
      launching({ program: f.path('folder.tsq.yaml') }),
      /folder\.tsq\.yaml is a folder, not a file\./,
    );
  });

  it('a sequence whose child is /dev/zero: refused, the finding at the step in the debug console', async () => {
    const out = collectOutput(dc);
    await assert.rejects(
      launching({ program: f.path('zero-child.tsq.yaml') }),
      /cannot simulate zero-child\.tsq\.yaml/,
    );
    await new Promise((r) => setTimeout(r, 50));
    assert.match(out(), /The child sequence file `\/dev\/zero` cannot be read: it is a character device, not a file\./);
  });

  it('machine profile a link to /dev/urandom: refused, naming the link and its target', async () => {
    await assert.rejects(
      launching({ program: f.path('main.tsq.yaml'), machine: f.path('random.tsq.yaml') }),
      /random\.tsq\.yaml is a link to \/dev\/urandom, which is a character device, not a file\./,
    );
  });

  it('maxFileSizeMB (what VS Code passes from tsq.files.maxSizeMB): a file over it is refused with its size', async () => {
    await assert.rejects(
      launching({ program: f.path('big.tsq.yaml'), maxFileSizeMB: 1 }),
      /This file is 1\.5 MB; tsq reads files up to 1 MB\./,
    );
  });

  it('maxFileSizeMB that is not a size: refused', async () => {
    await assert.rejects(
      launching({ program: f.path('main.tsq.yaml'), maxFileSizeMB: 'lots' }),
      /`maxFileSizeMB` takes a size in MB from 1 to 1024, not `lots`\./,
    );
  });
});
