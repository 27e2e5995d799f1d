// Runs @vscode/test-electron-style extension tests (a module exporting `run(): Promise<void>`) inside
// code-server's Node extension host. code-server's CLI rejects --extensionDevelopmentPath and
// --extensionTestsPath, but its workbench reads both from the URL `payload`, loads the extension
// under development, runs the tests, and reports the exit code to `window.codeAutomationExit` and
// log lines to `window.codeAutomationLog` — hooks we provide through Playwright.
import type { CodeServer } from './codeServer';
import { launchChromium, remoteUri, workbenchUrl } from './workbench';

export interface ExtensionTestOptions {
  /** Folder holding the extension's package.json (loaded as under development). */
  extensionDevelopmentPath: string;
  /** The tests module (compiled .js) whose `run()` the extension host awaits. */
  extensionTestsPath: string;
  /** Fresh folder for Chromium's profile. */
  profileDir: string;
  timeoutMs?: number;
}

export interface ExtensionTestResult {
  /** 0 when run() resolved, non-zero when it threw; 'timeout' when no exit was reported in time. */
  exitCode: number | 'timeout';
  /** What the extension host logged (console output of the tests included), one entry per call. */
  log: string[];
}

export async function runExtensionTests(
  server: CodeServer,
  options: ExtensionTestOptions,
): Promise<ExtensionTestResult> {
  const context = await launchChromium(options.profileDir);
  const log: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    let reportExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => {
      reportExit = resolve;
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      log.push(`${type}: ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`);
    });
    await page.goto(
      workbenchUrl(server, [
        ['extensionDevelopmentPath', remoteUri(server, options.extensionDevelopmentPath)],
        ['extensionTestsPath', remoteUri(server, options.extensionTestsPath)],
      ]),
    );
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), options.timeoutMs ?? 120_000);
    });
    return { exitCode: await Promise.race([exited, timeout]), log };
  } finally {
    clearTimeout(timer);
    await context.close();
  }
}
