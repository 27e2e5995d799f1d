// JSON Schemas of `deployment:` and `media:` files, and of the parts of a catalog that deployments
// read (collections with their maintenance windows, the `site:` block). Every key carries a
// description written for admins: the editor's completion and hover show them. Enum values carry
// `enumDescriptions` (the form VS Code's JSON support and our completion read).

import { LOCAL_DATE_TIME_PATTERN, WEEKDAYS } from '../schedule/local-time';
import { WINDOW_DURATION_PATTERN } from '../model/maintenance-window';

type Schema = Record<string, unknown>;

const DRAFT = 'http://json-schema.org/draft-07/schema#';
const BASE = 'https://tsq.dev/schemas/';

const scalarText: Schema = { type: ['string', 'number', 'boolean'] };
const archEnum = ['x86', 'x64', 'arm64'];

/** An enum whose values each have a description, in the order given. */
function described(values: Record<string, string>, description: string, extra: Schema = {}): Schema {
  return { enum: Object.keys(values), enumDescriptions: Object.values(values), description, ...extra };
}

function dateTime(description: string): Schema {
  return {
    type: 'string',
    pattern: LOCAL_DATE_TIME_PATTERN,
    'x-expected': 'a date and time such as `2025-03-15 22:00` (or a date, `2025-03-15`)',
    description,
  };
}

/** A count of members, or true/false when only whether there are any is known. */
function someOrCount(description: string): Schema {
  return {
    anyOf: [{ type: 'integer', minimum: 0 }, { type: 'boolean' }],
    'x-expected': 'a number of members, or true / false',
    description,
  };
}

/** A media password: where it comes from, never the password itself. */
export const MEDIA_PASSWORD_SCHEMA: Schema = {
  'x-expected':
    'a reference to the password, not the password itself: `{ env: NAME }` (read from an environment variable when the media is made) or `{ prompt: true }` (asked for then)',
  'x-secret': true,
  oneOf: [
    {
      type: 'object',
      properties: {
        env: {
          type: 'string',
          pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
          description: 'Name of the environment variable that holds the password when the media is made.',
        },
      },
      required: ['env'],
      additionalProperties: false,
    },
    {
      type: 'object',
      properties: { prompt: { const: true, description: 'Ask for the password when the media is made.' } },
      required: ['prompt'],
      additionalProperties: false,
    },
  ],
  description:
    'Password a person must type on the computer before the media runs a task sequence. Never write the password here: give `{ env: NAME }` or `{ prompt: true }`.',
};

export function maintenanceWindowSchema(): Schema {
  return {
    type: 'object',
    title: 'a maintenance window',
    required: ['start', 'duration'],
    properties: {
      name: { type: 'string', description: 'Name of the window, as the console shows it.' },
      start: dateTime(
        'When the window first opens, in the clients’ local time. Recurring windows open at this time of day.',
      ),
      duration: {
        anyOf: [
          { type: 'integer', minimum: 1, maximum: 1440 },
          { type: 'string', pattern: WINDOW_DURATION_PATTERN },
        ],
        'x-expected': 'minutes as a number, or a duration such as `4h`, `3h30m` or `90m` (at most 24 hours)',
        description:
          'How long the window stays open (at most 24 hours). A task sequence that has started keeps running after the window closes.',
      },
      recurrence: described(
        {
          none: 'Only once, at `start`.',
          daily: 'Every `every` days.',
          weekly: 'Every `every` weeks on `weekday`.',
          monthlyByDay: 'Every `every` months on day `monthDay`.',
          monthlyByWeekday: 'Every `every` months on the `week` `weekday` (e.g. the second Tuesday).',
        },
        'How the window repeats (default `none`).',
        { default: 'none' },
      ),
      every: {
        type: 'integer',
        minimum: 1,
        maximum: 31,
        default: 1,
        description: 'Repeat every N days, weeks or months (default 1).',
      },
      weekday: {
        enum: [...WEEKDAYS],
        description: 'For `weekly` and `monthlyByWeekday`: the day of the week (default: the weekday of `start`).',
      },
      week: described(
        {
          first: 'The first such weekday of the month.',
          second: 'The second.',
          third: 'The third.',
          fourth: 'The fourth.',
          last: 'The last such weekday of the month.',
        },
        'For `monthlyByWeekday`: which of the month’s weekdays (default `first`).',
      ),
      monthDay: {
        anyOf: [{ type: 'integer', minimum: 1, maximum: 31 }, { const: 'last' }],
        'x-expected': 'a day of the month from 1 to 31, or `last`',
        description:
          'For `monthlyByDay`: the day of the month, or `last`. Months without that day use their last day (default: the day of `start`).',
      },
      appliesTo: described(
        {
          all: 'Every kind of deployment. Task sequences use it when the device has no task-sequence windows.',
          taskSequences:
            'Task sequences only. When a device has such windows, its all-deployments windows no longer apply to task sequences.',
          softwareUpdates: 'Software updates only; never holds a task sequence back.',
        },
        'What the window applies to (default `all`).',
        { default: 'all' },
      ),
      enabled: { type: 'boolean', default: true, description: 'false: the window is defined but switched off.' },
    },
    additionalProperties: false,
    allOf: [
      {
        if: { required: ['week'] },
        then: { properties: { recurrence: { const: 'monthlyByWeekday' } }, required: ['recurrence'] },
      },
      {
        if: { required: ['monthDay'] },
        then: { properties: { recurrence: { const: 'monthlyByDay' } }, required: ['recurrence'] },
      },
    ],
  };
}

export function collectionSchema(): Schema {
  return {
    type: 'object',
    title: 'a collection',
    required: ['id'],
    properties: {
      id: {
        ...scalarText,
        description:
          'Collection ID (e.g. `CM100015`; built-in collections have IDs starting with SMS, such as `SMS000US` for All Unknown Computers).',
      },
      name: { type: 'string', description: 'Name shown in the console.' },
      type: described(
        {
          device: 'A device collection: task sequences can be deployed to it.',
          user: 'A user collection: task sequences cannot be deployed to it.',
        },
        'Device or user collection.',
      ),
      members: {
        type: 'integer',
        minimum: 0,
        description: 'Number of members; compared with the site’s high-risk size limits.',
      },
      servers: someOrCount(
        'How many members run a server OS (or true / false). A high-risk deployment to servers asks for confirmation.',
      ),
      siteSystems: someOrCount(
        'How many members hold a site system role (or true / false). The site can block high-risk deployments to such collections.',
      ),
      builtIn: {
        type: 'boolean',
        description:
          'A collection that comes with ConfigMgr (All Systems, All Unknown Computers, ...). Default: true when the ID starts with SMS.',
      },
      windowsEmbedded: {
        type: 'boolean',
        description:
          'Members are Windows Embedded devices with a write filter: deployments should commit their changes, and the collection needs a maintenance window.',
      },
      untrustedDomain: {
        type: 'boolean',
        description:
          'Members are in a domain or forest the site servers do not trust: they reach content only with the network access account.',
      },
      variables: {
        type: 'object',
        additionalProperties: scalarText,
        description: 'Collection variables every member starts with.',
      },
      maintenanceWindows: {
        type: 'array',
        items: maintenanceWindowSchema(),
        description:
          'When deployments may run on the members. Without windows that apply to task sequences, a required task sequence starts at its deadline.',
      },
    },
    additionalProperties: false,
  };
}

export function siteSchema(): Schema {
  return {
    type: 'object',
    title: 'the site settings',
    description:
      'Settings of the site that deployments depend on: high-risk deployment verification, Enhanced HTTP and the network access account. Unstated settings are not assumed.',
    properties: {
      highRisk: {
        type: 'object',
        title: 'the high-risk deployment settings',
        description:
          'Deployment verification for high-risk deployments (required deployments of sequences that install an OS).',
        properties: {
          defaultSize: {
            type: 'integer',
            minimum: 0,
            default: 100,
            description:
              'Collections with more members are hidden by default when creating a high-risk deployment (0: no limit; ConfigMgr’s default is 100).',
          },
          maximumSize: {
            type: 'integer',
            minimum: 0,
            default: 0,
            description:
              'Collections with more members cannot be chosen for a high-risk deployment at all (0: no limit, the default).',
          },
          siteSystems: described(
            {
              block: 'High-risk deployments to collections with site system servers are refused.',
              warn: 'They need a confirmation (the default).',
            },
            'What happens when a high-risk deployment targets a collection holding site system servers.',
            { default: 'warn' },
          ),
        },
        additionalProperties: false,
      },
      enhancedHttp: {
        type: 'boolean',
        description:
          'Enhanced HTTP is on: task sequences from boot media, PXE and Software Center reach distribution points without the network access account.',
      },
      networkAccessAccount: {
        type: 'boolean',
        description: 'A network access account is configured. false: tsq reports every case that needs one.',
      },
    },
    additionalProperties: false,
  };
}

export function deploymentSchema(): Schema {
  return {
    $schema: DRAFT,
    $id: `${BASE}deployment.schema.json`,
    title: 'a deployment file',
    description:
      'A deployment of a task sequence to a device collection, with the settings of ConfigMgr’s Deploy Software wizard.',
    type: 'object',
    required: ['deployment', 'sequence', 'collection'],
    properties: {
      deployment: {
        type: 'string',
        minLength: 1,
        description:
          'Name of this deployment (for people; ConfigMgr names deployments after the sequence and collection).',
      },
      description: { type: 'string', description: 'What the deployment is for.' },
      id: {
        type: 'string',
        pattern: '^[A-Za-z0-9]{8}$',
        'x-expected': 'a ConfigMgr deployment ID such as `CM120001`',
        description:
          'ConfigMgr deployment ID, once it exists. Media and PXE can start it without a prompt through SMSTSPreferredAdvertID.',
      },
      sequence: {
        type: 'string',
        minLength: 1,
        description: 'Path of the deployed sequence’s *.tsq.yaml file, relative to this file.',
      },
      collection: {
        ...scalarText,
        description: 'ID of the device collection that receives the deployment (from a catalog).',
      },
      purpose: described(
        {
          available: 'Users start it from Software Center (or media and PXE), and can run it again.',
          required:
            'It runs by itself at the deadline. A required deployment of a sequence that installs an OS is high-risk.',
        },
        'Available or required (default `available`).',
        { default: 'available' },
      ),
      makeAvailableTo: described(
        {
          clients: 'Only ConfigMgr clients (Software Center or the schedule).',
          clientsMediaAndPxe: 'ConfigMgr clients, boot media and PXE.',
          mediaAndPxe: 'Only boot media and PXE.',
          mediaAndPxeHidden: 'Only boot media and PXE, and hidden from the list (started by SMSTSPreferredAdvertID).',
        },
        'Who can start the sequence (default `clients`). Media and PXE start it in Windows PE.',
        { default: 'clients' },
      ),
      availableAt: dateTime('When the deployment becomes available (clients’ local time; default: at once).'),
      deadline: {
        anyOf: [{ type: 'string', pattern: LOCAL_DATE_TIME_PATTERN }, { const: 'asap' }],
        'x-expected': 'a date and time such as `2025-03-15 22:00`, or `asap`',
        description:
          'Required deployments: when the sequence runs by itself (`asap`: as soon as the computer gets the policy). It still waits for a maintenance window unless `outsideMaintenanceWindow.install` is true.',
      },
      expiresAt: dateTime('When the deployment stops being offered (clients’ local time).'),
      rerun: described(
        {
          always: 'Run again every time the schedule says so.',
          never: 'Never run again on a computer where it already ran.',
          ifFailed: 'Run again only where the last run failed (the default).',
          ifSucceeded: 'Run again only where the last run succeeded.',
        },
        'What happens on a computer where the sequence already ran (default `ifFailed`).',
        { default: 'ifFailed' },
      ),
      content: described(
        {
          downloadWhenNeeded: 'Each step downloads its content when it runs (the default).',
          downloadAll: 'Download everything to the cache before the first step; not possible for boot media and PXE.',
          runFromDistributionPoint:
            'Use content straight from the distribution point share: every package needs a package share, and the network access account is needed.',
        },
        'Where the running sequence gets its content (default `downloadWhenNeeded`).',
        { default: 'downloadWhenNeeded' },
      ),
      showProgress: {
        type: 'boolean',
        default: true,
        description: 'Show the task sequence progress window on the computer.',
      },
      outsideMaintenanceWindow: {
        type: 'object',
        title: 'the maintenance window overrides',
        description: 'What may happen outside the collection’s maintenance windows once the deadline has passed.',
        properties: {
          install: {
            type: 'boolean',
            default: false,
            description: 'Start the sequence at the deadline even when no maintenance window is open.',
          },
          restart: {
            type: 'boolean',
            default: false,
            description: 'Restart the computer outside maintenance windows when a step needs it.',
          },
        },
        additionalProperties: false,
      },
      writeFilter: {
        type: 'object',
        title: 'the Windows Embedded settings',
        description: 'Windows Embedded devices with a write filter.',
        properties: {
          commitChanges: {
            type: 'boolean',
            default: true,
            description:
              'Turn the write filter off at the deadline or in a maintenance window, commit the changes and restart (default true). false: changes go to the overlay and are lost at the next restart.',
          },
        },
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  };
}

export function mediaSchema(): Schema {
  const needs = (type: string, key: string): Schema => ({
    if: { properties: { type: { const: type } }, required: ['type'] },
    then: { required: [key] },
  });
  return {
    $schema: DRAFT,
    $id: `${BASE}media.schema.json`,
    title: 'a media file',
    description:
      'Task sequence media as the Create Task Sequence Media wizard makes it: capture, stand-alone, bootable or prestaged.',
    type: 'object',
    required: ['media', 'type'],
    properties: {
      media: { type: 'string', minLength: 1, description: 'Name of this media.' },
      description: { type: 'string', description: 'What the media is for.' },
      type: described(
        {
          standalone: 'Stand-alone: the sequence and all its content, to run without any network connection.',
          bootable:
            'Bootable: Windows PE and the site connection; the computer then gets its deployments over the network.',
          prestaged: 'Prestaged: a WIM with the boot image and OS image, staged on disks by the hardware vendor.',
          capture: 'Capture: captures an OS image from a computer built outside ConfigMgr.',
        },
        'The kind of media.',
      ),
      sequence: {
        type: 'string',
        minLength: 1,
        description: 'Path of the *.tsq.yaml sequence the media carries (stand-alone and prestaged media).',
      },
      bootImage: {
        ...scalarText,
        description: 'Package ID of the boot image. Stand-alone media use the sequence’s boot image.',
      },
      architecture: {
        enum: archEnum,
        description:
          'Processor architecture of the media. ConfigMgr does not check it when the media starts: a computer of another architecture starts it and then fails.',
      },
      device: described(
        { usb: 'A removable USB drive.', iso: 'A CD/DVD set, written as ISO files.' },
        'What the media is written to (default `usb`).',
        { default: 'usb' },
      ),
      fileSystem: described(
        {
          fat32: 'FAT32, as the wizard formats USB drives: no file may exceed 4 GB.',
          ntfs: 'NTFS, on a drive formatted beforehand.',
        },
        'File system of a USB drive (default `fat32`).',
        { default: 'fat32' },
      ),
      password: MEDIA_PASSWORD_SCHEMA,
      validFrom: dateTime('Stand-alone media: the first day the media may run.'),
      validUntil: dateTime('Stand-alone media: the last moment the media may run.'),
      includeContent: {
        type: 'boolean',
        default: true,
        description:
          'Stand-alone media: copy all content the sequence uses onto the media (default true). Without it the steps that need content fail.',
      },
      machine: {
        anyOf: [
          { type: 'string', minLength: 1 },
          { type: 'array', items: { type: 'string', minLength: 1 } },
        ],
        'x-expected': 'the path of a machine profile, or a list of paths',
        description:
          'Machine profiles (`machine:` files) of the computers the media is for; their architecture and firmware are checked against the media.',
      },
      variables: {
        type: 'object',
        additionalProperties: scalarText,
        description: 'Task sequence variables the media sets when it starts (e.g. SMSTSPreferredAdvertID).',
      },
    },
    additionalProperties: false,
    allOf: [
      needs('standalone', 'sequence'),
      needs('prestaged', 'sequence'),
      needs('bootable', 'bootImage'),
      needs('capture', 'bootImage'),
    ],
  };
}
