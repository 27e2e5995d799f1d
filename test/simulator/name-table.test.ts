// Variable names are looked up from a stretch of a longer text (a condition, a `%Name%` in an
// option) without cutting them out. The table must find exactly the names it holds, however many
// there are, ignoring the case of ASCII letters only; and a slot found that way must be the slot of
// the name itself, case ignored as Unicode lower case ignores it (docs/variables.md).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NameTable } from '../../server/src/simulator/name-table';
import { variableSlot, variableSlotIn } from '../../server/src/simulator/variables';

describe('the name table', () => {
  it('finds every name it holds from any text around it, ASCII case ignored, and nothing else', () => {
    const table = new NameTable();
    const names = Array.from({ length: 5000 }, (_, i) =>
      i % 3 === 0 ? `Var${i}` : i % 3 === 1 ? `_SMSTS${i}Name` : `ü-${i}`,
    );
    names.forEach((name, i) => table.add(name, i));
    assert.equal(table.size, names.length);
    names.forEach((name, i) => {
      const text = `x %${name}% y`;
      assert.equal(table.find(text, 3, 3 + name.length), i, name);
      assert.equal(table.find(name, 0, name.length), i, name);
    });
    for (const [other, i] of [
      ['var0', 0],
      ['VAR3', 3],
      ['_smsts1NAME', 1],
      ['Ü-2', -1],
      ['ü-2', 2],
    ] as const)
      assert.equal(table.find(other, 0, other.length), i, other);
    for (const absent of ['Var', 'Var00', '', '_SMSTS1Nam', 'ü-2 ', 'V@r0', 'Var0\u0000'])
      assert.equal(table.find(absent, 0, absent.length), -1, absent);
  });
});

describe('variable slots read from a text', () => {
  it('are the slots of the names themselves, case ignored, whether the name was met before or not', () => {
    const text = 'cmd /c %OSDComputerName% %osdcomputername% %FirstSeenHere123%';
    const at = (name: string): [number, number] => [text.indexOf(name), text.indexOf(name) + name.length];
    const first = variableSlotIn(text, ...at('OSDComputerName'));
    assert.equal(first, variableSlot('OSDComputerName'));
    assert.equal(variableSlotIn(text, ...at('osdcomputername')), first);
    const fresh = variableSlotIn(text, ...at('FirstSeenHere123'));
    assert.equal(fresh, variableSlot('FirstSeenHere123'));
    assert.equal(variableSlot('firstseenhere123'), fresh);
    assert.notEqual(fresh, first);
  });
});

describe('variable slots of names outside ASCII', () => {
  it('are shared by every spelling with the same Unicode lower case, in whichever order they are met', () => {
    // U+212A KELVIN SIGN lower-cases to an ASCII k; Ä and ä to ä.
    const kelvinFirst = variableSlot('Temp\u212Aelvin');
    assert.equal(variableSlot('tempkelvin'), kelvinFirst);
    assert.equal(variableSlot('TEMPKELVIN'), kelvinFirst);
    const asciiFirst = variableSlot('MaxKelvin');
    assert.equal(variableSlot('Max\u212Aelvin'), asciiFirst);
    assert.equal(variableSlot('Größe'), variableSlot('GRÖßE'));
    assert.equal(variableSlot('Ärger'), variableSlot('ärger'));
    assert.notEqual(variableSlot('Ärger'), variableSlot('Arger'));
    assert.notEqual(kelvinFirst, asciiFirst);
  });
});
