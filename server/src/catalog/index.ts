// The public face of tsq's built-in catalog: the ConfigMgr and MDT steps with their properties,
// the task sequence variables, and the kinds of site content steps reference. Import from here.

export type {
  EnumValue,
  PropertyType,
  ReferenceKind,
  RunEnvironment,
  StepDefinition,
  StepProperty,
  StepReference,
  VariableDefinition,
  VariableType,
  VariableUsage,
} from './types';
export {
  allSteps,
  exampleValue,
  findItemProperty,
  findProperty,
  findStep,
  mustBeWritten,
  propertyByXmlProperty,
  propertyByXmlVariable,
  propertyForXmlVariableElement,
  stepByKey,
  stepByXmlType,
  stepKeys,
  suggestItemPropertyNames,
  suggestPropertyNames,
  suggestStepKeys,
} from './steps';
export type { XmlPropertyMatch } from './steps';
export {
  allVariables,
  findVariable,
  isBuiltInVariable,
  isReadOnlyVariable,
  MAX_VARIABLE_VALUE,
  resolveArrayVariable,
  suggestVariableNames,
  variableNames,
  variablesOfStep,
  VARIABLE_NAME,
} from './variables';
export type { ArrayVariableMatch } from './variables';
export {
  allReferenceKinds,
  referenceKindInfo,
  referenceKindOfCatalogList,
  referenceKindOfPackageType,
} from './references';
export type { CatalogListKey, ReferenceKindInfo } from './references';
