// The VS Code workbench as an admin sees it, in Debian's Chromium driven headless by playwright-core:
// open files, move the cursor, read the status bar, run palette commands, answer quick inputs,
// take screenshots. Never a downloaded browser.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { CodeServer } from './codeServer';
import { e2eTools } from './tools';
import { untilNoProcessMentions } from './processes';

/** Flags from issue 6: without the networking ones Chromium keeps dialing Google on a closed network. */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const STATUS_BAR = '#workbench\\.parts\\.statusbar';
const LANGUAGE_MODE = '#status\\.editor\\.mode';
const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_ROWS = '.quick-input-widget .quick-input-list .monaco-list-row';
const ACTIVE_TAB = '.tabs-container .tab.active';
const CURSOR_POSITION = '#status\\.editor\\.selection';

export interface WorkbenchOptions {
  server: CodeServer;
  /** A fresh folder for Chromium's --user-data-dir (and its XDG folders). */
  profileDir: string;
  /** Where screenshot() writes; created if missing. */
  screenshotDir: string;
  readyTimeoutMs?: number;
  /** Aborting it while the workbench loads closes Chromium, so the open rejects at once. */
  signal?: AbortSignal;
  /** Called once Chromium runs and has started to load the workbench page (the harness's own tests end a session there). */
  onLoading?: () => void;
}

/** The vscode-remote URI code-server's workbench uses for a file on the server. */
export function remoteUri(server: CodeServer, absolutePath: string): string {
  return `vscode-remote://127.0.0.1:${server.port}${absolutePath}`;
}

/** The workbench URL for the server's workspace, with optional payload pairs (extensionDevelopmentPath, extensionTestsPath, ...). */
export function workbenchUrl(server: CodeServer, payload: Array<[string, string]> = []): string {
  const query = `folder=${encodeURIComponent(server.workspace)}`;
  return payload.length === 0
    ? `${server.url}/?${query}`
    : `${server.url}/?${query}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** Starts Chromium with a fresh profile. The caller closes the context (Workbench.close does). */
export async function launchChromium(profileDir: string): Promise<BrowserContext> {
  mkdirSync(profileDir, { recursive: true });
  return chromium.launchPersistentContext(join(profileDir, 'user-data'), {
    executablePath: e2eTools().chromium,
    headless: true,
    args: [...CHROMIUM_FLAGS],
    viewport: { width: 1280, height: 800 },
    // Our harness owns signal handling and process cleanup; Chromium crash reports stay in the profile.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    env: {
      ...process.env,
      XDG_CONFIG_HOME: join(profileDir, 'xdg-config'),
      XDG_CACHE_HOME: join(profileDir, 'xdg-cache'),
    },
  });
}

export class Workbench {
  private screenshotCount = 0;

  private constructor(
    readonly server: CodeServer,
    readonly context: BrowserContext,
    readonly page: Page,
    private screenshotDir: string,
    private readonly profileDir: string,
  ) {}

  /** Opens the workbench on the server's workspace and waits until it is ready for input. */
  static async open(options: WorkbenchOptions): Promise<Workbench> {
    options.signal?.throwIfAborted();
    mkdirSync(options.screenshotDir, { recursive: true });
    const context = await launchChromium(options.profileDir);
    // Closing the browser makes every pending Playwright wait reject, which ends the open at once.
    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= context
        .close()
        .catch(() => undefined)
        .then(() => untilNoProcessMentions(options.profileDir)));
    const closeOnAbort = () => void close();
    options.signal?.addEventListener('abort', closeOnAbort, { once: true });
    try {
      options.signal?.throwIfAborted();
      const page = context.pages()[0] ?? (await context.newPage());
      const workbench = new Workbench(options.server, context, page, options.screenshotDir, options.profileDir);
      const navigation = page.goto(workbenchUrl(options.server));
      options.onLoading?.();
      await navigation;
      await workbench.waitUntilReady(options.readyTimeoutMs ?? 60_000);
      return workbench;
    } catch (err) {
      await close();
      throw options.signal?.aborted ? options.signal.reason : err;
    } finally {
      options.signal?.removeEventListener('abort', closeOnAbort);
    }
  }

  /**
   * Ready: the status bar shows the problems counter (the workbench is restored) and the colour
   * theme, which comes from a built-in extension, is applied (extension contributions are loaded).
   */
  async waitUntilReady(timeoutMs: number): Promise<void> {
    await this.page.locator(`${STATUS_BAR} #status\\.problems`).waitFor({ state: 'visible', timeout: timeoutMs });
    await this.page
      .locator('.monaco-workbench[class*="vscode-theme-"]')
      .waitFor({ state: 'attached', timeout: timeoutMs });
  }

  /** Opens a workspace file the way a user does: Ctrl+P, type the path, Enter. */
  async openFile(relativePath: string, timeoutMs = 60_000): Promise<void> {
    await this.page.keyboard.press('Control+P');
    await this.enterQuickInputText(relativePath, timeoutMs);
    const fileName = relativePath.split('/').pop() ?? relativePath;
    await this.page.locator(QUICK_INPUT_ROWS).first().filter({ hasText: fileName }).waitFor({ timeout: timeoutMs });
    await this.page.keyboard.press('Enter');
    await this.page.locator(ACTIVE_TAB).filter({ hasText: fileName }).waitFor({ timeout: timeoutMs });
  }

  /** Moves the cursor of the active editor with Ctrl+G (1-based line and column), as a user would. */
  async goTo(line: number, column: number, timeoutMs = 60_000): Promise<void> {
    await this.page.keyboard.press('Control+G');
    await this.enterQuickInputText(`${line}:${column}`, timeoutMs, (value) => value.startsWith(':'), ':');
    await this.page.keyboard.press('Enter');
    await this.page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: timeoutMs });
    await this.page
      .locator(CURSOR_POSITION)
      .filter({ hasText: new RegExp(`\\bLn ${line}, Col ${column}\\b`) })
      .waitFor({ timeout: timeoutMs });
  }

  /** The language mode the status bar shows for the active editor ("Task Sequence", "YAML", ...). */
  async languageMode(): Promise<string> {
    return ((await this.page.locator(LANGUAGE_MODE).textContent({ timeout: 10_000 })) ?? '').trim();
  }

  /**
   * Waits until the status bar shows `expected` and returns what it last showed (which equals
   * `expected` unless the wait timed out): extensions register their languages shortly after load.
   */
  async waitForLanguageMode(expected: string, timeoutMs = 60_000): Promise<string> {
    let shown = await this.languageMode();
    await until(async () => (shown = await this.languageMode()) === expected, timeoutMs).catch(() => undefined);
    return shown;
  }

  /**
   * Runs a command from the command palette by its title as shown there (e.g. "View: Toggle Minimap").
   * The title is put into the palette's input at once (typed keys can outrun a palette that is still
   * opening) and the row is looked for only once the palette shows that text; a click that the
   * palette's re-rendering list swallowed is tried again while the palette is still open, so the
   * command runs once.
   */
  async runCommand(title: string, timeoutMs = 60_000): Promise<void> {
    await this.page.keyboard.press('F1');
    // The palette opens with its ">" prefix; the title goes after it.
    const input = await this.enterQuickInputText(title, timeoutMs, (value) => value.startsWith('>'), '>');
    const exactTitle = new RegExp(`^${escapeRegExp(title)}$`);
    const row = this.page
      .locator(QUICK_INPUT_ROWS)
      .filter({ has: this.page.locator('.label-name', { hasText: exactTitle }) })
      .first();
    await this.clickUntilGone(row, input, `the palette row "${title}"`, timeoutMs);
    // Gone, or replaced by the command's own quick input (a picker, a file dialog).
    await row.waitFor({ state: 'hidden', timeout: timeoutMs });
  }

  /**
   * Replaces the text of the open quick input (quick open, the palette, Go to Line, a pick list)
   * with `prefix + text` and waits until the input holds it, so that the rows looked for next are
   * those of that text. `ready` says when the input has finished opening (for the palette: its ">").
   */
  async enterQuickInputText(
    text: string,
    timeoutMs = 60_000,
    ready: (value: string) => boolean = () => true,
    prefix = '',
  ): Promise<Locator> {
    const input = this.page.locator(`${QUICK_INPUT} input.input`).filter({ visible: true }).first();
    await input.waitFor({ state: 'visible', timeout: timeoutMs });
    await until(async () => ready(await input.inputValue()), timeoutMs, 'the quick input ready for text');
    const wanted = prefix + text;
    await input.fill(wanted, { timeout: timeoutMs });
    await until(async () => (await input.inputValue()) === wanted, timeoutMs, `the quick input holding "${wanted}"`);
    return input;
  }

  /**
   * Waits for a quick input (a pick list, an input box or VS Code's own file dialog) whose title,
   * prompt or placeholder contains `text`, and returns the text in its input field — once that
   * matches `value` when given (file dialogs fill it in a moment after they appear).
   */
  async waitForQuickInput(text: string, options: { value?: RegExp; timeoutMs?: number } = {}): Promise<string> {
    const timeout = options.timeoutMs ?? 60_000;
    const widget = this.page.locator(QUICK_INPUT).filter({ visible: true });
    const labelled = widget
      .filter({ has: this.page.locator('.quick-input-title, .quick-input-message', { hasText: text }) })
      .or(widget.filter({ has: this.page.getByPlaceholder(text) }));
    await labelled.first().waitFor({ timeout });
    const input = widget.locator('input.input').first();
    if (!options.value) return input.inputValue({ timeout });
    const expected = options.value;
    let value = '';
    await until(async () => expected.test((value = await input.inputValue({ timeout }))), timeout).catch(() => {
      throw new Error(`the quick input "${text}" shows "${value}", not ${expected}`);
    });
    return value;
  }

  /**
   * Clicks the entry of the open quick pick that contains `text`. With `filter`, the text is first
   * put into the pick's input and the row looked for once the input holds it.
   */
  async pickQuickInputRow(text: string, options: { filter?: string; timeoutMs?: number } = {}): Promise<void> {
    const timeout = options.timeoutMs ?? 60_000;
    if (options.filter !== undefined) await this.enterQuickInputText(options.filter, timeout);
    const row = this.page.locator(QUICK_INPUT_ROWS).filter({ hasText: text }).first();
    await row.waitFor({ timeout });
    await row.click({ timeout });
  }

  /**
   * Chooses `label` in the open context menu: points at it until the menu marks it focused, then
   * presses Enter. A menu that is drawn again meanwhile (its items replaced, the pointer's focus lost)
   * is pointed at again; Enter counts only when the menu closes, and while the menu stays open
   * nothing was chosen, so trying again cannot run the entry twice.
   */
  async chooseMenuItem(label: string, timeoutMs = 60_000): Promise<void> {
    const menu = this.page.locator('.monaco-menu').filter({ visible: true });
    const item = menu
      .locator('.action-item')
      .filter({ has: this.page.locator('.action-label', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) })
      .first();
    const chosen = item.and(this.page.locator('.action-item.focused'));
    const deadline = Date.now() + timeoutMs;
    const left = () => Math.max(1, deadline - Date.now());
    let lastError: unknown;
    while (Date.now() < deadline) {
      try {
        await item.waitFor({ state: 'visible', timeout: left() });
        // From outside the menu, so that pointing at the item is a fresh mouseover even when the
        // pointer already rests where a menu drawn again put the same item.
        await this.page.mouse.move(0, 0);
        const pointedAt = await item.elementHandle({ timeout: left() });
        try {
          await pointedAt.hover({ timeout: left() });
          // Focused, or the item pointed at is no longer in the page: the menu was drawn again (point again).
          await until(
            async () => (await chosen.count()) > 0 || !(await pointedAt.evaluate((element) => element.isConnected)),
            left(),
          );
        } finally {
          await pointedAt.dispose();
        }
        if ((await chosen.count()) === 0) continue;
        await this.page.keyboard.press('Enter');
        // Closed (the entry runs), or still open with the item not focused: drawn again before Enter.
        await until(async () => (await menu.count()) === 0 || (await chosen.count()) === 0, left());
        if ((await menu.count()) === 0) return;
      } catch (err) {
        lastError = err;
      }
    }
    throw new Error(
      `"${label}" not chosen in the context menu within ${timeoutMs / 1000} s: ${lastError instanceof Error ? lastError.message : 'no attempt ended'}`,
    );
  }

  /**
   * Presses the button `label` of the quick input whose text holds `title` (VS Code's own file and
   * folder dialogs) until that input has gone. The dialog checks a typed path before it takes it,
   * and a press that comes while it checks can be ignored with the dialog left open; pressing again
   * only while it is still open cannot accept twice, since an accepted dialog closes.
   */
  async pressQuickInputButton(title: string, label: string, timeoutMs = 60_000): Promise<void> {
    const dialog = this.page.locator('.quick-input-widget').filter({ visible: true }).filter({ hasText: title });
    const button = dialog.locator('.monaco-button', { hasText: label }).first();
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    while ((await dialog.count()) > 0) {
      if (Date.now() > deadline)
        throw new Error(
          `the "${title}" dialog still open ${timeoutMs / 1000} s after pressing "${label}": ${lastError instanceof Error ? lastError.message : 'each press was ignored'}`,
        );
      try {
        await button.click({ timeout: 2_000 });
        // Gone (taken), or still there after its check: press again.
        await until(async () => (await dialog.count()) === 0, 5_000);
      } catch (err) {
        lastError = err;
      }
    }
  }

  /**
   * Clicks `target` until `whileOpen` (the quick input it belongs to) no longer shows the same
   * text: a click on a row that the list replaced meanwhile is lost, and the list still shows.
   */
  private async clickUntilGone(target: Locator, whileOpen: Locator, what: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const shown = await whileOpen.inputValue();
    const stillOpen = async () =>
      (await whileOpen.count()) > 0 && (await whileOpen.inputValue().catch(() => '')) === shown;
    let lastError: unknown;
    while (Date.now() < deadline) {
      try {
        await target.click({ timeout: Math.max(1, deadline - Date.now()) });
        return;
      } catch (err) {
        lastError = err;
        if (!(await stillOpen())) return;
      }
    }
    throw new Error(
      `${what} not clicked within ${timeoutMs / 1000} s: ${lastError instanceof Error ? lastError.message : 'no attempt ended'}`,
    );
  }

  /** From now on screenshots go to `dir` (created if missing), numbered from 01 again. */
  useScreenshotFolder(dir: string): void {
    mkdirSync(dir, { recursive: true });
    this.screenshotDir = dir;
    this.screenshotCount = 0;
  }

  /** Saves a PNG of the whole window as NN-name.png in the screenshot folder; returns its path. */
  async screenshot(name: string, timeoutMs = 15_000): Promise<string> {
    this.screenshotCount += 1;
    const file = join(
      this.screenshotDir,
      `${String(this.screenshotCount).padStart(2, '0')}-${name.replace(/[^\w.-]+/g, '-')}.png`,
    );
    // Pop-ups fade in; finish their animations so the picture shows them as they end up.
    await this.page.screenshot({ path: file, timeout: timeoutMs, animations: 'disabled' });
    return file;
  }

  /** Closes Chromium and waits until its last helper process has ended, so its profile folder can go. */
  async close(): Promise<void> {
    await this.context.close();
    await untilNoProcessMentions(this.profileDir);
  }
}

/** `text` as a regular expression that matches it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Waits until `condition` holds, checking it again every 100 ms: a wait on a state of the page or
 * the disk, never a fixed pause. Rejects with `what` after `timeoutMs`.
 */
export async function until(
  condition: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what = 'a condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs / 1000} s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
