// Generated task sequences for benchmarks: realistic step mixes (groups with conditions, command
// lines with variables, installs, restarts, set-variable steps, child-sequence calls) of any size,
// plus the catalog they refer to, so analysis does real reference checks.

export const BENCH_CATALOG = `catalog: Bench site
siteCode: BEN
packages:
  - { id: BEN00077, name: Setup scripts, version: 4, programs: [Install, Configure], architectures: [x64] }
  - { id: BEN00010, name: Client, version: 5 }
osImages:
  - { id: BEN00042, name: Windows 11, architecture: x64, indexes: [1, 3] }
driverPackages:
  - { id: BEN00050, name: Drivers, architecture: x64 }
bootImages:
  - { id: BEN00005, name: Boot image, architecture: x64 }
`;

/** A sequence of about `steps` steps in groups of 20 (YAML text). */
export function generateSequence(steps: number): string {
  const out: string[] = ['sequence: Generated', 'description: benchmark sequence', 'bootImage: BEN00005', 'variables:', '  Ring: pilot', 'steps:'];
  let i = 0;
  let g = 0;
  while (i < steps) {
    out.push(`  - group: Group ${g}`, `    when: _SMSTSInWinPE == "false" and Ring != "${g % 7}"`, `    continueOnError: ${g % 2 === 0}`, '    steps:');
    for (let k = 0; k < 20 && i < steps; k++, i++) {
      switch (i % 5) {
        case 0:
          out.push(`      - name: Run script ${i}`, `        id: s${i}`, `        run: cmd.exe /c setup.cmd %OSDComputerName% ${i}`, '        package: BEN00077', '        continueOnError: true');
          break;
        case 1:
          out.push(`      - name: Set variable ${i}`, '        action: SetTaskSequenceVariable', `        with: { variable: Var${i}, value: "value ${i}" }`);
          break;
        case 2:
          out.push(`      - name: Install ${i}`, '        action: InstallPackage', '        with:', '          package: BEN00077', '          program: Install', `        when: exists(Var${i - 1})`);
          break;
        case 3:
          out.push(`      - name: Restart ${i}`, '        action: RestartComputer', '        description: restart into the installed OS', '        with: { target: hd }', `        disabled: ${i % 8 === 3}`);
          break;
        default:
          out.push(`      - name: Configure ${i}`, '        action: RunPowerShellScript', `        when: _SMSTSMake == "Dell" and _SMSTSModel like "%Latitude ${i}%"`, '        with: { package: BEN00077, scriptName: Configure.ps1, parameters: "-Step %_SMSTSCurrentActionName%" }');
      }
    }
    g++;
  }
  return out.join('\n') + '\n';
}

/**
 * A sequence of `steps` steps that each have the same invalid `timeout:` (one schema finding
 * each): the flood of errors a bad search-and-replace leaves behind.
 */
export function timeoutFloodSequence(steps: number): string {
  const out: string[] = ['sequence: Timeout flood', 'steps:'];
  for (let i = 0; i < steps; i++) out.push(`  - { name: Step ${i}, run: setup.cmd, timeout: soon }`);
  return out.join('\n') + '\n';
}

/** A sequence whose first step (with an invalid `timeout:`) is repeated by `aliases` aliases to it. */
export function aliasFloodSequence(aliases: number): string {
  return 'sequence: Alias flood\nsteps:\n  - &bad { name: Step, run: setup.cmd, timeout: soon }\n' + '  - *bad\n'.repeat(aliases);
}
