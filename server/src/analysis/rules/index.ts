// The list of every analysis rule, in the order they run; the only module of this folder that
// other parts may import. Adding a rule (a module here, its fixture in test/rules/, a broken
// example): docs/adding-a-rule.md.

import type { Rule } from '../rule';
import { yamlSyntax } from './yaml-syntax';
import { schema } from './schema';
import { nameLength } from './name-length';
import { unknownAction } from './unknown-action';
import { missingProperty } from './missing-property';
import { missingSecret } from './missing-secret';
import { invalidValue } from './invalid-value';
import { brokenReference } from './broken-reference';
import { uncheckedReferences } from './unchecked-references';
import { architectureMismatch } from './architecture-mismatch';
import { readOnlyVariable } from './read-only-variable';
import { undefinedVariable } from './undefined-variable';
import { conditionSyntax } from './condition-syntax';
import { childCycle } from './child-cycle';
import { duplicateId } from './duplicate-id';
import { runEnvironment } from './run-environment';
import { userCollection } from './user-collection';
import { deployBrokenSequence } from './deploy-broken-sequence';
import { highRiskDeployment } from './high-risk-deployment';
import { contentOption } from './content-option';
import { networkAccessAccount } from './network-access-account';
import { writeFilter } from './write-filter';
import { embeddedMaintenanceWindow } from './embedded-maintenance-window';
import { maintenanceWindow } from './maintenance-window';
import { standaloneMedia } from './standalone-media';
import { fat32FileSize } from './fat32-file-size';
import { childBootImage } from './child-boot-image';
import { setupWindowsInFullOs } from './setup-windows-in-full-os';
import { winpeWithoutBootImage } from './winpe-without-boot-image';
import { continueOnErrorIgnored } from './continue-on-error-ignored';
import { dynamicRules } from './dynamic-rules';
import { dynamicRulesXml } from './dynamic-rules-xml';
import { mdtDependency } from './mdt-dependency';

export const ALL_RULES: readonly Rule[] = [
  yamlSyntax,
  schema,
  nameLength,
  unknownAction,
  missingProperty,
  missingSecret,
  invalidValue,
  brokenReference,
  uncheckedReferences,
  architectureMismatch,
  readOnlyVariable,
  undefinedVariable,
  conditionSyntax,
  childCycle,
  childBootImage,
  duplicateId,
  runEnvironment,
  setupWindowsInFullOs,
  winpeWithoutBootImage,
  continueOnErrorIgnored,
  dynamicRules,
  dynamicRulesXml,
  userCollection,
  deployBrokenSequence,
  highRiskDeployment,
  contentOption,
  networkAccessAccount,
  writeFilter,
  embeddedMaintenanceWindow,
  maintenanceWindow,
  standaloneMedia,
  fat32FileSize,
  mdtDependency,
];

/** Codes that diagnostics can carry besides the rules' own (internal failures, suppressions). */
export const EXTRA_CODES = ['internal-error', 'suppression'] as const;

export const RULE_CODES: ReadonlySet<string> = new Set([...ALL_RULES.map((r) => r.code), ...EXTRA_CODES]);
