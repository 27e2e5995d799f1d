// Writes docs/steps.md, the reference of every built-in action and its `with:` properties, from the
// catalog data, so the page can never disagree with what the linter and completion know.
// Usage: npm run docs:steps            (rewrite docs/steps.md)
//        npm run docs:steps -- --check (exit 1 when docs/steps.md is out of date)
// The unit tests compare the committed page with renderStepsMarkdown() as well.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { allSteps, referenceKindInfo } from '../server/src/catalog';
import type { RunEnvironment, StepDefinition, StepProperty } from '../server/src/catalog';

const ENVIRONMENT: Record<RunEnvironment, string> = {
  WinPE: 'Windows PE',
  FullOS: 'full OS',
  WinPEandFullOS: 'Windows PE or full OS',
};

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const code = (text: string): string => '`' + text + '`';

function typeOf(p: StepProperty): string {
  switch (p.type) {
    case 'enum':
      return (p.enum ?? []).map((e) => code(e.value)).join(' \\| ');
    case 'reference':
      return `${referenceKindInfo(p.reference!).label} ID`;
    case 'referenceList':
      return `list of ${referenceKindInfo(p.reference!).label} IDs`;
    case 'stringList':
      return 'list of strings';
    case 'objectList':
      return 'list of entries (below)';
    case 'dynamicRules':
      return 'list of rules (below)';
    default:
      return p.type;
  }
}

function requiredOf(p: StepProperty): string {
  if (p.required) return 'yes';
  if (p.requiredIf) return `if ${code(p.requiredIf.property)} is ${p.requiredIf.is}`;
  return '';
}

function defaultOf(p: StepProperty): string {
  if (p.default === undefined) return '';
  return code(Array.isArray(p.default) ? p.default.join(' ') : String(p.default));
}

function notesOf(p: StepProperty): string {
  const notes: string[] = [];
  if (p.minimum !== undefined || p.maximum !== undefined) notes.push(`range ${p.minimum ?? ''}-${p.maximum ?? ''}`);
  if (p.maxLength !== undefined) notes.push(`${p.minLength ?? 0}-${p.maxLength} characters`);
  if (p.secret) notes.push('secret');
  if (p.countOf) notes.push(`computed from ${code(p.countOf)}`);
  if (p.mdtOnly) notes.push('MDT files only');
  return notes.length ? ` (${notes.join('; ')})` : '';
}

function propertyTable(properties: readonly StepProperty[]): string[] {
  const lines = ['| property | type | required | default | what it does |', '| --- | --- | --- | --- | --- |'];
  for (const p of properties) {
    lines.push(
      `| ${code(p.name)} | ${typeOf(p)} | ${requiredOf(p)} | ${defaultOf(p)} | ${cell(p.summary + notesOf(p))} |`,
    );
  }
  return lines;
}

function stepSection(step: StepDefinition): string[] {
  const where =
    ENVIRONMENT[step.runIn] +
    (step.docEnvironment ? ` (the documentation says ${ENVIRONMENT[step.docEnvironment]})` : '');
  const facts = [
    `**${step.displayName}**`,
    `runs in ${where}`,
    `XML type ${code(step.xmlType)}`,
    `success codes ${code(step.successCodes.join(' '))}`,
  ];
  if (step.docUrl) facts.push(`[Microsoft docs](${step.docUrl})`);
  const lines = [`### ${step.key}`, '', facts.join(' · '), '', step.summary, ''];
  if (step.properties.length === 0) {
    lines.push('No properties.', '');
    return lines;
  }
  lines.push(...propertyTable(step.properties), '');
  for (const list of step.properties.filter((p) => p.items)) {
    lines.push(`Entries of ${code(list.name)}:`, '', ...propertyTable(list.items!), '');
  }
  if (step.properties.some((p) => p.type === 'dynamicRules')) lines.push(...DYNAMIC_RULES);
  return lines;
}

/** How Set Dynamic Variables' rules are written, and what is known of the XML ConfigMgr stores. */
const DYNAMIC_RULES = [
  '#### Set Dynamic Variables rules',
  '',
  "Each entry of `rules` is one rule of the console's *Add Rule* dialog with the variables it sets,",
  'decided in order; every rule that is true sets its variables (a later one wins for the same',
  "variable). An entry with only `variables:` sets them always (the console's variables without a rule).",
  '',
  '```yaml',
  '- name: Set site and hardware variables',
  '  action: SetDynamicVariables',
  '  with:',
  '    rules:',
  '      - computer: { serialNumber: "5892087", macAddress: 26-78-13-5A-A4-22 }   # true when any value matches',
  '        variables: { OSDComputerName: KIOSK-01 }',
  '      - location: { defaultGateway: 192.168.10.1 }',
  '        variables: { SiteName: Building 2 }',
  '      - makeAndModel: { make: Dell*, model: Latitude 74?? }                     # both must match',
  '        variables: { DriverGroup: latitude-7400 }',
  '      - taskSequenceVariable: { name: Ring, operator: equals, value: pilot }',
  '        variables:',
  '          PilotJoinPassword: { env: PILOT_JOIN_PASSWORD }                          # "Do not display this value"',
  '      - variables: { Branding: contoso }                                         # no rule: always set',
  '```',
  '',
  '| key | what it compares | values |',
  '| --- | --- | --- |',
  '| `computer` | this computer; true when **any** value it gives matches | `assetTag`, `uuid`, `serialNumber`, `macAddress` |',
  '| `location` | the default gateway | `defaultGateway` |',
  '| `makeAndModel` | make **and** model, with `*` (any run of characters) and `?` (one character) | `make`, `model` (both needed; `*` for any) |',
  '| `taskSequenceVariable` | a variable, as a step condition does | `name`, `operator` (`equals`, `notEquals`, `greater`, `greaterEqual`, `less`, `lessEqual`, `exists`, `notExists`, `like`, `notLike`), `value` |',
  '| `variables` | — | the variables the rule sets (name: value); `{ env: NAME }` for a value the console hides |',
  '',
  'Wildcards are documented for make and model only; other values are compared as written. The',
  'facts come from the step reference',
  '([Set Dynamic Variables](https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#BKMK_SetDynamicVariables))',
  'and [New-CMTSRule](https://learn.microsoft.com/powershell/module/configurationmanager/new-cmtsrule),',
  'whose operator list the `operator` values follow.',
  '',
  'ConfigMgr stores the rules as one XML text in the step variable `OSDSetDynamicVariablesRules`.',
  'Microsoft does not document that XML. What tsq writes is taken from the one real export it has',
  'seen, which holds a computer rule: `<Rules><Rule><condition><expression',
  'type="SMS_TaskSequence_ComputerConditionExpression">` with all four `<variable name="AssetTag|MACAddress|SerialNumber|UUID">`',
  '(empty ones too), then `<Variables><Variable Name="…" IsSecret="false">value</Variable></Variables>`,',
  'no blanks between elements and a line break after `</Rules>`. **Inferred** from it, not seen: the',
  'location (`SMS_TaskSequence_LocationConditionExpression`, `DefaultGateway`) and make and model',
  '(`SMS_TaskSequence_MakeModelConditionExpression`, `Make`, `Model`) expressions, the variable rule as',
  "a step condition's `SMS_TaskSequence_VariableConditionExpression` (`Variable`, `Operator`, `Value`),",
  'and variables without a rule as a `<Rule>` without `<condition>`.',
  '',
  'The XML text is still accepted as the value of `rules` (imported files and older tsq files have',
  "it); `tsq lint` marks it (`dynamic-rules-xml`) and the editor's quick fix turns it into the list.",
  'Import turns it into the list only when writing the list back gives the same text, so export',
  'writes an imported, unchanged step back byte for byte; anything else is kept as the text. Values',
  'marked `IsSecret="true"` are never copied (`{ missing: true }`), as ConfigMgr itself removes them',
  'when it imports a sequence.',
  '',
];

/** The whole docs/steps.md page. */
export function renderStepsMarkdown(): string {
  const steps = allSteps();
  const groups: { title: string; steps: StepDefinition[] }[] = [];
  for (const source of ['configmgr', 'mdt'] as const) {
    const categories = [...new Set(steps.filter((s) => s.source === source).map((s) => s.category))].sort();
    for (const category of categories) {
      const title = source === 'mdt' ? 'MDT integration steps' : `ConfigMgr steps: ${category}`;
      groups.push({
        title,
        steps: steps
          .filter((s) => s.source === source && s.category === category)
          .sort((a, b) => a.key.localeCompare(b.key)),
      });
    }
  }
  const lines = [
    '# Built-in actions',
    '',
    '<!-- Generated by `npm run docs:steps` from server/src/catalog/data/steps.json. Do not edit by hand. -->',
    '',
    'Every built-in ConfigMgr and MDT step tsq knows, by the name you write after `action:`, with the',
    'properties it takes under `with:`. Write both names exactly as listed. MDT steps need the MDT',
    'extensions in the ConfigMgr console.',
    '',
    '```yaml',
    '- name: Partition disk 0',
    '  action: FormatAndPartitionDisk',
    '  with:',
    '    disk: 0',
    '    partitionStyle: gpt',
    '    partitions:',
    '      - { type: efi, fileSystem: fat32, size: 100, sizeUnits: mb }',
    '      - { type: msr, size: 16, sizeUnits: mb }',
    '      - { type: primary, fileSystem: ntfs, size: 100, sizeUnits: percent, volumeLetterVariable: OSDisk }',
    '```',
    '',
    'Secret properties (passwords, keys) are never written to exports. A property marked "computed"',
    'is filled in by tsq from the list it counts.',
    '',
    '## Contents',
    '',
  ];
  for (const g of groups)
    lines.push(`- ${g.title}: ${g.steps.map((s) => `[${s.key}](#${s.key.toLowerCase()})`).join(', ')}`);
  lines.push('');
  for (const g of groups) {
    lines.push(`## ${g.title}`, '');
    for (const step of g.steps) lines.push(...stepSection(step));
  }
  return lines.join('\n').replace(/\n+$/, '\n');
}

/**
 * The repository root: the nearest folder above this file with package.json and tsconfig.json
 * (out/ gets a copy of package.json when code imports it, but never tsconfig.json).
 */
export function repositoryRoot(from: string = __dirname): string {
  let dir = from;
  while (!(fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'tsconfig.json')))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no repository root above ${from}`);
    dir = parent;
  }
  return dir;
}

function main(): void {
  const target = path.join(repositoryRoot(), 'docs', 'steps.md');
  const rendered = renderStepsMarkdown();
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
    if (current !== rendered) {
      console.error(`${target} is out of date; run npm run docs:steps`);
      process.exit(1);
    }
    return;
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, rendered);
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}

if (require.main === module) main();
