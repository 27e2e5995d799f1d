// What the simulator keeps for the whole process — variable slots, action plans and their option
// layouts, the objects whose content steps need, what a compile reuses from the step or frame
// before — must not keep the text of a file that is no longer used. V8 makes a slice of 13
// characters or more a view on the text it was cut from, so one long name or value kept that way
// keeps the whole file: a debug adapter or language server that simulated a large file once would
// hold its megabytes until it exits (simulator/own-text.ts says how it is avoided).
//
// A heap snapshot shows it without timing: V8 collects what is unreachable before it takes one, and
// names each string by its first characters.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { renderJson, renderText } from '../../server/src/simulator/report';
import { existingSlot } from '../../server/src/simulator/variables';
import { simulate, stringsOnTheHeap } from './helpers';

/**
 * A sequence and its catalog, made at run time (no script's source holds them), each starting with
 * a line that names it: long variable names in conditions, `%Name%` references and option
 * variables, long expected values, long object IDs, repeated command lines, a skipped step.
 */
function files(marker: string): { main: string; 'catalog.tsq.yaml': string } {
  const tag = marker.slice(0, 8);
  const steps: string[] = [];
  for (let g = 0; g < 3; g++) {
    steps.push(`  - group: Group number ${g} of the closed file`);
    steps.push(
      `    when: DeploymentRingOfTheClosedFile_${tag} == "PilotRingWithALongName${g}" or exists(ComputerNameOfTheClosedFile_${tag})`,
    );
    steps.push('    steps:');
    for (let s = 0; s < 4; s++) {
      steps.push(`      - name: Script ${g}.${s} writing a long variable name`);
      steps.push('        action: RunCommandLine');
      steps.push(`        when: ScriptResultOfTheClosedFile_${tag}_${s} != "AnExpectedValueLongerThan13_${s}"`);
      steps.push('        with:');
      steps.push(
        `          commandLine: cmd /c echo %ComputerNameOfTheClosedFile_${tag}% -Step %_SMSTSCurrentActionName%`,
      );
      steps.push(`          outputVariable: OutputOfTheClosedFileScript_${tag}_${g}_${s}`);
      steps.push(`          package: PackageWithALongIdentifier_${tag}`);
    }
    steps.push(`  - name: Skipped because of a long expected value ${g}`);
    steps.push('    action: RunCommandLine');
    steps.push(`    when: NeverSetVariableOfTheClosedFile_${tag} == "SomethingLongEnoughToBeSliced"`);
    steps.push('    with:');
    steps.push('      commandLine: cmd /c exit 0');
  }
  return {
    main: [
      `# sequence of the closed file ${marker}`,
      'sequence: Closed file',
      'variables:',
      `  ComputerNameOfTheClosedFile_${tag}: PC-WITH-A-LONG-NAME-0001`,
      'steps:',
      ...steps,
      '',
    ].join('\n'),
    'catalog.tsq.yaml': [
      `# catalog of the closed file ${marker}`,
      'catalog: Closed file site',
      'packages:',
      `  - id: PackageWithALongIdentifier_${tag}`,
      '    name: Scripts',
      '    distributed: true',
      '',
    ].join('\n'),
  };
}

describe('a simulated file that is no longer used', () => {
  it('is not kept by what the simulator keeps for the process', async () => {
    const marker = randomUUID();
    (() => {
      const sim = simulate(files(marker));
      assert.equal(sim.ended, 'succeeded');
      // Everything a front end makes of a run: its text with the log (reasons worded), and JSON.
      const text = renderText(sim, { color: false, log: true });
      assert.match(text, /Script 2\.3 writing a long variable name/);
      assert.match(text, /Skipped because of a long expected value 2/);
      renderJson(sim);
    })();
    const strings = await stringsOnTheHeap();
    for (const kind of ['sequence', 'catalog'])
      assert.deepEqual(
        strings.filter((s) => s.startsWith(`# ${kind} of the closed file ${marker}`)),
        [],
        `the ${kind}'s text is still on the heap`,
      );
    // What the process keeps on purpose is still there: the names' slots.
    assert.notEqual(existingSlot(`scriptresultoftheclosedfile_${marker.slice(0, 8)}_3`), undefined);
  });
});
