// The built-in catalog: it covers every step, property and variable of the shared reference, its
// data is well-formed (unique camelCase names, consistent requirements, enums with XML spellings,
// summaries of our own), its lookups behave as the linter, completion and importer expect, and
// docs/steps.md matches it.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  allReferenceKinds,
  allSteps,
  allVariables,
  findProperty,
  findStep,
  findVariable,
  isBuiltInVariable,
  isReadOnlyVariable,
  propertyByXmlProperty,
  propertyByXmlVariable,
  propertyForXmlVariableElement,
  referenceKindInfo,
  referenceKindOfCatalogList,
  referenceKindOfPackageType,
  resolveArrayVariable,
  stepByKey,
  stepByXmlType,
  suggestPropertyNames,
  suggestStepKeys,
  suggestVariableNames,
  variablesOfStep,
  type StepDefinition,
  type StepProperty,
} from '../../server/src/catalog';
import { CATALOG_LISTS } from '../../server/src/model/site-catalog';
import { editDistance } from '../../server/src/util/suggest';
import { renderStepsMarkdown, repositoryRoot } from '../../scripts/catalog-docs';
import { REFERENCE_DIR, skipUnlessPresent } from '../helpers/outside-samples';

const noReference = skipUnlessPresent(
  "The reference lists of ConfigMgr's steps and variables",
  path.join(REFERENCE_DIR, 'steps.json'),
  path.join(REFERENCE_DIR, 'variables.json'),
);
const referencePresent = noReference === false;

interface RefProperty {
  property: string;
  xmlVariable?: string;
  mdtXmlVariable?: string[];
  type?: string;
  required?: boolean;
  requiredIf?: string;
  range?: string;
  allowedLength?: string;
  enum?: string[];
  secret?: boolean;
  hiddenInXml?: boolean;
  commandLineArg?: number;
  note?: string;
  summary?: string;
}
interface RefStep {
  displayName: string;
  xmlType: string;
  xmlElement: string;
  category: string;
  runIn: string;
  source: string;
  summary: string;
  properties: RefProperty[];
  contentReferences: { kind: string; property: string; required: boolean }[];
}
interface RefVariable {
  name: string;
  readOnly: boolean;
  steps: string[];
  direction?: string;
  summary: string;
}

const refSteps: RefStep[] = referencePresent
  ? JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, 'steps.json'), 'utf8')).steps
  : [];
const refVariables: RefVariable[] = referencePresent
  ? JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, 'variables.json'), 'utf8')).variables
  : [];

const isMdtOnly = (p: RefProperty) => (p.note ?? '').startsWith('seen only in MDT');
const camelCase = /^[a-z][a-zA-Z0-9]*$/;
const pascalCase = /^[A-Z][a-zA-Z0-9]*$/;

function everyProperty(step: StepDefinition): StepProperty[] {
  return step.properties.flatMap((p) => [p, ...(p.items ?? [])]);
}

/** The catalog key of a step named in the reference variables (ConfigMgr wins over the MDT namesake). */
function keyOfDisplayName(displayName: string): string | undefined {
  const matches = allSteps().filter((s) => s.displayName === displayName);
  return (matches.find((s) => s.source === 'configmgr') ?? matches[0])?.key;
}

describe("the catalog covers the reference lists of ConfigMgr's steps and variables", { skip: noReference }, () => {
  // Real ConfigMgr exports write these two MDT steps with a narrower environment than the
  // reference's generic MDT value (samples/xml/forevanyeung-...-RSC002A6-sequence.xml).
  const runInFromExports: Record<string, string> = {
    BDD_InstallLanguagePacksOffline: 'WinPE',
    BDD_InstallLanguagePacksOnline: 'FullOS',
  };

  test('every reference step is in the catalog with its XML type, display name, element, category and environment', () => {
    assert.equal(refSteps.length, 53);
    assert.equal(allSteps().length, refSteps.length);
    for (const ref of refSteps) {
      const step = stepByXmlType(ref.xmlType);
      assert.ok(step, `${ref.displayName} (${ref.xmlType}) is missing`);
      assert.equal(step.displayName, ref.displayName);
      assert.equal(step.xmlElement, ref.xmlElement);
      assert.equal(step.category, ref.category);
      assert.equal(step.runIn, runInFromExports[ref.xmlType] ?? ref.runIn, `${ref.displayName} runIn`);
      assert.equal(step.source, ref.source.startsWith('MDT') ? 'mdt' : 'configmgr');
    }
  });

  test('every reference property can be found by the names a ConfigMgr or MDT file uses for it', () => {
    for (const ref of refSteps) {
      const step = stepByXmlType(ref.xmlType)!;
      for (const rp of ref.properties) {
        const where = `${ref.displayName}.${rp.property}`;
        const match = isMdtOnly(rp)
          ? propertyForXmlVariableElement(step, { property: rp.property, name: rp.mdtXmlVariable?.[0] })
          : propertyByXmlProperty(step, rp.property);
        assert.ok(match, `${where} has no home in the catalog`);
        if (rp.xmlVariable) {
          const byVariable = propertyByXmlVariable(step, rp.xmlVariable);
          assert.ok(byVariable, `${where}: variable ${rp.xmlVariable} is unknown`);
          assert.equal(byVariable.property, match.property, `${where}: variable and property lead to different places`);
          assert.equal(byVariable.item, match.item, `${where}: variable and property lead to different entries`);
        }
      }
    }
  });

  test('reference facts carry over to the catalog property', () => {
    for (const ref of refSteps) {
      const step = stepByXmlType(ref.xmlType)!;
      for (const rp of ref.properties.filter((p) => !isMdtOnly(p))) {
        const match = propertyByXmlProperty(step, rp.property)!;
        if (match.item) continue; // indexed entries are folded into their list, checked by the lookup test
        const p = match.property;
        const where = `${ref.displayName}.${rp.property}`;
        if (rp.xmlVariable) assert.equal(p.xmlVariable, rp.xmlVariable, `${where} xmlVariable`);
        assert.equal(
          p.required === true,
          rp.required === true || ref.contentReferences.some((c) => c.property === rp.property && c.required),
          `${where} required`,
        );
        if (rp.secret) assert.equal(p.secret, true, `${where} secret`);
        assert.equal(p.hiddenInXml === true, rp.hiddenInXml === true, `${where} hiddenInXml`);
        if (rp.commandLineArg !== undefined)
          assert.equal(p.commandLineArg, rp.commandLineArg, `${where} commandLineArg`);
        if (rp.range) assert.equal(`${p.minimum}-${p.maximum}`, rp.range, `${where} range`);
        if (rp.allowedLength) assert.equal(`${p.minLength}-${p.maxLength}`, rp.allowedLength, `${where} length`);
        if (rp.requiredIf) assert.ok(p.requiredIf, `${where} requiredIf`);
        for (const raw of rp.enum ?? []) {
          const xml = raw.split(' ')[0].toLowerCase();
          assert.ok(
            p.enum?.some((e) => e.xml.toLowerCase() === xml),
            `${where} enum lacks ${raw}`,
          );
        }
      }
    }
  });

  test('every content reference is a reference property of the right kind, listed in the step references', () => {
    const kinds: Record<string, string> = {
      package: 'package',
      packageList: 'package',
      application: 'application',
      osImage: 'osImage',
      osUpgradePackage: 'osUpgradePackage',
      driverPackage: 'driverPackage',
      childTaskSequence: 'childSequence',
    };
    for (const ref of refSteps) {
      const step = stepByXmlType(ref.xmlType)!;
      // Software updates are deployed to collections, not referenced by ID: no catalog list holds them.
      for (const cr of ref.contentReferences.filter((c) => c.kind !== 'softwareUpdates')) {
        const p = propertyByXmlProperty(step, cr.property)?.property;
        assert.ok(p, `${ref.displayName}: content reference ${cr.property} has no property`);
        assert.ok(p.type === 'reference' || p.type === 'referenceList', `${ref.displayName}.${p.name} is ${p.type}`);
        assert.equal(p.reference, kinds[cr.kind], `${ref.displayName}.${p.name} kind`);
        assert.ok(
          step.references.some((r) => r.property === p.name && r.kind === p.reference && r.required === cr.required),
          `${ref.displayName}: ${p.name} missing from references`,
        );
      }
    }
  });

  test('every reference variable name is in the variable catalog, read-only as the reference says, with its steps', () => {
    assert.equal(refVariables.length, 274);
    const distinct = new Set(refVariables.map((v) => v.name.toLowerCase()));
    assert.equal(allVariables().length, distinct.size);
    for (const rv of refVariables) {
      const v = findVariable(rv.name);
      assert.ok(v, `${rv.name} is missing`);
      assert.equal(v.readOnly, rv.readOnly, `${rv.name} readOnly`);
      for (const stepName of rv.steps) {
        const key = keyOfDisplayName(stepName);
        assert.ok(key && v.usages.some((u) => u.step === key), `${rv.name}: usage by ${stepName} missing`);
      }
      if (rv.direction === 'output')
        assert.ok(
          v.usages.some((u) => u.direction === 'output'),
          `${rv.name}: output usage lost`,
        );
    }
  });

  test('summaries are our own words, not the reference text', () => {
    const refTexts = new Set<string>();
    for (const s of refSteps) {
      refTexts.add(s.summary);
      for (const p of s.properties) if (p.summary) refTexts.add(p.summary);
    }
    for (const v of refVariables) refTexts.add(v.summary);
    const longRefTexts = [...refTexts].filter((t) => t.length > 30);
    const ours = [
      ...allSteps().flatMap((s) => [s.summary, ...everyProperty(s).map((p) => p.summary)]),
      ...allVariables().map((v) => v.summary),
    ];
    const copied = ours.filter((text) => refTexts.has(text));
    assert.deepEqual(copied, [], 'copied from the reference');
    const containing = ours.filter((text) => longRefTexts.some((t) => text.includes(t)));
    assert.deepEqual(containing, [], 'containing a reference sentence');
  });

  test('summaries are not light edits of the reference summary of the same step, property or variable', () => {
    // Similarity 1 means identical; a reworded sentence stays well below 0.8.
    const similarity = (a: string, b: string) =>
      1 - editDistance(a.toLowerCase(), b.toLowerCase()) / Math.max(a.length, b.length);
    const pairs: [string, string, string][] = [];
    for (const ref of refSteps) {
      const step = stepByXmlType(ref.xmlType)!;
      pairs.push([step.key, ref.summary, step.summary]);
      for (const rp of ref.properties) {
        const p = rp.summary && propertyByXmlProperty(step, rp.property);
        if (p && !p.item) pairs.push([`${step.key}.${p.property.name}`, rp.summary!, p.property.summary]);
      }
    }
    for (const rv of refVariables) pairs.push([rv.name, rv.summary, findVariable(rv.name)!.summary]);
    const tooClose = pairs
      .filter(([, theirs, ours]) => similarity(theirs, ours) >= 0.8)
      .map(([where, , ours]) => `${where}: ${ours}`);
    assert.deepEqual(tooClose, []);
  });
});

describe('the catalog data is well-formed', () => {
  const steps = allSteps();

  test('action keys are unique PascalCase; MDT namesakes of ConfigMgr steps carry the Mdt suffix', () => {
    const keys = steps.map((s) => s.key);
    assert.equal(new Set(keys).size, keys.length);
    for (const key of keys) assert.match(key, pascalCase);
    for (const key of [
      'ApplyOperatingSystemImage',
      'FormatAndPartitionDisk',
      'PreProvisionBitLocker',
      'SetupWindowsAndConfigMgr',
      'RunTaskSequence',
      'SetTaskSequenceVariable',
      'RestartComputer',
      'InstallPackage',
      'InstallApplication',
      'RunCommandLine',
      'Gather',
      'UseToolkitPackage',
      'Validate',
      'InstallApplicationMdt',
      'RunPowerShellScriptMdt',
    ]) {
      assert.ok(stepByKey(key), `${key} is missing`);
    }
    assert.equal(stepByKey('InstallApplicationMdt')!.source, 'mdt');
    assert.equal(stepByKey('InstallApplication')!.source, 'configmgr');
  });

  test('XML types are unique, so an importer finds exactly one step per type', () => {
    const types = steps.map((s) => s.xmlType.toLowerCase());
    assert.equal(new Set(types).size, types.length);
  });

  test('property names are unique camelCase within a step and within each list entry, and every property names its WMI property', () => {
    for (const step of steps) {
      const lists: StepProperty[][] = [step.properties, ...step.properties.filter((p) => p.items).map((p) => p.items!)];
      for (const list of lists) {
        const names = list.map((p) => p.name);
        assert.equal(new Set(names).size, names.length, `${step.key}: duplicate property names ${names.join(', ')}`);
        for (const p of list) {
          assert.match(p.name, camelCase, `${step.key}.${p.name}`);
          assert.ok(p.xmlProperty, `${step.key}.${p.name} has no xmlProperty`);
          assert.ok(p.summary.trim().length > 0, `${step.key}.${p.name} has no summary`);
        }
      }
    }
  });

  test('XML variable names are unique within a step, so reading a variable back is unambiguous', () => {
    for (const step of steps) {
      const names = everyProperty(step)
        .flatMap((p) => [p.xmlVariable, ...(p.mdtXmlVariables ?? [])])
        .filter((n): n is string => !!n)
        .map((n) => n.toLowerCase());
      assert.equal(new Set(names).size, names.length, `${step.key}: ${names.join(', ')}`);
    }
  });

  test('list entries of written lists use {n} for the index in their XML names', () => {
    for (const step of steps) {
      for (const list of step.properties.filter((p) => p.type === 'objectList')) {
        assert.ok(list.items && list.items.length > 0, `${step.key}.${list.name} has no items`);
        for (const item of list.items) {
          if (list.xmlVariable) {
            assert.match(item.xmlVariable ?? '', /\{n\}/, `${step.key}.${list.name}.${item.name} variable`);
            assert.match(item.xmlProperty, /\{n\}/, `${step.key}.${list.name}.${item.name} property`);
          }
        }
      }
    }
    const partitions = findProperty(stepByKey('FormatAndPartitionDisk')!, 'partitions')!;
    assert.deepEqual(
      partitions.items!.map((i) => i.name),
      [
        'type',
        'fileSystem',
        'size',
        'sizeUnits',
        'quickFormat',
        'bootable',
        'volumeName',
        'volumeLetterVariable',
        'assignVolumeLetter',
      ],
    );
    assert.equal(partitions.items![0].xmlVariable, 'OSDPartitions{n}Type');
    assert.deepEqual(partitions.items![0].mdtXmlVariables, ['OSDDiskPartitions{n}Type']);
  });

  test('enums have unique camelCase DSL values, each with the XML spelling', () => {
    for (const step of steps) {
      for (const p of everyProperty(step).filter((p) => p.type === 'enum')) {
        assert.ok(p.enum && p.enum.length > 0, `${step.key}.${p.name} has no values`);
        assert.equal(new Set(p.enum.map((e) => e.value)).size, p.enum.length);
        for (const e of p.enum) {
          assert.match(e.value, camelCase, `${step.key}.${p.name}: ${e.value}`);
          assert.ok(e.xml.length > 0, `${step.key}.${p.name}.${e.value} has no XML spelling`);
        }
      }
    }
    const style = findProperty(stepByKey('FormatAndPartitionDisk')!, 'partitionStyle')!;
    assert.deepEqual(
      style.enum!.map((e) => [e.value, e.xml]),
      [
        ['gpt', 'GPT'],
        ['mbr', 'MBR'],
      ],
    );
    const target = findProperty(stepByKey('RestartComputer')!, 'target')!;
    assert.deepEqual(
      target.enum!.map((e) => [e.value, e.xml]),
      [
        ['winpe', 'WinPE'],
        ['hd', 'HD'],
      ],
    );
    const join = findProperty(stepByKey('JoinDomainOrWorkgroup')!, 'joinType')!;
    assert.deepEqual(
      join.enum!.map((e) => [e.value, e.xml]),
      [
        ['domain', '0'],
        ['workgroup', '1'],
      ],
    );
  });

  test('a property is either required, required under a condition on a sibling, or optional', () => {
    for (const step of steps) {
      for (const p of step.properties) {
        if (!p.requiredIf) continue;
        assert.notEqual(p.required, true, `${step.key}.${p.name} is both required and conditionally required`);
        assert.notEqual(p.requiredIf.property, p.name, `${step.key}.${p.name} depends on itself`);
        assert.ok(
          findProperty(step, p.requiredIf.property),
          `${step.key}.${p.name} depends on unknown ${p.requiredIf.property}`,
        );
      }
    }
  });

  test('references, counts and defaults agree with the properties they describe', () => {
    for (const step of steps) {
      for (const r of step.references) {
        const p = findProperty(step, r.property);
        assert.ok(p, `${step.key}: reference ${r.property} is not a property`);
        assert.ok(p.type === 'reference' || p.type === 'referenceList');
        assert.equal(p.reference, r.kind);
      }
      for (const p of everyProperty(step)) {
        const where = `${step.key}.${p.name}`;
        if (p.type === 'reference' || p.type === 'referenceList') {
          assert.ok(p.reference, `${where} has no reference kind`);
          if (step.properties.includes(p))
            assert.ok(
              step.references.some((r) => r.property === p.name),
              `${where} missing from references`,
            );
        } else {
          assert.equal(p.reference, undefined, `${where} is a ${p.type} with a reference kind`);
        }
        if (p.type === 'stringList' || p.type === 'referenceList')
          assert.ok(p.listSeparator !== undefined, `${where} has no separator`);
        if (p.countOf) {
          const counted = findProperty(step, p.countOf);
          assert.ok(
            counted && (counted.type === 'objectList' || counted.type === 'referenceList'),
            `${where} counts ${p.countOf}`,
          );
          assert.equal(p.type, 'integer');
        }
        if (p.default === undefined) continue;
        switch (p.type) {
          case 'boolean':
            assert.equal(typeof p.default, 'boolean', where);
            break;
          case 'integer':
            assert.equal(typeof p.default, 'number', where);
            break;
          case 'enum':
            assert.ok(
              p.enum!.some((e) => e.value === p.default),
              `${where} default ${JSON.stringify(p.default)}`,
            );
            break;
          case 'stringList':
            assert.ok(Array.isArray(p.default), where);
            break;
          default:
            assert.equal(typeof p.default, 'string', where);
        }
      }
    }
  });

  test('command steps succeed on 0 and 3010, other steps on 0; install steps restart on 3010 and retry twice', () => {
    // "Retry this step if computer unexpectedly restarts ... The step enables this setting by default
    // with two retries" — Install Application, Install Package (2403 and later), Install Software Updates
    // (https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#BKMK_InstallPackage).
    for (const step of steps) {
      const commandType = step.key === 'RunCommandLine' || step.key === 'RunPowerShellScript';
      assert.deepEqual(step.successCodes, commandType ? [0, 3010] : [0], step.key);
      const install = ['InstallApplication', 'InstallPackage', 'InstallSoftwareUpdates'].includes(step.key);
      assert.deepEqual(step.restartCodes, install ? [3010] : undefined, step.key);
      assert.equal(step.retryCount, install ? 2 : 0, step.key);
      const option = step.properties.find((p) => p.name === 'retryCount');
      assert.deepEqual(
        option && [option.default, option.minimum, option.maximum],
        install ? [2, 1, 5] : undefined,
        step.key,
      );
    }
  });

  test('each step has a summary and ConfigMgr steps with a documentation page link to it', () => {
    for (const step of steps) {
      assert.ok(step.summary.trim().length > 20, step.key);
      if (step.docUrl)
        assert.match(
          step.docUrl,
          /^https:\/\/learn\.microsoft\.com\/mem\/configmgr\/osd\/understand\/task-sequence-steps#\S+$/,
        );
      if (step.docEnvironment) assert.notEqual(step.docEnvironment, step.runIn, step.key);
    }
    assert.equal(
      stepByKey('RunTaskSequence')!.docUrl,
      'https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#child-task-sequence',
    );
  });

  test('variables have one definition per name, read-only exactly when the name starts with _, usages of real steps', () => {
    const names = allVariables().map((v) => v.name.toLowerCase());
    assert.equal(new Set(names).size, names.length);
    for (const v of allVariables()) {
      assert.equal(v.readOnly, v.name.startsWith('_'), v.name);
      assert.ok(v.summary.trim().length > 0, v.name);
      if (v.type === 'enum') assert.ok(v.values && v.values.length > 0, `${v.name} enum without values`);
      for (const u of v.usages) assert.ok(stepByKey(u.step), `${v.name}: unknown step ${u.step}`);
    }
  });
});

describe('looking up steps and properties', () => {
  test('finds an action by its exact key, or ignoring case', () => {
    assert.equal(findStep('RunCommandLine')?.displayName, 'Run Command Line');
    assert.equal(findStep('runcommandline')?.key, 'RunCommandLine');
    assert.equal(stepByKey('runcommandline'), undefined);
    assert.equal(findStep('NoSuchAction'), undefined);
  });

  test('finds a step by the XML type ConfigMgr or MDT writes', () => {
    assert.equal(stepByXmlType('SMS_TaskSequence_PartitionDiskAction')?.key, 'FormatAndPartitionDisk');
    assert.equal(stepByXmlType('BDD_InstallApplication')?.key, 'InstallApplicationMdt');
    assert.equal(stepByXmlType('SMS_TaskSequence_SubTasksequence')?.xmlElement, 'subtasksequence');
  });

  test('suggests the intended action for a misspelt one', () => {
    assert.equal(suggestStepKeys('ApplyOperatingSytemImage')[0], 'ApplyOperatingSystemImage');
    assert.equal(suggestStepKeys('RestartComptuer')[0], 'RestartComputer');
    assert.deepEqual(suggestStepKeys('Xyzzy'), []);
  });

  test('suggests the intended property for a misspelt one', () => {
    const format = stepByKey('FormatAndPartitionDisk')!;
    assert.equal(suggestPropertyNames(format, 'partitionStlye')[0], 'partitionStyle');
    assert.equal(findProperty(format, 'partitionStlye'), undefined);
  });

  test('reads indexed XML names back to the list entry and its index', () => {
    const format = stepByKey('FormatAndPartitionDisk')!;
    const size = propertyByXmlVariable(format, 'OSDPartitions2Size');
    assert.equal(size?.property.name, 'partitions');
    assert.equal(size?.item?.name, 'size');
    assert.equal(size?.index, 2);
    const mdtType = propertyForXmlVariableElement(format, {
      name: 'OSDDiskPartitions1Type',
      property: 'OSDDiskPartitions1Type',
    });
    assert.equal(mdtType?.item?.name, 'type');
    assert.equal(mdtType?.index, 1);
    assert.equal(mdtType?.mdtSpelling, true);
    const byWmi = propertyByXmlProperty(format, 'Partitions3VolumeLetterVariable');
    assert.equal(byWmi?.item?.name, 'volumeLetterVariable');
    assert.equal(byWmi?.index, 3);
  });

  test('reads MDT spellings of a setting back to the ConfigMgr property', () => {
    const run = stepByKey('RunCommandLine')!;
    const user = propertyForXmlVariableElement(run, {
      name: 'SMSTSRunCommandLineUserName',
      property: 'SMSTSRunCommandLineUserName',
    });
    assert.equal(user?.property.name, 'userName');
    const restart = stepByKey('RestartComputer')!;
    assert.equal(propertyByXmlVariable(restart, 'Target')?.property.name, 'target');
    assert.equal(propertyByXmlVariable(restart, 'Target')?.mdtSpelling, true);
    assert.equal(propertyByXmlVariable(restart, 'SMSRebootTarget')?.mdtSpelling, false);
    assert.equal(propertyByXmlVariable(restart, 'NotAVariable'), undefined);
  });

  test('content references use the short DSL names', () => {
    const names = (key: string) => stepByKey(key)!.references.map((r) => `${r.property}:${r.kind}`);
    assert.deepEqual(names('ApplyOperatingSystemImage'), [
      'image:osImage',
      'upgradePackage:osUpgradePackage',
      'configPackage:package',
    ]);
    assert.deepEqual(names('RunTaskSequence'), ['sequence:childSequence']);
    assert.deepEqual(names('InstallApplication'), ['applications:application']);
    assert.deepEqual(names('DownloadPackageContent'), ['packages:package']);
    assert.equal(findProperty(stepByKey('InstallApplication')!, 'applications')?.type, 'referenceList');
  });
});

describe('looking up variables', () => {
  test('finds a variable whatever its capitalization', () => {
    assert.equal(findVariable('_smstsinwinpe')?.name, '_SMSTSInWinPE');
    assert.equal(findVariable('OSDCOMPUTERNAME')?.name, 'OSDComputerName');
    assert.equal(findVariable('MyOwnVariable'), undefined);
  });

  test('treats every name starting with _ as read-only, built-in or not', () => {
    assert.equal(isReadOnlyVariable('_SMSTSInWinPE'), true);
    assert.equal(isReadOnlyVariable('_MyVariable'), true);
    assert.equal(isReadOnlyVariable('OSDComputerName'), false);
    assert.equal(isReadOnlyVariable('My_Variable'), false);
  });

  test('resolves array entries to their base and the list entry property', () => {
    const type = resolveArrayVariable('OSDPartitions0Type');
    assert.equal(type?.base.name, 'OSDPartitions');
    assert.equal(type?.index, 0);
    assert.equal(type?.item?.name, 'type');
    const ip = resolveArrayVariable('osdadapter1ipaddresslist');
    assert.equal(ip?.base.name, 'OSDAdapter');
    assert.equal(ip?.index, 1);
    assert.equal(ip?.item?.name, 'ipAddressList');
    assert.equal(resolveArrayVariable('OSDPackage3Size')?.item?.name, 'size');
    assert.equal(resolveArrayVariable('OSDAdapterCount'), undefined);
    assert.equal(resolveArrayVariable('OSDPartitions'), undefined);
  });

  test('knows built-in names, array entries included, and not custom ones', () => {
    assert.equal(isBuiltInVariable('OSDAdapterCount'), true);
    assert.equal(isBuiltInVariable('osdpartitions12volumename'), true);
    assert.equal(isBuiltInVariable('ContosoRing'), false);
  });

  test('suggests the intended built-in variable for a misspelt one', () => {
    assert.equal(suggestVariableNames('OSDComptuerName')[0], 'OSDComputerName');
  });

  test('merges a name the reference lists twice into one definition with both usages', () => {
    const name = findVariable('OSDComputerName')!;
    assert.equal(name.type, 'string');
    assert.deepEqual(name.usages, [
      { step: 'ApplyWindowsSettings', direction: 'input' },
      { step: 'CaptureWindowsSettings', direction: 'output' },
    ]);
    assert.ok(variablesOfStep('CaptureWindowsSettings').includes(name));
  });
});

describe('reference kinds', () => {
  test('each kind names the catalog list the document model reads it from', () => {
    for (const { key, kind } of CATALOG_LISTS) {
      assert.equal(referenceKindInfo(kind).catalogList, key);
      assert.equal(referenceKindOfCatalogList(key), kind);
    }
    assert.equal(allReferenceKinds().length, CATALOG_LISTS.length);
  });

  test('package types follow the export format', () => {
    assert.equal(referenceKindInfo('osImage').packageType, 257);
    assert.equal(referenceKindInfo('bootImage').wmiClass, 'SMS_BootImagePackage');
    assert.equal(referenceKindInfo('application').packageType, undefined);
    assert.equal(referenceKindOfPackageType(259), 'osUpgradePackage');
    assert.equal(referenceKindOfPackageType(4), 'childSequence');
    assert.equal(referenceKindOfPackageType(12345), undefined);
  });

  test('every kind a step references has facts', () => {
    for (const step of allSteps()) for (const r of step.references) assert.ok(referenceKindInfo(r.kind).label);
  });
});

describe('docs/steps.md', () => {
  test('matches the catalog (run npm run docs:steps after changing the data)', () => {
    const file = path.join(repositoryRoot(__dirname), 'docs', 'steps.md');
    assert.ok(
      fs.readFileSync(file, 'utf8') === renderStepsMarkdown(),
      'docs/steps.md is out of date: run npm run docs:steps',
    );
  });

  test('documents every action and every property name', () => {
    const page = renderStepsMarkdown();
    for (const step of allSteps()) {
      assert.ok(page.includes(`### ${step.key}\n`), step.key);
      for (const p of everyProperty(step)) assert.ok(page.includes(`| \`${p.name}\` |`), `${step.key}.${p.name}`);
    }
  });
});
