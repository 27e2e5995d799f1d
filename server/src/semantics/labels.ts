// Words for things, shared by messages across rules and editor features.

import type { ReferenceKind } from '../catalog/types';

export const KIND_LABEL: Record<ReferenceKind, string> = {
  package: 'package',
  application: 'application',
  osImage: 'OS image',
  osUpgradePackage: 'OS upgrade package',
  driverPackage: 'driver package',
  bootImage: 'boot image',
  childSequence: 'task sequence',
};
