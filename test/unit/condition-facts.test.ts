// What analysis knows of a `when:` condition (server/src/semantics/condition-facts.ts) is kept per
// distinct text as facts rather than syntax trees. Pinned here: the facts say what the parser's
// tree says (read from the tree in this test, the way the rules read it before the facts were
// kept), on every condition of every rule fixture, the examples, generated files of every shape
// and conditions written for the purpose; and they stay right after the cache has moved on.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCondition, variableReferences, walkCondition, type ConditionExpr } from '../../server/src/conditions';
import { normaliseArchitecture, type Architecture } from '../../server/src/model/architecture';
import { walk, type SequenceModel } from '../../server/src/model/sequence';
import {
  conditionErrors,
  conditionVariables,
  notOnStandaloneMedia,
  osConditionArchitectures,
  requiredEnvironment,
} from '../../server/src/semantics/condition-facts';
import { exampleAndShapeWorkspaces, fixtureWorkspaces } from '../helpers/analysis-corpus';

/** What the tree says, read from a fresh parse. */
function fromTree(text: string) {
  const { ast, errors } = parseCondition(text);
  const architectures: Architecture[] = [];
  let environment: 'WinPE' | 'FullOS' | undefined;
  const topLevel: { variable: string; operator: string; value: string }[] = [];
  if (ast) {
    walkCondition(ast, (n) => {
      if (n.kind !== 'osVersion') return;
      for (const p of n.platforms) {
        const m = /\b(x86|x64|arm64)\b/i.exec(p.name.value);
        const a = m ? normaliseArchitecture(m[1]) : undefined;
        if (a && !architectures.includes(a)) architectures.push(a);
      }
    });
    const visit = (e: ConditionExpr) => {
      if (e.kind === 'and') return e.children.forEach(visit);
      if (e.kind !== 'compare') return;
      topLevel.push({ variable: e.variable.name, operator: e.operator, value: e.value.value });
      if (e.variable.name.toLowerCase() !== '_smstsinwinpe') return;
      if (e.operator !== 'equals' && e.operator !== 'notEquals') return;
      const v = e.value.value.trim().toLowerCase();
      if (v !== 'true' && v !== 'false') return;
      environment = (v === 'true') === (e.operator === 'equals') ? 'WinPE' : 'FullOS';
    };
    ast.children.forEach(visit);
  }
  const excludes = (variable: string, value: string) =>
    topLevel.some(
      (c) =>
        c.variable.toLowerCase() === variable.toLowerCase() &&
        ((c.operator === 'notEquals' && c.value.trim().toLowerCase() === value.toLowerCase()) ||
          (c.operator === 'equals' && c.value.trim().toLowerCase() !== value.toLowerCase())),
    );
  return {
    errors,
    variables: ast ? variableReferences(ast).map((v) => ({ name: v.name, start: v.start, end: v.end })) : [],
    architectures,
    environment,
    excludes,
  };
}

function assertSameFacts(text: string, where: string): void {
  const tree = fromTree(text);
  assert.deepEqual(conditionErrors(text), tree.errors, `${where}: errors of ${text}`);
  assert.deepEqual(conditionVariables(text), tree.variables, `${where}: variables of ${text}`);
  assert.deepEqual(osConditionArchitectures(text), tree.architectures, `${where}: architectures of ${text}`);
  assert.equal(requiredEnvironment(text), tree.environment, `${where}: environment of ${text}`);
  assert.equal(
    notOnStandaloneMedia(text),
    tree.excludes('_SMSTSMediaType', 'FullMedia'),
    `${where}: whether ${text} rules out stand-alone media`,
  );
}

const WRITTEN = [
  '_SMSTSInWinPE == "true"',
  '_SMSTSInWinPE != "false"',
  '_smstsinwinpe == " FALSE "',
  '_SMSTSInWinPE == "true" and _SMSTSInWinPE == "false"',
  '_SMSTSInWinPE == "maybe"',
  '(_SMSTSInWinPE == "true" and Ring == "1") and exists(OSDComputerName)',
  '_SMSTSInWinPE == "true" or Ring == "1"',
  'not _SMSTSInWinPE == "true"',
  '_SMSTSMediaType != "FullMedia"',
  '_SMSTSMediaType == "BootMedia" and Ring == "1"',
  '_SMSTSMediaType == "FullMedia"',
  '_SMSTSMediaType like "Full%"',
  'osVersion("All x64 Windows 11 and higher", "All x64 Windows 10 and higher Client")',
  'osVersion("All ARM64 Windows 11 and higher") and osVersion("All x86 Windows 10 and higher Client")',
  'osVersion(platform("All x64 Windows 11 and higher", wmi("SELECT * FROM Win32_OperatingSystem")))',
  'exists(Var1) and notExists(Var2) and Var3 >= "3"',
  'Ring == "1" or exists(OSDComputerName)',
  '',
  'Ring = "1"',
  'Ring == 1 and',
  '%Ring% == "1"',
  "Ring == '1'",
  'fileExists("C:\\Temp\\") and Ring == "1"',
  '((((Ring == "1"',
];

describe('the facts kept of a condition', () => {
  test('say what its syntax tree says, on conditions written for the purpose', () => {
    for (const text of WRITTEN) assertSameFacts(text, 'written');
  });

  test('say what its syntax tree says, on every condition of the fixtures, the examples and generated files', () => {
    let conditions = 0;
    for (const { where, ws } of [...fixtureWorkspaces(), ...exampleAndShapeWorkspaces(1000)]) {
      for (const doc of ws.all()) {
        if (doc.kind !== 'sequence' || !doc.model) continue;
        for (const node of walk((doc.model as SequenceModel).steps)) {
          if (!node.when) continue;
          assertSameFacts(node.when.text, `${where} ${doc.id}`);
          conditions++;
        }
      }
    }
    assert.ok(conditions > 1000, `there are conditions to compare (${conditions})`);
  });

  test('stay right once more conditions were asked about than the cache holds', () => {
    const texts = Array.from(
      { length: 120_000 },
      (_, i) => `_SMSTSInWinPE == "${i % 3 === 0 ? 'true' : 'false'}" and Model${i} == "${i}"`,
    );
    for (const text of texts) requiredEnvironment(text);
    for (const i of [0, 1, 2, 59_999, 60_000, 119_999]) assertSameFacts(texts[i], `generated ${i}`);
    for (const text of WRITTEN) assertSameFacts(text, 'written, after the cache moved on');
  });
});
