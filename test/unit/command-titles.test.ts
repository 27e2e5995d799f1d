// The commands tsq contributes are found in the Command Palette by their own words: typing a
// command's category and first word ("Task Sequence: Export") must not also match a command that
// does something else, or VS Code's recently-used ordering can put the other one first and Enter runs it
// (Import's title once said "export .zip" and took Export's place after one use).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

// From out/test/unit, three levels up is the repository.
const REPO = path.join(__dirname, '../../..');

interface Contributed {
  command: string;
  title: string;
  category?: string;
}
interface PaletteEntry {
  command: string;
  when?: string;
}

function paletteLabels(): { command: string; label: string; verb: string }[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  const commands: Contributed[] = manifest.contributes.commands;
  const hidden = new Set(
    ((manifest.contributes.menus?.commandPalette ?? []) as PaletteEntry[])
      .filter((e) => e.when === 'false')
      .map((e) => e.command),
  );
  return commands
    .filter((c) => !hidden.has(c.command))
    .map((c) => ({
      command: c.command,
      label: `${c.category ? `${c.category}: ` : ''}${c.title}`.toLowerCase(),
      verb: c.title.split(/\s+/)[0].toLowerCase(),
    }));
}

test('every command the palette shows has a label of its own', () => {
  const labels = paletteLabels();
  assert.ok(labels.length >= 5, `${labels.length} commands in the palette`);
  assert.equal(new Set(labels.map((l) => l.label)).size, labels.length, labels.map((l) => l.label).join('\n'));
});

test("a command's first word appears in another command's title only as that title's first word", () => {
  // "Open Run Log" and "Open Run Report" are both found by "Open"; "Import … export .zip" was
  // found by "Export" though it does not export.
  const labels = paletteLabels();
  for (const own of labels) {
    const word = new RegExp(`\\b${own.verb.replace(/[^a-z0-9]/g, '')}\\b`);
    const others = labels.filter((l) => l.command !== own.command && l.verb !== own.verb && word.test(l.label));
    assert.deepEqual(
      others.map((l) => l.label),
      [],
      `"${own.verb}" (${own.command}) also matches these`,
    );
  }
});

test('Export and Import are told apart by their titles', () => {
  const labels = paletteLabels();
  const exportCmd = labels.find((l) => l.command === 'tsq.exportTaskSequence');
  const importCmd = labels.find((l) => l.command === 'tsq.importTaskSequence');
  assert.ok(exportCmd && importCmd);
  assert.doesNotMatch(importCmd.label, /export/);
  assert.doesNotMatch(exportCmd.label, /import/);
});
