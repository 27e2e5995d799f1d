// The lint rules of Set Dynamic Variables' rules, in the YAML list and in the XML text ConfigMgr
// stores: what cannot mean what it says (dynamic-rules), the XML form with its quick fix
// (dynamic-rules-xml), the names they set (invalid-value) and values an import could not copy
// (missing-secret). The rule kinds and what each compares are those of the step reference:
// https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#BKMK_SetDynamicVariables

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findings, yaml } from '../helpers/lint';

const step = (...rules: string[]) => yaml('sequence: Test', 'steps:', '  - name: Pick', '    action: SetDynamicVariables', '    with:', '      rules:', ...rules);
const xmlStep = (xml: string) => yaml('sequence: Test', 'steps:', '  - name: Pick', '    action: SetDynamicVariables', `    with: { rules: '${xml}' }`);
const LOCATION_XML = '<Rules><Rule><condition><expression type="SMS_TaskSequence_LocationConditionExpression"><variable name="DefaultGateway">10.0.0.1</variable></expression></condition><Variables><Variable Name="Site" IsSecret="false">HQ</Variable></Variables></Rule></Rules>';

describe('dynamic-rules', () => {
  test('a rule with two kinds of condition is reported on the second', () => {
    // Each rule of the Add Rule dialog is one of computer, location, make and model, or a variable.
    const [f, ...rest] = findings('dynamic-rules', { 'a.tsq.yaml': step('        - computer: { serialNumber: "1" }', '          location: { defaultGateway: 10.0.0.1 }', '          variables: { A: b }') });
    assert.equal(rest.length, 0);
    assert.equal(f.text, 'location');
    assert.equal(f.message, 'A rule has one kind of condition; this one already has `computer`, so `location` cannot be added to it.');
  });
  test('a computer rule with nothing to compare, an empty model, and a rule that sets nothing', () => {
    const found = findings('dynamic-rules', { 'a.tsq.yaml': step('        - computer: { serialNumber: "" }', '          variables: { A: b }', '        - makeAndModel: { make: Dell, model: "" }', '          variables: { B: c }', '        - location: { defaultGateway: 10.0.0.1 }') });
    assert.deepEqual(found.map((f) => [f.severity, f.text, f.message]), [
      ['error', 'computer', 'A computer rule needs a value to compare: `assetTag`, `uuid`, `serialNumber` or `macAddress`.'],
      ['error', 'model', '`model` is empty, so the rule can never be true.'],
      ['warning', 'location', 'This rule sets no variables.'],
    ]);
  });
  test('wildcards outside make and model, and a value `exists` does not use, are warnings', () => {
    // Make and model: "Specify an asterisk (*) and question mark (?) as wild cards characters." The
    // documentation has wildcards for make and model only.
    const found = findings('dynamic-rules', { 'a.tsq.yaml': step('        - computer: { serialNumber: "58*" }', '          variables: { A: b }', '        - taskSequenceVariable: { name: Ring, operator: exists, value: pilot }', '          variables: { B: c }') });
    assert.deepEqual(found.map((f) => [f.severity, f.text]), [['warning', 'serialNumber'], ['warning', 'value']]);
  });
  test('well-formed rules of every kind have no finding', () => {
    assert.deepEqual(findings('dynamic-rules', { 'a.tsq.yaml': step(
      '        - computer: { serialNumber: "5892087", macAddress: 26-78-13-5A-A4-22 }',
      '          variables: { OSDComputerName: KIOSK-01 }',
      '        - location: { defaultGateway: 192.168.10.1 }',
      '          variables: { Site: HQ }',
      '        - makeAndModel: { make: "Dell*", model: "Latitude 74??" }',
      '          variables: { Drivers: dell }',
      '        - taskSequenceVariable: { name: Ring, operator: equals, value: pilot }',
      '          variables: { Early: "true", JoinPassword: { env: JOIN_PASSWORD } }',
      '        - variables: { Always: set }',
    ) }), []);
  });
});

describe('dynamic-rules-xml', () => {
  test('rules written as XML are a note with a conversion fix', () => {
    const [f] = findings('dynamic-rules-xml', { 'a.tsq.yaml': xmlStep(LOCATION_XML) });
    assert.equal(f.severity, 'information');
    assert.equal(f.message, 'The rules are written as the XML ConfigMgr stores (1 rule).');
    assert.deepEqual(f.data, { fix: 'convert-rules' });
  });
  test('a condition the list cannot write keeps the text, without a fix', () => {
    const both = '<Rules><Rule><condition><operator type="or"><expression type="SMS_TaskSequence_LocationConditionExpression"><variable name="DefaultGateway">10.0.0.1</variable></expression><expression type="SMS_TaskSequence_LocationConditionExpression"><variable name="DefaultGateway">10.0.0.2</variable></expression></operator></condition><Variables><Variable Name="Site" IsSecret="false">HQ</Variable></Variables></Rule></Rules>';
    const [f] = findings('dynamic-rules-xml', { 'a.tsq.yaml': xmlStep(both) });
    assert.equal(f.data, undefined);
    assert.match(f.hint!, /cannot express/);
  });
  test('text that is not rules at all is a warning', () => {
    const [f] = findings('dynamic-rules-xml', { 'a.tsq.yaml': xmlStep('Site=HQ') });
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /not XML that Set Dynamic Variables can read/);
  });
  test('the YAML list is not reported', () => {
    assert.deepEqual(findings('dynamic-rules-xml', { 'a.tsq.yaml': step('        - variables: { A: b }') }), []);
  });
});

describe('names and hidden values the rules set', () => {
  test('an invalid variable name in a rule is an invalid-value', () => {
    const [f] = findings('invalid-value', { 'a.tsq.yaml': step('        - variables: { "Bad name": b }') });
    assert.equal(f.text, '"Bad name"');
    assert.deepEqual(findings('invalid-value', { 'a.tsq.yaml': step('        - variables: { Good-name_1: b }') }), []);
  });
  test('a value marked missing (“Do not display this value” lost on import) is reported by missing-secret', () => {
    const [f] = findings('missing-secret', { 'a.tsq.yaml': step('        - variables: { JoinPassword: { missing: true }, Site: HQ }') });
    assert.equal(f.text, '{ missing: true }');
    assert.match(f.message, /The value of `JoinPassword` is not set/);
    assert.deepEqual(findings('missing-secret', { 'a.tsq.yaml': step('        - variables: { JoinPassword: { env: JOIN_PASSWORD } }') }), []);
  });
});
