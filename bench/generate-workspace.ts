// A generated repository at workspace scale (issue 18, item 4), seeded so that every run writes
// the same files: ten site catalogs (packages with programs, applications, OS images, driver and
// boot images, collections), sequences of 50–300 steps in groups that install packages and
// applications, apply images and drivers per model and run child sequences (Run Task Sequence,
// by path or package ID, from one tier to the next, so the child graph is three deep without
// loops), and a few deployments and machines. Sequences come in three tiers, as admins layer them: deployments of
// Windows (with a boot image) run component sequences, which run small shared ones. One package ("the hot entry") is referenced by exactly
// `hotReferrers` sequences, for the catalog-edit measurement: removing it must re-check those.

import { random } from '../test/helpers/seeded-random';

export interface GeneratedWorkspace {
  /** Relative path (forward slashes) → file text. */
  files: Record<string, string>;
  sequences: string[];
  catalogs: string[];
  hot: {
    /** The catalog that lists the hot entry. */
    catalog: string;
    id: string;
    /** The entry's lines in the catalog's text, as written: removing them removes the entry. */
    entryText: string;
    /** The sequences that reference it. */
    referrers: string[];
  };
}

export interface WorkspaceShape {
  sequences: number;
  catalogs: number;
  minSteps: number;
  maxSteps: number;
  hotReferrers: number;
  seed: number;
}

export const WORKSPACE_SHAPE: WorkspaceShape = {
  sequences: 500,
  catalogs: 10,
  minSteps: 50,
  maxSteps: 300,
  hotReferrers: 40,
  seed: 18,
};

const MODELS = ['Latitude 7440', 'EliteBook 840 G10', 'ThinkPad T14', 'OptiPlex 7010', 'Surface Laptop 5'];
const PACKAGES_PER_CATALOG = 40;
const APPLICATIONS_PER_CATALOG = 20;
const IMAGES_PER_CATALOG = 3;
const DRIVERS_PER_CATALOG = MODELS.length;

interface Site {
  code: string;
  file: string;
  packages: string[];
  applications: string[];
  images: string[];
  drivers: string[];
  boot: string;
  collections: string[];
}

const hex5 = (n: number) => n.toString(16).toUpperCase().padStart(5, '0');
const guid = (r: () => number) =>
  [8, 4, 4, 4, 12]
    .map((len) =>
      Array.from({ length: len }, () =>
        Math.floor(r() * 16)
          .toString(16)
          .toLowerCase(),
      ).join(''),
    )
    .join('-');

function catalogText(site: Site, index: number, r: () => number, hotEntry?: string): { text: string; hot?: string } {
  const scope = `ScopeId_${guid(r)}`;
  const out = [
    `# Site ${site.code}: what its sequences may reference.`,
    `catalog: Site ${site.code}`,
    `siteCode: ${site.code}`,
    '',
    'packages:',
  ];
  let hot: string | undefined;
  site.packages.forEach((id, i) => {
    const lines = [
      `  - id: ${id}`,
      `    name: Package ${index}-${i}`,
      `    version: "${1 + (i % 9)}.${i % 4}"`,
      '    programs: [Install, Configure]',
      '    distributed: true',
    ];
    if (id === hotEntry) hot = `${lines.join('\n')}\n`;
    out.push(...lines);
  });
  out.push('', 'applications:');
  for (let i = 0; i < APPLICATIONS_PER_CATALOG; i++) {
    const id = `${scope}/Application_${guid(r)}`;
    site.applications.push(id);
    out.push(`  - id: ${id}`, `    name: Application ${index}-${i}`, `    version: "${10 + i}.0"`);
  }
  out.push('', 'osImages:');
  site.images.forEach((id, i) =>
    out.push(
      `  - id: ${id}`,
      `    name: Windows 11 Enterprise build ${index}-${i}`,
      '    architecture: x64',
      '    indexes:',
      '      - { index: 1, name: Windows 11 Education }',
      '      - { index: 3, name: Windows 11 Enterprise }',
    ),
  );
  out.push('', 'driverPackages:');
  site.drivers.forEach((id, i) =>
    out.push(`  - id: ${id}`, `    name: ${MODELS[i]} drivers`, `    version: A0${i}`, '    architecture: x64'),
  );
  out.push('', 'bootImages:', `  - { id: ${site.boot}, name: Boot image (x64), architecture: x64 }`, '');
  out.push('collections:');
  site.collections.forEach((id, i) =>
    out.push(`  - id: ${id}`, `    name: Ring ${i} of ${site.code}`, '    type: device', `    members: ${20 + i * 30}`),
  );
  return { text: `${out.join('\n')}\n`, hot };
}

/** The repository, the same for the same shape. */
export function generateWorkspace(shape: WorkspaceShape = WORKSPACE_SHAPE): GeneratedWorkspace {
  const r = random(shape.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)];
  const sites: Site[] = [];
  for (let c = 0; c < shape.catalogs; c++) {
    const code = `S${c.toString().padStart(2, '0')}`;
    let n = 1;
    const ids = (count: number) => Array.from({ length: count }, () => `${code}${hex5(n++)}`);
    sites.push({
      code,
      file: `catalogs/site-${code.toLowerCase()}.tsq.yaml`,
      packages: ids(PACKAGES_PER_CATALOG),
      applications: [],
      images: ids(IMAGES_PER_CATALOG),
      drivers: ids(DRIVERS_PER_CATALOG),
      boot: ids(1)[0],
      collections: ids(4),
    });
  }
  const hotSite = sites[0];
  const hotId = hotSite.packages[7];
  // Packages any sequence may pick: all but the hot one, which only the chosen referrers name.
  const common = (site: Site) => site.packages.filter((id) => id !== hotId);
  const files: Record<string, string> = {};
  let hotEntryText = '';
  sites.forEach((site, i) => {
    const { text, hot } = catalogText(site, i, r, i === 0 ? hotId : undefined);
    files[site.file] = text;
    if (hot) hotEntryText = hot;
  });

  const areas = ['deploy', 'apps', 'drivers', 'servicing', 'lab'];
  const paths = Array.from(
    { length: shape.sequences },
    (_, i) => `sequences/${areas[i % areas.length]}/sequence-${i.toString().padStart(3, '0')}.tsq.yaml`,
  );
  // Spread the hot entry over sequences chosen once, evenly, so that exactly that many reference it.
  const hotReferrers = new Set<number>();
  for (let k = 0; k < shape.hotReferrers; k++)
    hotReferrers.add(Math.floor((k * shape.sequences) / shape.hotReferrers) + 1);

  paths.forEach((path, i) => {
    const site = sites[i % sites.length];
    const other = sites[(i * 7 + 3) % sites.length];
    const steps = shape.minSteps + Math.floor(r() * (shape.maxSteps - shape.minSteps + 1));
    const deploysOs = tier(i) === 0;
    const out = [
      `# Generated sequence ${i} of site ${site.code}.`,
      `sequence: Sequence ${i}`,
      `packageId: ${site.code}${hex5(0x80000 + i)}`,
      `description: ${deploysOs ? 'Deploys Windows and' : 'Installs'} what ring ${i % 4} of ${site.code} needs.`,
    ];
    if (deploysOs) out.push(`bootImage: ${site.boot}`);
    out.push('variables:', `  Ring: "${i % 4}"`, `  SiteCode: ${site.code}`, 'steps:');
    let written = 0;
    let group = 0;
    if (hotReferrers.has(i)) {
      out.push(
        '  - name: Hot package',
        '    action: InstallPackage',
        `    with: { package: ${hotId}, program: Install }`,
      );
      written++;
    }
    // A few sequences still name a package the site has retired, as real repositories do.
    if (i % 50 === 7) {
      out.push(
        '  - name: Retired package',
        '    action: InstallPackage',
        `    with: { package: ${site.code}FFFFF, program: Install }`,
      );
      written++;
    }
    if (deploysOs) {
      out.push(
        '  - group: Install Windows',
        '    when: _SMSTSInWinPE == "true"',
        '    steps:',
        '      - name: Apply Windows',
        '        action: ApplyOperatingSystemImage',
        `        with: { image: ${pick(site.images)}, index: 3 }`,
        '      - group: Drivers',
        '        continueOnError: true',
        '        steps:',
      );
      site.drivers.forEach((id, d) =>
        out.push(
          `          - name: ${MODELS[d]} drivers`,
          '            action: ApplyDriverPackage',
          `            when: wmi("SELECT * FROM Win32_ComputerSystem WHERE Model LIKE '%${MODELS[d]}%'")`,
          `            with: { driverPackage: ${id} }`,
        ),
      );
      out.push(
        '      - name: Setup Windows and ConfigMgr',
        '        action: SetupWindowsAndConfigMgr',
        `        with: { clientPackage: ${site.packages[0]} }`,
      );
      written += 2 + site.drivers.length;
    }
    while (written < steps) {
      out.push(
        `  - group: Stage ${group}`,
        `    when: Ring == "${group % 4}" or exists(OSDComputerName)`,
        `    continueOnError: ${group % 3 === 0}`,
        '    steps:',
      );
      for (let k = 0; k < 10 && written < steps; k++, written++) {
        const roll = r();
        const from = roll < 0.8 ? site : other;
        const name = `Step ${group}.${k}`;
        if (roll < 0.3)
          out.push(
            `      - name: ${name} install`,
            '        action: InstallPackage',
            `        with: { package: ${pick(common(from))}, program: ${r() < 0.5 ? 'Install' : 'Configure'} }`,
          );
        else if (roll < 0.5)
          out.push(
            `      - name: ${name} applications`,
            '        action: InstallApplication',
            '        with:',
            '          applications:',
            `            - ${pick(from.applications)}`,
            `            - ${pick(from.applications)}`,
          );
        else if (roll < 0.7)
          out.push(
            `      - name: ${name} script`,
            `        run: cmd.exe /c setup.cmd %OSDComputerName% %SiteCode% ${written}`,
            `        package: ${pick(common(from))}`,
            '        timeout: 15m',
          );
        else if (roll < 0.85)
          out.push(
            `      - name: ${name} record`,
            '        action: SetTaskSequenceVariable',
            `        with: { variable: Stage${group}Done, value: "%Ring%-${k}" }`,
          );
        else if (roll < 0.93 || tier(i) === 2 || i >= paths.length - 30)
          out.push(
            `      - name: ${name} restart`,
            '        action: RestartComputer',
            '        with: { target: hd, messageTimeout: 30 }',
          );
        else {
          // Children are near later sequences of the next tier, by path or by package ID.
          let child = i + 1 + Math.floor(r() * 20);
          while (tier(child) !== tier(i) + 1) child++;
          const childSite = sites[child % sites.length];
          const ref = r() < 0.7 ? relative(path, paths[child]) : `${childSite.code}${hex5(0x80000 + child)}`;
          out.push(
            `      - name: ${name} child`,
            '        action: RunTaskSequence',
            `        with: { sequence: ${ref} }`,
          );
        }
      }
      group++;
    }
    files[path] = `${out.join('\n')}\n`;
  });

  for (let d = 0; d < 8; d++) {
    const seq = d * 5 * 10; // OS deployments only
    const site = sites[seq % sites.length];
    files[`deployments/deployment-${d}.tsq.yaml`] = [
      `deployment: Wave ${d}`,
      `sequence: ../${paths[seq]}`,
      `collection: ${site.collections[d % site.collections.length]}`,
      'purpose: available',
      'makeAvailableTo: clientsMediaAndPxe',
      `availableAt: 2026-0${1 + (d % 9)}-05 08:00`,
      'content: downloadWhenNeeded',
      '',
    ].join('\n');
  }
  for (let m = 0; m < 4; m++)
    files[`machines/machine-${m}.tsq.yaml`] = [
      `machine: Test machine ${m} (${MODELS[m]})`,
      'architecture: x64',
      'firmware: uefi',
      `startsIn: ${m % 2 === 0 ? 'winpe' : 'fullos'}`,
      'variables:',
      `  OSDComputerName: LAB-PC0${m}`,
      'facts:',
      '  wmi:',
      `    "SELECT * FROM Win32_ComputerSystem WHERE Model LIKE '%${MODELS[m]}%'": true`,
      '',
    ].join('\n');

  return {
    files,
    sequences: paths,
    catalogs: sites.map((s) => s.file),
    hot: {
      catalog: hotSite.file,
      id: hotId,
      entryText: hotEntryText,
      referrers: [...hotReferrers].map((i) => paths[i]),
    },
  };
}

/** Deployments of Windows (every fifth), components, shared pieces: each runs only the next tier. */
function tier(i: number): 0 | 1 | 2 {
  return i % 5 === 0 ? 0 : i % 5 <= 2 ? 1 : 2;
}

/** `to` relative to the folder of `from` (both relative to the repository, forward slashes). */
function relative(from: string, to: string): string {
  const a = from.split('/').slice(0, -1);
  const b = to.split('/');
  let common = 0;
  while (common < a.length && a[common] === b[common]) common++;
  const up = a.length - common;
  return `${up === 0 ? './' : '../'.repeat(up)}${b.slice(common).join('/')}`;
}
