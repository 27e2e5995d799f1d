// Variable names are looked up from a stretch of a longer text (a condition, a `%Name%` in an
// option) without cutting them out. The table must find exactly the names it holds, however many
// there are, ignoring the case of ASCII letters only; and a slot found that way must be the slot of
// the name itself, case ignored as Unicode lower case ignores it (docs/variables.md).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { NameTable } from '../../server/src/simulator/name-table';
import { existingSlot, variableSlot, variableSlotIn } from '../../server/src/simulator/variables';
import { stringsOnTheHeap } from './helpers';

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

describe('names kept by the process-wide slot table', () => {
  it('do not keep the text they were read from alive', async () => {
    // A file's text, made at run time so that no script's source holds it: a marker first (a heap
    // snapshot names a string by its first 1,024 characters), then long names read from it as a
    // compile reads them, without cutting them out first.
    const marker = randomUUID();
    (() => {
      let text = `# closed file ${marker}\n`;
      const names: [number, number][] = [];
      for (let i = 0; i < 50; i++) {
        const name = `LongVariableNameFromAClosedFile${i}_${marker.slice(0, 8)}`;
        names.push([text.length + 1, text.length + 1 + name.length]);
        text += `%${name}% and some more text around it\n`;
      }
      const wholeName = `AnotherLongNameFromTheFile_${marker.slice(0, 8)}`;
      const at = text.length;
      text += `${wholeName}: value\n`;
      for (const [from, to] of names) variableSlotIn(text, from, to);
      // A name handed over whole may itself be a slice of the file's text (a YAML key, a scalar).
      variableSlot(text.slice(at, at + wholeName.length));
    })();
    const strings = await stringsOnTheHeap();
    const fileText = `# closed file ${marker}`;
    assert.deepEqual(
      strings.filter((s) => s.startsWith(fileText)),
      [],
      'a string that starts as the closed file does is still on the heap',
    );
    // The names themselves are kept, and found again however they are spelled.
    assert.ok(strings.some((s) => s.includes(`LongVariableNameFromAClosedFile0_${marker.slice(0, 8)}`)));
    assert.notEqual(existingSlot(`longvariablenamefromaclosedfile0_${marker.slice(0, 8)}`), undefined);
    assert.notEqual(existingSlot(`ANOTHERLONGNAMEFROMTHEFILE_${marker.slice(0, 8)}`), undefined);
  });
});
