// Processor architectures as the file kinds write them (`x64`, `amd64`, `64-bit`, `aarch64`, …),
// read into the three that ConfigMgr's boot images, OS images and computers come in. Shared by the
// catalog, machine and media models and by everything that compares them.

export type Architecture = 'x86' | 'x64' | 'arm64';

export function normaliseArchitecture(s: string): Architecture | undefined {
  const v = s.trim().toLowerCase();
  if (v === 'x64' || v === 'amd64' || v === 'x86_64' || v === '64-bit') return 'x64';
  if (v === 'x86' || v === 'i386' || v === '32-bit') return 'x86';
  if (v === 'arm64' || v === 'aarch64') return 'arm64';
  return undefined;
}
