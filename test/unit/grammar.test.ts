// The TextMate grammar (syntaxes/tasksequence.tmLanguage.json), run by vscode-textmate with the
// Oniguruma regular expressions VS Code uses: YAML structure, the file kind, built-in actions,
// %Variable% references in every kind of value, and the `when:` condition language. The lists of
// actions and condition functions in the grammar must follow the catalog and the vocabulary.

import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as textmate from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';
import { allSteps } from '../../server/src/catalog';
import { conditionFunctions } from '../../server/src/conditions';

const root = join(__dirname, '..', '..', '..');
let grammar: textmate.IGrammar;

before(async () => {
  const wasm = readFileSync(join(root, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) =>
      scope === 'source.tasksequence'
        ? textmate.parseRawGrammar(
            readFileSync(join(root, 'syntaxes', 'tasksequence.tmLanguage.json'), 'utf8'),
            'tasksequence.tmLanguage.json',
          )
        : null,
  });
  grammar = (await registry.loadGrammar('source.tasksequence'))!;
});

/** The scopes of every token of `text`, line by line. */
function tokenize(text: string): { line: string; tokens: { text: string; scopes: string[] }[] }[] {
  let state = textmate.INITIAL;
  return text.split('\n').map((line) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    return { line, tokens: r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes })) };
  });
}

/** The scopes of the token where `needle` starts (in the first line holding it). */
function scopesOf(text: string, needle: string, occurrence = 0): string[] {
  let seen = 0;
  for (const { line, tokens } of tokenize(text)) {
    let from = 0;
    for (;;) {
      const at = line.indexOf(needle, from);
      if (at < 0) break;
      if (seen++ === occurrence) {
        let pos = 0;
        for (const t of tokens) {
          if (at >= pos && at < pos + t.text.length) return t.scopes;
          pos += t.text.length;
        }
      }
      from = at + 1;
    }
  }
  throw new Error(`\`${needle}\` not found`);
}

const has = (scopes: string[], scope: string) =>
  scopes.some((s) => s === scope || s.startsWith(`${scope}.`) || s.split(' ').includes(scope));

const SEQUENCE = `# tsq: sequence
sequence: Deploy
variables:
  Ring: pilot
steps:
  - group: Install
    when: _SMSTSInWinPE == "true" and not exists(Ring)   # a comment
    steps:
      - name: Apply
        action: ApplyOperatingSystemImage
        with: { image: CM100042, index: 3, wipe: true }
      - name: Typo
        action: RunComandLine
      - name: Script
        run: cmd.exe /c setup.cmd %OSDComputerName% a#b
        description: "quoted %Ring% and \\"escapes\\""
        continueOnError: true
        timeout: 15
      - name: Block
        action: RunPowerShellScript
        with:
          parameters: |
            -Computer %OSDComputerName%
            line two: not a key
          scriptName: x.ps1
      - name: Quoted condition
        when: "_SMSTSMake == \\"Dell\\" or wmi(\\"SELECT * FROM Win32_Battery\\")"
        run: x
`;

describe('TextMate grammar', () => {
  test('the kind of file and keys', () => {
    assert.ok(has(scopesOf(SEQUENCE, 'sequence:'), 'keyword.other.kind.tsq'));
    assert.ok(has(scopesOf(SEQUENCE, 'variables'), 'entity.name.tag.yaml'));
    assert.ok(has(scopesOf(SEQUENCE, 'name: Apply'), 'entity.name.tag.yaml'));
    assert.ok(has(scopesOf(SEQUENCE, '- group'), 'punctuation.definition.block.sequence.item.yaml'));
    assert.ok(has(scopesOf(SEQUENCE, '# tsq'), 'comment.line.number-sign.yaml'));
  });

  test('built-in actions are told apart from other names', () => {
    assert.ok(has(scopesOf(SEQUENCE, 'ApplyOperatingSystemImage'), 'support.function.action.tsq'));
    const typo = scopesOf(SEQUENCE, 'RunComandLine');
    assert.ok(has(typo, 'entity.name.function.action.tsq') && !has(typo, 'support.function.action.tsq'));
  });

  test('every built-in action of the catalog is known to the grammar', () => {
    for (const step of allSteps()) {
      assert.ok(has(scopesOf(`  - action: ${step.key}\n`, step.key), 'support.function.action.tsq'), step.key);
    }
  });

  test('%Variable% in plain, quoted and block values', () => {
    assert.ok(has(scopesOf(SEQUENCE, '%OSDComputerName% a#b'), 'variable.other.tsq'));
    assert.ok(has(scopesOf(SEQUENCE, 'cmd.exe'), 'string.unquoted.plain.out.yaml'));
    assert.ok(!has(scopesOf(SEQUENCE, '#b'), 'comment.line.number-sign.yaml'), 'a # inside a word is text');
    const quoted = scopesOf(SEQUENCE, '%Ring%');
    assert.ok(has(quoted, 'variable.other.tsq') && has(quoted, 'string.quoted.double.yaml'));
    assert.ok(has(scopesOf(SEQUENCE, '\\"escapes'), 'constant.character.escape.yaml'));
    const block = scopesOf(SEQUENCE, '%OSDComputerName%', 1);
    assert.ok(has(block, 'variable.other.tsq') && has(block, 'string.unquoted.block.yaml'));
    assert.ok(
      has(scopesOf(SEQUENCE, 'line two'), 'string.unquoted.block.yaml'),
      'a block string line is text, not a key',
    );
    assert.ok(
      has(scopesOf(SEQUENCE, 'scriptName'), 'entity.name.tag.yaml'),
      'the block ends where the indentation does',
    );
  });

  test('the condition language in `when:`', () => {
    assert.ok(has(scopesOf(SEQUENCE, '_SMSTSInWinPE =='), 'variable.other.tsq'));
    assert.ok(has(scopesOf(SEQUENCE, '=='), 'keyword.operator.comparison.tsq'));
    assert.ok(has(scopesOf(SEQUENCE, '"true"'), 'string.quoted.double.condition.tsq'));
    assert.ok(has(scopesOf(SEQUENCE, 'and not'), 'keyword.operator.logical.tsq'));
    assert.ok(has(scopesOf(SEQUENCE, 'exists('), 'support.function.condition.tsq'));
    assert.ok(has(scopesOf(SEQUENCE, '# a comment'), 'comment.line.number-sign.yaml'));
    assert.ok(has(scopesOf(SEQUENCE, 'wmi('), 'support.function.condition.tsq'), 'also inside a quoted YAML value');
    assert.ok(has(scopesOf(SEQUENCE, 'or wmi'), 'keyword.operator.logical.tsq'));
  });

  test('every condition function is known to the grammar', () => {
    for (const f of conditionFunctions)
      assert.ok(has(scopesOf(`    when: ${f.name}("x")\n`, f.name), 'support.function.condition.tsq'), f.name);
  });

  test('constants and flow mappings', () => {
    assert.ok(has(scopesOf(SEQUENCE, 'true\n'.trim(), 1), 'constant.language.yaml'));
    assert.ok(has(scopesOf(SEQUENCE, '15'), 'constant.numeric.yaml'));
    assert.ok(has(scopesOf(SEQUENCE, 'image:'), 'entity.name.tag.yaml'));
    assert.ok(has(scopesOf(SEQUENCE, 'CM100042'), 'string.unquoted.plain.in.yaml'));
    assert.ok(has(scopesOf(SEQUENCE, '3,'), 'constant.numeric.yaml'));
  });
});
