// Entry point of the VS Code extension. Minimal on this branch: the import and export commands
// register themselves; the language client and the other features are wired in by their own
// modules (the lead merges the calls into one activate).

import type * as vscode from 'vscode';
import { registerInterop } from './interop';

export function activate(context: vscode.ExtensionContext): void {
  registerInterop(context);
}

export function deactivate(): void {
  // Nothing to release: registrations live in context.subscriptions.
}
