// Entry point of the VS Code extension. Minimal on this branch: the debugger registers itself;
// the language client and the other commands are wired in by their own modules.

import type * as vscode from 'vscode';
import { registerDebugging } from './debug';

export function activate(context: vscode.ExtensionContext): void {
  registerDebugging(context);
}

export function deactivate(): void {
  // Nothing to release: registrations live in context.subscriptions.
}
