// Generated task sequences for benchmarks: realistic step mixes (groups with conditions, command
// lines with variables, installs, restarts, set-variable steps, child-sequence calls) of any size,
// plus the catalog they refer to, so analysis does real reference checks.

import { allSteps } from '../server/src/catalog';
import type { StepProperty } from '../server/src/catalog/types';

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
  const out: string[] = [
    'sequence: Generated',
    'description: benchmark sequence',
    'bootImage: BEN00005',
    'variables:',
    '  Ring: pilot',
    'steps:',
  ];
  let i = 0;
  let g = 0;
  while (i < steps) {
    out.push(
      `  - group: Group ${g}`,
      `    when: _SMSTSInWinPE == "false" and Ring != "${g % 7}"`,
      `    continueOnError: ${g % 2 === 0}`,
      '    steps:',
    );
    for (let k = 0; k < 20 && i < steps; k++, i++) {
      switch (i % 5) {
        case 0:
          out.push(
            `      - name: Run script ${i}`,
            `        id: s${i}`,
            `        run: cmd.exe /c setup.cmd %OSDComputerName% ${i}`,
            '        package: BEN00077',
            '        continueOnError: true',
          );
          break;
        case 1:
          out.push(
            `      - name: Set variable ${i}`,
            '        action: SetTaskSequenceVariable',
            `        with: { variable: Var${i}, value: "value ${i}" }`,
          );
          break;
        case 2:
          out.push(
            `      - name: Install ${i}`,
            '        action: InstallPackage',
            '        with:',
            '          package: BEN00077',
            '          program: Install',
            `        when: exists(Var${i - 1})`,
          );
          break;
        case 3:
          out.push(
            `      - name: Restart ${i}`,
            '        action: RestartComputer',
            '        description: restart into the installed OS',
            '        with: { target: hd }',
            `        disabled: ${i % 8 === 3}`,
          );
          break;
        default:
          out.push(
            `      - name: Configure ${i}`,
            '        action: RunPowerShellScript',
            `        when: _SMSTSMake == "Dell" and _SMSTSModel like "%Latitude ${i}%"`,
            '        with: { package: BEN00077, scriptName: Configure.ps1, parameters: "-Step %_SMSTSCurrentActionName%" }',
          );
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
  return (
    'sequence: Alias flood\nsteps:\n  - &bad { name: Step, run: setup.cmd, timeout: soon }\n' +
    '  - *bad\n'.repeat(aliases)
  );
}

/**
 * The file shapes the language-server bench measures (issue 18): each is a sequence of about
 * `steps` steps plus the other files of its folder (catalog, child sequences), so reference checks
 * do real work. `mixed` is the original generateSequence mix.
 */
export type BenchShape =
  'mixed' | 'flat-groups' | 'nested' | 'children' | 'all-steps' | 'long-conditions' | 'many-variables';
export const BENCH_SHAPES: readonly BenchShape[] = [
  'mixed',
  'flat-groups',
  'nested',
  'children',
  'all-steps',
  'long-conditions',
  'many-variables',
];

export interface ShapedWorkspace {
  sequence: string;
  /** Other files of the folder by name (always a catalog). */
  files: Record<string, string>;
}

/** A catalog of `n` packages (BEN10000…) besides everything BENCH_CATALOG lists. */
function catalogWithPackages(n: number): string {
  const extra = Array.from(
    { length: n },
    (_, i) => `  - { id: BEN1${String(i).padStart(4, '0')}, name: Package ${i}, version: 1, programs: [Install] }`,
  );
  return (
    BENCH_CATALOG.replace('packages:\n', `packages:\n${extra.join('\n')}\n`) +
    'applications:\n  - { id: BenchApp, name: Bench application }\n'
  );
}

const header = (name: string) => [`sequence: ${name}`, 'bootImage: BEN00005', 'steps:'];
const indent = (depth: number) => '  '.repeat(depth);

/** Groups of ten Run Command Line steps with ids and package references, 50 packages (the issue's 47,768-line shape). */
function flatGroups(steps: number): ShapedWorkspace {
  const out = header('Flat groups');
  for (let i = 0; i < steps; i += 10) {
    out.push(`  - group: Group ${i / 10}`, '    when: Ring == "1" or exists(OSDComputerName)', '    steps:');
    for (let k = i; k < Math.min(steps, i + 10); k++) {
      out.push(
        `      - name: Command ${k}`,
        `        id: c${k}`,
        `        run: cmd.exe /c tool.exe /name:%OSDComputerName% /n:${k}`,
        `        package: BEN1${String(k % 50).padStart(4, '0')}`,
      );
      if (k % 3 === 0) out.push('        continueOnError: true');
      if (k % 7 === 0) out.push('        when: _SMSTSLastActionRetCode == "0"');
    }
  }
  return { sequence: out.join('\n') + '\n', files: { 'catalog.tsq.yaml': catalogWithPackages(50) } };
}

/** Groups nested twelve deep, two steps at each level, so every step sits under many conditions. */
function nested(steps: number): ShapedWorkspace {
  const out = header('Nested groups');
  const depth = 12;
  let i = 0;
  while (i < steps) {
    for (let d = 0; d < depth && i < steps; d++) {
      const pad = indent(1 + 2 * d);
      out.push(`${pad}- group: Level ${d} at ${i}`, `${pad}  when: Depth${d} != "skip"`, `${pad}  steps:`);
      for (let k = 0; k < 2 && i < steps; k++, i++)
        out.push(`${pad}    - name: Step ${i}`, `${pad}      run: cmd.exe /c echo %Depth${d}% ${i}`);
    }
  }
  return { sequence: out.join('\n') + '\n', files: { 'catalog.tsq.yaml': BENCH_CATALOG } };
}

/** Every tenth step runs one of twenty child sequences (each of twenty steps that read and set variables). */
function children(steps: number): ShapedWorkspace {
  const files: Record<string, string> = { 'catalog.tsq.yaml': BENCH_CATALOG };
  for (let c = 0; c < 20; c++) {
    const child = [`sequence: Child ${c}`, `packageId: BEN2${String(c).padStart(4, '0')}`, 'steps:'];
    for (let k = 0; k < 20; k++)
      child.push(
        `  - name: Child ${c} step ${k}`,
        '    action: SetTaskSequenceVariable',
        `    with: { variable: Child${c}V${k}, value: "%Parent${k}%" }`,
      );
    files[`child${c}.tsq.yaml`] = child.join('\n') + '\n';
  }
  const out = header('Many children');
  for (let i = 0; i < steps; i++) {
    if (i % 10 === 0)
      out.push(
        `  - name: Run child ${i}`,
        '    action: RunTaskSequence',
        `    with: { sequence: ./child${(i / 10) % 20}.tsq.yaml }`,
      );
    else
      out.push(
        `  - name: Set ${i}`,
        '    action: SetTaskSequenceVariable',
        `    with: { variable: Parent${i % 20}, value: "v${i}" }`,
      );
  }
  return { sequence: out.join('\n') + '\n', files };
}

/** A YAML value of the right type for a property (the first choice, the smallest number, a catalog ID). */
function sampleValue(p: StepProperty, i: number): string {
  switch (p.type) {
    case 'boolean':
      return 'true';
    case 'integer':
      return String(p.minimum ?? 1);
    case 'enum':
      return p.enum?.[0]?.value ?? 'x';
    case 'reference':
      return p.reference === 'childSequence'
        ? './child0.tsq.yaml'
        : p.reference === 'osImage'
          ? 'BEN00042'
          : p.reference === 'driverPackage'
            ? 'BEN00050'
            : p.reference === 'application'
              ? 'BenchApp'
              : 'BEN00077';
    case 'referenceList':
      return p.reference === 'application' ? '[BenchApp]' : '[BEN00077]';
    case 'stringList':
      return '["0", "3010"]';
    case 'objectList':
      return `[{ ${(p.items ?? []).map((q) => `${q.name}: ${sampleValue(q, i)}`).join(', ')} }]`;
    default:
      return `"value ${i}"`;
  }
}

/** Every built-in step type in turn, each with every option it has (values of the right type; some combinations draw findings). */
function allStepTypes(steps: number): ShapedWorkspace {
  const types = allSteps();
  const out = header('All step types');
  for (let i = 0; i < steps; i++) {
    const step = types[i % types.length];
    out.push(`  - name: ${step.displayName} ${i}`, `    action: ${step.key}`);
    if (step.properties.length)
      out.push('    with:', ...step.properties.map((p) => `      ${p.name}: ${sampleValue(p, i)}`));
  }
  const child = 'sequence: Child\npackageId: BEN20000\nsteps:\n  - { name: Only, run: cmd.exe /c exit 0 }\n';
  return {
    sequence: out.join('\n') + '\n',
    files: { 'catalog.tsq.yaml': catalogWithPackages(0), 'child0.tsq.yaml': child },
  };
}

/** Every step has a condition of about a dozen clauses (and, or, not, like, exists, comparisons). */
function longConditions(steps: number): ShapedWorkspace {
  const out = header('Long conditions');
  for (let i = 0; i < steps; i++) {
    const clauses = [
      `_SMSTSMake == "Dell" and _SMSTSModel like "%Latitude ${i % 90}%"`,
      `(Ring == "${i % 4}" or Ring == "pilot" or not exists(SkipStep${i % 30}))`,
      `_SMSTSInWinPE == "false" and OSDComputerName != "LAB${i}"`,
      `(Count${i % 9} > 3 or Count${i % 9} < 1) and _SMSTSLastActionRetCode == "0"`,
    ];
    out.push(`  - name: Conditional ${i}`, `    run: cmd.exe /c step.cmd ${i}`, `    when: ${clauses.join(' and ')}`);
  }
  return { sequence: out.join('\n') + '\n', files: { 'catalog.tsq.yaml': BENCH_CATALOG } };
}

/** Thousands of declared variables, each step sets one and reads two others in its command line. */
function manyVariables(steps: number): ShapedWorkspace {
  const out = ['sequence: Many variables', 'bootImage: BEN00005', 'variables:'];
  const declared = Math.max(1, Math.floor(steps / 5));
  for (let v = 0; v < declared; v++) out.push(`  Declared${v}: "initial ${v}"`);
  out.push('steps:');
  for (let i = 0; i < steps; i++) {
    if (i % 2 === 0)
      out.push(
        `  - name: Set ${i}`,
        '    action: SetTaskSequenceVariable',
        `    with: { variable: Var${i}, value: "%Declared${i % declared}%-${i}" }`,
      );
    else
      out.push(
        `  - name: Use ${i}`,
        `    run: cmd.exe /c use.cmd %Var${i - 1}% %Declared${(i * 7) % declared}%`,
        `    when: exists(Var${i - 1})`,
      );
  }
  return { sequence: out.join('\n') + '\n', files: { 'catalog.tsq.yaml': BENCH_CATALOG } };
}

/** The folder of one shape at about `steps` steps. */
export function generateShape(shape: BenchShape, steps: number): ShapedWorkspace {
  switch (shape) {
    case 'mixed':
      return { sequence: generateSequence(steps), files: { 'catalog.tsq.yaml': BENCH_CATALOG } };
    case 'flat-groups':
      return flatGroups(steps);
    case 'nested':
      return nested(steps);
    case 'children':
      return children(steps);
    case 'all-steps':
      return allStepTypes(steps);
    case 'long-conditions':
      return longConditions(steps);
    case 'many-variables':
      return manyVariables(steps);
  }
}
