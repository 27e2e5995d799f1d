// Set Dynamic Variables' `rules` between the XML text ConfigMgr stores in the step's
// `OSDSetDynamicVariablesRules` variable and the DSL: import turns the text into the YAML list when
// writing the list back gives the same text (secret values aside, which are never copied); any
// other text stays as it is, a string the DSL also accepts. Export writes the list as the text.

import { convertRulesXml, readRulesYaml, withoutSecretValues, writeRulesXml } from '../../semantics/dynamic-rules';

/** The DSL value of the rules text: the YAML list when the conversion is exact, else the text. */
export function rulesFromXml(text: string): { value: unknown; secretsDropped: number } {
  const converted = convertRulesXml(text);
  if (converted) return { value: converted.rules, secretsDropped: converted.secretsDropped };
  const kept = withoutSecretValues(text);
  return { value: kept.text, secretsDropped: kept.dropped };
}

/** The rules text for a DSL value (a list, or the XML text itself); undefined for anything else. */
export function rulesToXml(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return undefined;
  return writeRulesXml(readRulesYaml(value).rules);
}

/** Two rules texts mean the same when they differ at most in secret values (exports never carry them). */
export function sameRulesXml(a: string, b: string): boolean {
  return a === b || withoutSecretValues(a).text === withoutSecretValues(b).text;
}
