// A sequence that uses every built-in step type with every option it has set to a value other
// than its default, and the catalog its references need: the round-trip tests export it to XML,
// import that XML and export again, so each step type and each option is proven to come back.
import { allSteps } from '../../server/src/catalog';
import { commandLineCarriesValue } from '../../server/src/catalog/steps';
import type { ReferenceKind, StepDefinition, StepProperty } from '../../server/src/catalog/types';

/** One ID per reference kind, and a second one for lists. */
const IDS: Record<ReferenceKind, [string, string]> = {
  package: ['CVR00001', 'CVR00002'],
  application: [
    'ScopeId_5E8A1C3F-0B9D-4E2A-9C71-2D3F4A5B6C7D/Application_11111111-2222-4333-8444-555555555555',
    'ScopeId_5E8A1C3F-0B9D-4E2A-9C71-2D3F4A5B6C7D/Application_66666666-7777-4888-9999-000000000000',
  ],
  osImage: ['CVR00011', 'CVR00012'],
  osUpgradePackage: ['CVR00021', 'CVR00022'],
  driverPackage: ['CVR00031', 'CVR00032'],
  bootImage: ['CVR00041', 'CVR00042'],
  childSequence: ['CVR00051', 'CVR00052'],
};

export const EVERY_STEP_CATALOG = `catalog: Every step's references
siteCode: CVR
packages:
  - { id: ${IDS.package[0]}, programs: [Install] }
  - { id: ${IDS.package[1]}, programs: [Install] }
applications:
  - { id: ${IDS.application[0]} }
  - { id: ${IDS.application[1]} }
osImages:
  - { id: ${IDS.osImage[0]}, indexes: [1, 2, 3] }
  - { id: ${IDS.osImage[1]}, indexes: [1] }
upgradePackages:
  - { id: ${IDS.osUpgradePackage[0]} }
  - { id: ${IDS.osUpgradePackage[1]} }
driverPackages:
  - { id: ${IDS.driverPackage[0]} }
  - { id: ${IDS.driverPackage[1]} }
bootImages:
  - { id: ${IDS.bootImage[0]} }
  - { id: ${IDS.bootImage[1]} }
taskSequences:
  - { id: ${IDS.childSequence[0]} }
  - { id: ${IDS.childSequence[1]} }
`;

/**
 * Whether ConfigMgr's XML has a place for the option: a task sequence variable (MDT's spelling for
 * MDT-only options) or the command line. Export refuses the others rather than drop them (the
 * test below pins that), so they cannot make the round trip.
 */
export function reachesXml(step: StepDefinition, p: StepProperty): boolean {
  return (
    p.type === 'objectList' ||
    p.xmlVariable !== undefined ||
    commandLineCarriesValue(step, p) ||
    (p.mdtOnly === true && (p.mdtXmlVariables?.length ?? 0) > 0)
  );
}

/** A YAML flow value of `p` that is not its default, or undefined for options an author never writes. */
function valueOf(step: StepDefinition, p: StepProperty, depth = 0): string | undefined {
  if (p.countOf || p.secret || !reachesXml(step, p)) return undefined;
  switch (p.type) {
    case 'boolean':
      return p.default === true ? 'false' : 'true';
    case 'integer': {
      const base = typeof p.default === 'number' ? p.default + 1 : (p.minimum ?? 0) + 2;
      return String(p.maximum !== undefined ? Math.min(base, p.maximum) : base);
    }
    case 'enum': {
      const values = p.enum ?? [];
      const other = values.filter((v) => v.value !== p.default);
      return JSON.stringify((other[other.length - 1] ?? values[0]).value);
    }
    case 'reference':
      return JSON.stringify(IDS[p.reference ?? 'package'][0]);
    case 'referenceList':
      return `[${IDS[p.reference ?? 'package'].map((id) => JSON.stringify(id)).join(', ')}]`;
    case 'stringList':
      return p.name.toLowerCase().includes('code') ? '["0", "1641"]' : `["${p.name}-a", "${p.name}-b"]`;
    case 'objectList': {
      if (depth > 0 || !p.items) return undefined;
      const fields = p.items
        .map((item) => [item.name, valueOf(step, item, depth + 1)] as const)
        .filter(([, v]) => v !== undefined);
      return `[{ ${fields.map(([k, v]) => `${k}: ${v}`).join(', ')} }]`;
    }
    default: {
      if (p.name === 'program') return '"Install"';
      // Short and a valid variable name, so length limits and name rules never refuse it.
      const text = `Cover${step.key.slice(0, 6)}${p.name.slice(0, 6)}`;
      return JSON.stringify(p.maxLength !== undefined ? text.slice(0, p.maxLength) : text);
    }
  }
}

/** The YAML of one step of type `step`, every option set. */
function stepYaml(step: StepDefinition, index: number): string {
  const options = step.properties.map((p) => [p.name, valueOf(step, p)] as const).filter(([, v]) => v !== undefined);
  const lines = [
    `  - name: ${step.displayName} ${index}`,
    `    action: ${step.key}`,
    `    description: Every option of ${step.displayName}`,
    `    continueOnError: true`,
    `    when: CoverRing == "${index}"`,
  ];
  if (options.length > 0) {
    lines.push('    with:');
    for (const [k, v] of options) lines.push(`      ${k}: ${v}`);
  }
  return lines.join('\n');
}

/** The sequence: one step of every built-in type, in the catalog's order. */
export function everyStepSequence(): string {
  const steps = allSteps().map((s, i) => stepYaml(s, i + 1));
  return `sequence: Every step type\npackageId: CVR00099\nbootImage: ${IDS.bootImage[0]}\nsteps:\n${steps.join('\n')}\n`;
}
