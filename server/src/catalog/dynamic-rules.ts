// The vocabulary of Set Dynamic Variables rules, as the console's Add Rule dialog has it: the four
// kinds of rule (computer, location, make and model, task sequence variable), the values each
// compares, the operators of a variable rule, and the words the schema, the editor and the docs
// show for them. Facts from Microsoft's step reference
// (https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#BKMK_SetDynamicVariables)
// and New-CMTSRule (https://learn.microsoft.com/powershell/module/configurationmanager/new-cmtsrule).

/** Operators of a task sequence variable rule, as the DSL and the XML write them (New-CMTSRule's list). */
export const RULE_OPERATORS = [
  'equals',
  'notEquals',
  'greater',
  'greaterEqual',
  'less',
  'lessEqual',
  'exists',
  'notExists',
  'like',
  'notLike',
] as const;
export type RuleOperator = (typeof RULE_OPERATORS)[number];

export const RULE_OPERATOR_SUMMARIES: Readonly<Record<RuleOperator, string>> = {
  equals: 'the variable has this value (case is ignored)',
  notEquals: 'the variable does not have this value',
  greater: 'the variable is greater (as numbers when both are numbers, else as text)',
  greaterEqual: 'the variable is greater or equal',
  less: 'the variable is less',
  lessEqual: 'the variable is less or equal',
  exists: 'the variable is set (the value is not used)',
  notExists: 'the variable is not set (the value is not used)',
  like: 'the variable matches the pattern: % any run of characters, _ one character',
  notLike: 'the variable does not match the pattern',
};

/** The fields of a computer rule, in the order the documentation names them. */
export const COMPUTER_FIELDS = ['assetTag', 'uuid', 'serialNumber', 'macAddress'] as const;
export type ComputerField = (typeof COMPUTER_FIELDS)[number];

/** The four kinds of rule, by their key in a rule entry. */
export const RULE_KINDS = ['computer', 'location', 'makeAndModel', 'taskSequenceVariable'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** ConfigMgr's expression class of each kind (the computer one is seen in a real export; the others are inferred from it). */
export const RULE_EXPRESSION_TYPES: Readonly<Record<RuleKind, string>> = {
  computer: 'SMS_TaskSequence_ComputerConditionExpression',
  location: 'SMS_TaskSequence_LocationConditionExpression',
  makeAndModel: 'SMS_TaskSequence_MakeModelConditionExpression',
  taskSequenceVariable: 'SMS_TaskSequence_VariableConditionExpression',
};

/** What each key of a rule entry means, in our words (schema descriptions, hover, completion). */
export const RULE_KEY_SUMMARIES = {
  computer:
    'A computer rule: true when any of the values it gives matches this computer (asset tag, UUID, serial number or MAC address).',
  location: 'A location rule: true when the computer’s default gateway is this one.',
  makeAndModel: 'A make and model rule: true when both match; `*` stands for any run of characters, `?` for one.',
  taskSequenceVariable:
    'A task sequence variable rule: true when the variable meets the condition, as in a step condition.',
  variables:
    'The variables the rule sets when it is true (name: value), in order; a value kept out of logs and the editor is written `{ env: NAME }`. An entry with only `variables:` always sets them.',
  assetTag: 'The hardware asset tag to compare.',
  uuid: 'The computer’s UUID (SMBIOS) to compare.',
  serialNumber: 'The serial number to compare.',
  macAddress: 'A MAC address of the computer to compare.',
  defaultGateway: 'The default gateway (an IP address) to compare.',
  make: 'The manufacturer, with `*` and `?` wildcards (`Dell*`).',
  model: 'The model, with `*` and `?` wildcards (`Latitude 74??`); `*` matches any model.',
  name: 'The task sequence variable to test.',
  operator: 'How the variable is compared with `value`.',
  value: 'The value to compare with (not used by `exists` and `notExists`).',
} as const;
