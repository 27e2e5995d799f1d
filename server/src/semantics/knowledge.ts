// The built-in knowledge analysis consults: step definitions, variables and the schema
// validator built from them. One place, so rules do not each reach into the catalog's data.

import type { StepDefinition, StepProperty, VariableDefinition } from '../catalog/types';
import { SchemaValidator } from '../schema/validate';
import { precompiledValidators } from '../schema/precompiled';
import { allSteps, findStep, findVariable, variableNames } from '../catalog';

export function stepDef(action: string): StepDefinition | undefined {
  return findStep(action);
}

export function allStepDefs(): readonly StepDefinition[] {
  return allSteps();
}

export function propertyDef(step: StepDefinition, name: string): StepProperty | undefined {
  return step.properties.find((p) => p.name === name);
}

export function variableDef(name: string): VariableDefinition | undefined {
  return findVariable(name);
}

export function builtInVariableNames(): readonly string[] {
  return variableNames();
}

let validator: SchemaValidator | undefined;
export function schemaValidator(): SchemaValidator {
  return (validator ??= new SchemaValidator(allStepDefs(), precompiledValidators));
}
