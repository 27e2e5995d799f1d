// The `when:` condition language: parse, print, map to and from ConfigMgr's condition XML model,
// evaluate against a simulated machine, and the vocabulary for the editor. Other parts of tsq
// import from here.

export * from './ast';
export * from './cmcondition';
export { parseCondition, type ConditionError, type ParseResult } from './parse';
export { printCondition } from './print';
export { tokenize, type Token, type TokenKind } from './lexer';
export { toConfigMgr, fromConfigMgr, type FromConfigMgrResult } from './configmgr';
export {
  evaluateCondition,
  type ConditionEnvironment,
  type Evaluation,
  type FileFacts,
  type RegistryValueFacts,
} from './evaluate';
export { createConditionEnvironment, type ConditionFacts } from './environment';
export { variableReferences, walkCondition } from './variables';
export { matchesLike, matchesWildcards, orderValues } from './compare';
export { argumentAt, argumentHelp, OPTION_VALUES, type ArgumentHelp, type ArgumentSpot } from './arguments';
export {
  buildCondition,
  platformName,
  PLATFORM_ARCHITECTURES,
  PLATFORM_WINDOWS,
  type BuiltCondition,
  type CheckChoice,
  type ConditionChoice,
} from './builder';
export {
  conditionFunctions,
  functionNames,
  findFunction,
  comparisonOperators,
  variableOperators,
  keywords,
  registryTypes,
  type ConditionFunction,
  type FunctionOption,
  type OperatorWord,
  type Keyword,
} from './vocabulary';
