// Checks on names and values inside a condition that the parser and the ConfigMgr mapping must
// agree on: whatever the importer turns into a typed node must print as text that parses again,
// so both sides ask the same questions here.

import { registryTypes } from './vocabulary';

/** Task sequence variable names: letters, digits, `_` and `-` (ConfigMgr's rule). */
export function isVariableName(name: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(name);
}

/** Decimal language ID as written in an OS language condition. */
export function isLcid(text: string): boolean {
  return /^[0-9]{1,9}$/.test(text);
}

export function isRegistryType(type: string): boolean {
  return registryTypes.includes(type);
}

const HIVES: Record<string, string> = {
  HKLM: 'HKEY_LOCAL_MACHINE',
  HKCU: 'HKEY_CURRENT_USER',
  HKCR: 'HKEY_CLASSES_ROOT',
  HKU: 'HKEY_USERS',
  HKCC: 'HKEY_CURRENT_CONFIG',
};

/**
 * The key with a short hive name (HKLM\...) spelled out, as ConfigMgr's editor stores it; other
 * keys unchanged.
 */
export function expandHive(key: string): string {
  const m = /^(HKLM|HKCU|HKCR|HKU|HKCC)(?=\\|$)/i.exec(key);
  return m ? HIVES[m[1].toUpperCase()] + key.slice(m[1].length) : key;
}

/** What is wrong with a registry key path for a condition, or undefined when it is usable. */
export function registryKeyProblem(key: string): { message: string; hint: string } | undefined {
  const drive = /^(HK[A-Z_]+):\\?/i.exec(key);
  if (drive) {
    return {
      message: `Registry keys are written without a colon: \`${drive[1]}\\...\`, not \`${drive[0]}\``,
      hint: 'The `HKLM:` form is a PowerShell drive; ConfigMgr expects e.g. HKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso',
    };
  }
  return undefined;
}
