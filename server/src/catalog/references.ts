// What each kind of content reference means on the ConfigMgr side and in a tsq catalog file: the
// list key under `catalog:`, a label for messages, the WMI class, and the ReferencePackageType
// number exports write into ReferencesInfo.xml: the PackageType values of
// https://learn.microsoft.com/mem/configmgr/develop/reference/core/servers/configure/sms_packagebaseclass-server-wmi-class
// as exported packages write them (docs/interop.md).

import type { ReferenceKind } from './types';

export interface ReferenceKindInfo {
  kind: ReferenceKind;
  /** Key of the list in a `catalog:` file that holds objects of this kind. */
  catalogList: CatalogListKey;
  /** Singular, lower-case name for messages ("broken OS image reference"). */
  label: string;
  /** WMI class of the object on the site. */
  wmiClass: string;
  /**
   * ReferencePackageType in an export's ReferencesInfo.xml. Absent for applications: exports list
   * them by model name in AppReferencesInfo.xml instead.
   */
  packageType?: number;
}

export type CatalogListKey =
  'packages' | 'applications' | 'osImages' | 'upgradePackages' | 'driverPackages' | 'bootImages' | 'taskSequences';

const KINDS: readonly ReferenceKindInfo[] = [
  { kind: 'package', catalogList: 'packages', label: 'package', wmiClass: 'SMS_Package', packageType: 0 },
  { kind: 'application', catalogList: 'applications', label: 'application', wmiClass: 'SMS_Application' },
  { kind: 'osImage', catalogList: 'osImages', label: 'OS image', wmiClass: 'SMS_ImagePackage', packageType: 257 },
  {
    kind: 'osUpgradePackage',
    catalogList: 'upgradePackages',
    label: 'OS upgrade package',
    wmiClass: 'SMS_OperatingSystemInstallPackage',
    packageType: 259,
  },
  {
    kind: 'driverPackage',
    catalogList: 'driverPackages',
    label: 'driver package',
    wmiClass: 'SMS_DriverPackage',
    packageType: 3,
  },
  {
    kind: 'bootImage',
    catalogList: 'bootImages',
    label: 'boot image',
    wmiClass: 'SMS_BootImagePackage',
    packageType: 258,
  },
  {
    kind: 'childSequence',
    catalogList: 'taskSequences',
    label: 'task sequence',
    wmiClass: 'SMS_TaskSequencePackage',
    packageType: 4,
  },
];

const byKind = new Map<ReferenceKind, ReferenceKindInfo>(KINDS.map((k) => [k.kind, k]));

/** Every reference kind with its facts. */
export function allReferenceKinds(): readonly ReferenceKindInfo[] {
  return KINDS;
}

/** Facts about one reference kind. */
export function referenceKindInfo(kind: ReferenceKind): ReferenceKindInfo {
  const info = byKind.get(kind);
  // The table covers the whole ReferenceKind union; reaching this means the two drifted apart.
  if (!info) throw new Error(`tsq catalog: no facts for reference kind ${kind}`);
  return info;
}

/** The reference kind whose objects a catalog list holds (`osImages` -> `osImage`). */
export function referenceKindOfCatalogList(list: string): ReferenceKind | undefined {
  return KINDS.find((k) => k.catalogList === list)?.kind;
}

/** The reference kind of an export's ReferencePackageType number (257 -> `osImage`). */
export function referenceKindOfPackageType(packageType: number): ReferenceKind | undefined {
  return KINDS.find((k) => k.packageType === packageType)?.kind;
}
