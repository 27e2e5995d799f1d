// Entry point of the VS Code extension: each feature registers itself from its own module.

import type * as vscode from 'vscode';
import { registerDebugging } from './debug';
import { registerInterop } from './interop';

export function activate(context: vscode.ExtensionContext): void {
  registerDebugging(context);
  registerInterop(context);
}

export function deactivate(): void {
  // Nothing to release: registrations live in context.subscriptions.
}
