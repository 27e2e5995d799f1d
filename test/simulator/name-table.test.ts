// Variable names are looked up from a stretch of a longer text (a condition, a `%Name%` in an
// option) without cutting them out. The table must find exactly the names it holds, spelled
// exactly, however many there are; and a slot found that way must be the slot of the name itself.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NameTable } from '../../server/src/simulator/name-table';
import { variableSlot, variableSlotIn } from '../../server/src/simulator/variables';

describe('the name table', () => {
  it('finds every name it holds from any text around it, spelled exactly, and nothing else', () => {
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
    for (const absent of ['var0', 'Var', 'Var00', '', '_SMSTS1name', 'ü-2 '])
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
