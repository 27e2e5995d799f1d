// A plain model of ConfigMgr's condition XML, free of any XML library: the `<condition>` element,
// its `<expression>`, `<operator>` and `<osConditionGroup>` children, and the `<variable>` pairs
// inside an expression. The interop layer reads and writes XML; this module only fixes the shape,
// so the mapping to and from the `when:` language (configmgr.ts) can be tested without XML.

/** One `<variable name="...">value</variable>` inside an `<expression>`, in document order. */
export interface CmVariable {
  name: string;
  value: string;
}

/** `<expression type="SMS_TaskSequence_...ConditionExpression">` with its variables. */
export interface CmExpression {
  kind: 'expression';
  type: string;
  variables: CmVariable[];
}

/** `<operator type="and|or|not">`: all of, any of, none of its children. */
export interface CmOperator {
  kind: 'operator';
  type: 'and' | 'or' | 'not';
  children: CmCondition[];
}

/** `<osExpressionGroup name="...">`: one supported platform and the WMI tests that identify it. */
export interface CmOsExpressionGroup {
  name: string;
  expressions: CmExpression[];
}

/** `<osConditionGroup type="or">`: true when the running OS is any of the listed platforms. */
export interface CmOsConditionGroup {
  kind: 'osConditionGroup';
  type: 'or';
  groups: CmOsExpressionGroup[];
}

export type CmCondition = CmExpression | CmOperator | CmOsConditionGroup;

/** The `<condition>` element itself; its children must all be true (an implicit AND). */
export interface CmConditionElement {
  kind: 'condition';
  children: CmCondition[];
}

/** ConfigMgr class names of the expression types tsq understands. */
export const CM_TYPES = {
  variable: 'SMS_TaskSequence_VariableConditionExpression',
  wmi: 'SMS_TaskSequence_WMIConditionExpression',
  file: 'SMS_TaskSequence_FileConditionExpression',
  folder: 'SMS_TaskSequence_FolderConditionExpression',
  registry: 'SMS_TaskSequence_RegistryConditionExpression',
  software: 'SMS_TaskSequence_SoftwareConditionExpression',
} as const;

/** The namespace ConfigMgr's editor uses for WMI conditions when none is chosen. */
export const DEFAULT_WMI_NAMESPACE = 'root\\cimv2';
