// Builds the JSON Schemas of the five tsq file kinds. The sequence schema is generated from the
// built-in step catalog (each action's `with:` options, their types, enums, ranges and
// conditional requirements); the others describe the DSL of design.md (deployments, media and the
// catalog's collections and site settings are in deployment-schemas.ts). `npm run gen:schemas`
// writes them to schemas/, where editors (and yaml-language-server) find them; a test keeps the
// written files equal to what this module generates.

import type { StepDefinition, StepProperty } from '../catalog/types';
import { mustBeWritten } from '../catalog/steps';
import { collectionSchema, deploymentSchema, mediaSchema, siteSchema } from './deployment-schemas';
import { LOCAL_DATE_TIME_PATTERN } from '../schedule/local-time';
import { COMPUTER_FIELDS, RULE_KEY_SUMMARIES, RULE_OPERATORS, RULE_OPERATOR_SUMMARIES } from '../catalog/dynamic-rules';

type Schema = Record<string, unknown>;

const DRAFT = 'http://json-schema.org/draft-07/schema#';
const BASE = 'https://tsq.dev/schemas/';

/** Matches a value that is exactly one task sequence variable reference, e.g. `%OSDDiskIndex%`. */
export const VARIABLE_VALUE_PATTERN = '^%[A-Za-z0-9_-]+%$';

const scalarText: Schema = { type: ['string', 'number', 'boolean'] };
const archEnum = ['x86', 'x64', 'arm64'];

/** The forms a secret (password, key) may take in a file: never the secret itself. */
export const SECRET_SCHEMA: Schema = {
  'x-secret': true,
  'x-expected':
    'a reference to the secret, not the secret itself: `{ env: NAME }` (an environment variable), `{ prompt: true }` (asked when exporting) or `{ missing: true }` (to be set in ConfigMgr after import)',
  oneOf: [
    {
      type: 'object',
      properties: { env: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } },
      required: ['env'],
      additionalProperties: false,
    },
    { type: 'object', properties: { prompt: { const: true } }, required: ['prompt'], additionalProperties: false },
    { type: 'object', properties: { missing: { const: true } }, required: ['missing'], additionalProperties: false },
  ],
};

function propertySchema(p: StepProperty): Schema {
  const s: Schema = { description: p.summary };
  if (p.secret) return { ...SECRET_SCHEMA, description: p.summary };
  switch (p.type) {
    case 'string':
    case 'reference': {
      Object.assign(s, scalarText);
      if (p.minLength !== undefined) s.minLength = p.minLength;
      if (p.maxLength !== undefined) s.maxLength = p.maxLength;
      break;
    }
    case 'integer': {
      const int: Schema = { type: 'integer' };
      if (p.minimum !== undefined) int.minimum = p.minimum;
      if (p.maximum !== undefined) int.maximum = p.maximum;
      const range =
        p.minimum !== undefined && p.maximum !== undefined
          ? ` from ${p.minimum} to ${p.maximum}`
          : p.minimum !== undefined
            ? ` of at least ${p.minimum}`
            : '';
      s['x-expected'] = `a whole number${range}, or a %Variable%`;
      s.anyOf = [int, { type: 'string', pattern: VARIABLE_VALUE_PATTERN }];
      break;
    }
    case 'boolean':
      s['x-expected'] = 'true or false, or a %Variable%';
      s.anyOf = [{ type: 'boolean' }, { type: 'string', pattern: VARIABLE_VALUE_PATTERN }];
      break;
    case 'enum': {
      const values = (p.enum ?? []).map((e) => e.value);
      s['x-expected'] = `one of ${values.map((v) => `\`${v}\``).join(', ')}, or a %Variable%`;
      s.anyOf = [{ enum: values }, { type: 'string', pattern: VARIABLE_VALUE_PATTERN }];
      break;
    }
    case 'referenceList':
    case 'stringList':
      s['x-expected'] = 'a list of values (or a single value)';
      s.anyOf = [{ type: 'array', items: scalarText }, scalarText];
      break;
    case 'objectList':
      s.type = 'array';
      s.items = objectSchema(p.items ?? [], `an entry of \`${p.name}\``);
      break;
    case 'dynamicRules':
      // A list of rules; the XML text ConfigMgr stores is accepted as it is (the linter offers to convert it).
      s.type = ['array', 'string'];
      s.items = dynamicRuleSchema();
      break;
  }
  return s;
}

/** One entry of Set Dynamic Variables' `rules:` (catalog/dynamic-rules.ts has the vocabulary). */
function dynamicRuleSchema(): Schema {
  const text = (key: keyof typeof RULE_KEY_SUMMARIES): Schema => ({
    ...scalarText,
    description: RULE_KEY_SUMMARIES[key],
  });
  const part = (title: string, keys: readonly (keyof typeof RULE_KEY_SUMMARIES)[], extra: Schema = {}): Schema => ({
    type: 'object',
    title,
    properties: Object.fromEntries(keys.map((k) => [k, text(k)])),
    additionalProperties: false,
    ...extra,
  });
  const variableValue: Schema = {
    'x-expected':
      'a value (text, a number or true/false), or `{ env: NAME }` for a value kept out of logs and the editor',
    anyOf: [scalarText, { type: 'null' }, ...(SECRET_SCHEMA.oneOf as Schema[])],
  };
  return {
    type: 'object',
    title: 'a rule of Set Dynamic Variables',
    properties: {
      computer: {
        ...part('a computer rule', COMPUTER_FIELDS, { minProperties: 1 }),
        description: RULE_KEY_SUMMARIES.computer,
      },
      location: {
        ...part('a location rule', ['defaultGateway'], { required: ['defaultGateway'] }),
        description: RULE_KEY_SUMMARIES.location,
      },
      makeAndModel: {
        ...part('a make and model rule', ['make', 'model'], { required: ['make', 'model'] }),
        description: RULE_KEY_SUMMARIES.makeAndModel,
      },
      taskSequenceVariable: {
        ...part('a task sequence variable rule', ['name', 'value'], { required: ['name', 'operator'] }),
        properties: {
          name: { type: 'string', minLength: 1, description: RULE_KEY_SUMMARIES.name },
          operator: {
            enum: [...RULE_OPERATORS],
            enumDescriptions: RULE_OPERATORS.map((o) => RULE_OPERATOR_SUMMARIES[o]),
            description: RULE_KEY_SUMMARIES.operator,
          },
          value: text('value'),
        },
        description: RULE_KEY_SUMMARIES.taskSequenceVariable,
      },
      variables: {
        type: 'object',
        title: 'the variables of a rule',
        additionalProperties: variableValue,
        description: RULE_KEY_SUMMARIES.variables,
      },
    },
    additionalProperties: false,
  };
}

function objectSchema(props: StepProperty[], title: string): Schema {
  const properties: Schema = {};
  const required: string[] = [];
  const conditions: Schema[] = [];
  for (const p of props) {
    properties[p.name] = propertySchema(p);
    if (p.required && mustBeWritten(p)) required.push(p.name);
    if (p.requiredIf && mustBeWritten(p)) {
      const when =
        p.requiredIf.is === 'set'
          ? { required: [p.requiredIf.property] }
          : { not: { required: [p.requiredIf.property] } };
      conditions.push({ if: when, then: { required: [p.name] } });
    }
  }
  const s: Schema = { type: 'object', title, properties, additionalProperties: false };
  if (required.length) s.required = required;
  if (conditions.length) s.allOf = conditions;
  return s;
}

/** Schema of a step's `with:` mapping for one action. */
export function withSchema(step: StepDefinition): Schema {
  return objectSchema(step.properties, `the options of ${step.displayName}`);
}

const nodeCommon: Schema = {
  id: {
    type: 'string',
    pattern: '^[A-Za-z0-9_.-]+$',
    'x-expected': 'an identifier (letters, digits, `_`, `-`, `.`)',
    description: 'Identifier of this node, unique in the file; machine profiles and the debugger address nodes by it.',
  },
  description: {
    type: 'string',
    maxLength: 256,
    description: 'Free text shown in the task sequence editor (at most 256 characters).',
  },
  when: {
    type: ['string', 'boolean'],
    description: 'Condition: the node runs only when it is true (see docs/conditions.md).',
  },
  continueOnError: {
    type: 'boolean',
    description: 'When true, a failure here does not fail the enclosing group: the run goes on with the next step.',
  },
  disabled: { type: 'boolean', description: 'When true, the node and everything inside it is skipped.' },
  xml: {
    type: 'object',
    description: 'ConfigMgr XML details tsq does not model, kept verbatim from an import so export loses nothing.',
  },
};

/**
 * The sequence schema. With `dispatch` (the default, for editors), each step's `with:` is tied to
 * its action through if/then; tsq's own validator turns it off and validates `with:` per action,
 * which is much faster on large files (one lookup per step instead of one test per action).
 */
export function sequenceSchema(steps: readonly StepDefinition[], options: { dispatch?: boolean } = {}): Schema {
  const dispatchWith = options.dispatch ?? true;
  const actionKeys = steps.map((s) => s.key);
  const withDefs: Schema = {};
  const dispatch: Schema[] = [];
  for (const st of steps) {
    const def = `with.${st.key}`;
    withDefs[def] = withSchema(st);
    const needsWith = st.properties.some((p) => p.required);
    const then: Schema = { properties: { with: { $ref: `#/definitions/${def}` } } };
    if (needsWith && st.key !== 'RunCommandLine') then.required = ['with'];
    dispatch.push({ if: { properties: { action: { const: st.key } }, required: ['action'] }, then });
  }
  return {
    $schema: DRAFT,
    $id: `${BASE}sequence.schema.json`,
    title: 'a sequence file',
    description: 'A ConfigMgr task sequence written as code (tsq).',
    type: 'object',
    required: ['sequence'],
    properties: {
      sequence: { type: 'string', minLength: 1, maxLength: 100, description: 'Name of the task sequence.' },
      description: { type: 'string', description: 'What the task sequence is for.' },
      packageId: {
        type: 'string',
        pattern: '^[A-Za-z0-9]{3}[A-Za-z0-9]{5}$',
        'x-expected': 'a ConfigMgr package ID such as `CM100123`',
        description:
          'ConfigMgr package ID of this task sequence, used on export and when other sequences refer to it by ID.',
      },
      bootImage: {
        ...scalarText,
        description:
          'Package ID of the boot image (Windows PE) the sequence uses; needed to restart into Windows PE and for media.',
      },
      variables: {
        type: 'object',
        title: 'the sequence variables',
        additionalProperties: scalarText,
        description: 'Task sequence variables the sequence starts with (name: value).',
      },
      steps: { $ref: '#/definitions/steps' },
      configMgr: {
        type: 'object',
        description: 'ConfigMgr package properties kept from an import (object.xml), exported back unchanged.',
      },
    },
    additionalProperties: false,
    definitions: {
      steps: { type: 'array', description: 'Steps and groups, run in order.', items: { $ref: '#/definitions/node' } },
      node: {
        if: { type: 'object', required: ['group'] },
        then: { $ref: '#/definitions/group' },
        else: { $ref: '#/definitions/step' },
      },
      group: {
        type: 'object',
        title: 'a group',
        required: ['group'],
        properties: {
          group: {
            type: 'string',
            minLength: 1,
            maxLength: 100,
            description:
              'Name of the group (need not be unique). ConfigMgr holds up to 100 characters; the console’s editor takes 50.',
          },
          ...nodeCommon,
          steps: { $ref: '#/definitions/steps' },
        },
        additionalProperties: false,
      },
      step: {
        type: 'object',
        title: 'a step',
        required: ['name'],
        properties: {
          name: {
            type: 'string',
            minLength: 1,
            maxLength: 100,
            description: 'Name of the step. ConfigMgr holds up to 100 characters; the console’s editor takes 50.',
          },
          action: { type: 'string', enum: actionKeys, description: 'The built-in action this step runs.' },
          run: {
            type: 'string',
            minLength: 1,
            description: 'Shorthand for a Run Command Line step: the command line to run.',
          },
          package: { ...scalarText, description: 'With `run:`: the package whose content the command runs from.' },
          with: { type: 'object', description: "The action's options." },
          ...nodeCommon,
          timeout: {
            anyOf: [
              { type: 'number', minimum: 0 },
              { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*(s|sec|m|min|h)\\s*$' },
            ],
            'x-expected': 'minutes as a number, or a duration such as `90s`, `15m` or `2h`',
            description: 'Longest time the step may run before it is stopped and counts as failed.',
          },
          successCodes: {
            type: 'array',
            items: { type: 'integer' },
            description: 'Exit codes that count as success (default depends on the action, usually [0] or [0, 3010]).',
          },
          retryCount: {
            type: 'integer',
            minimum: 0,
            maximum: 5,
            description:
              'How many times the step is retried after an unexpected restart (Install Application, Install Package, Install Software Updates); 0 turns the retries off.',
          },
          runFromNet: {
            type: 'boolean',
            description: 'Use the content straight from the distribution point instead of downloading it first.',
          },
        },
        additionalProperties: false,
        allOf: [
          {
            anyOf: [{ required: ['action'] }, { required: ['run'] }],
            'x-expected': 'an `action:` (a built-in step) or a `run:` command line',
          },
          {
            if: { required: ['package'] },
            then: { required: ['run'] },
            'x-expected': '`package:` only together with `run:` (for other actions it goes under `with:`)',
          },
          ...(dispatchWith ? dispatch : []),
        ],
      },
      ...withDefs,
    },
  };
}

const entry = (extra: Schema, title: string, required: string[] = ['id']): Schema => ({
  type: 'object',
  title,
  required,
  properties: {
    id: { ...scalarText, description: 'ConfigMgr ID of the object.' },
    name: { type: 'string', description: 'Name shown in the console.' },
    version: scalarText,
    description: { type: 'string' },
    distributed: {
      type: 'boolean',
      description: 'The content is on the distribution points the clients use (false: not distributed yet).',
    },
    sizeMB: { type: 'number', minimum: 0, description: 'Size of the content in MB (media size checks).' },
    ...extra,
  },
  additionalProperties: false,
});
const archs = { architectures: { type: 'array', items: { enum: archEnum } }, architecture: { enum: archEnum } };
const share = {
  share: {
    type: 'boolean',
    description:
      'The content is also in a package share on the distribution points (needed to run it from the distribution point).',
  },
};
const indexes = {
  indexes: {
    type: 'array',
    items: {
      anyOf: [
        { type: 'integer', minimum: 1 },
        {
          type: 'object',
          required: ['index'],
          properties: {
            index: { type: 'integer', minimum: 1 },
            name: { type: 'string' },
            architecture: { enum: archEnum },
          },
          additionalProperties: false,
        },
      ],
    },
    'x-expected': 'a list of image indexes (numbers, or `{ index, name, architecture }`)',
  },
};

export function catalogSchema(): Schema {
  return {
    $schema: DRAFT,
    $id: `${BASE}catalog.schema.json`,
    title: 'a catalog file',
    description: 'What a ConfigMgr site holds, for checking references.',
    type: 'object',
    required: ['catalog'],
    properties: {
      catalog: { type: 'string', minLength: 1, description: 'Name of this catalog (usually the site).' },
      siteCode: {
        type: 'string',
        pattern: '^[A-Za-z0-9]{3}$',
        'x-expected': 'a three-character site code',
        description: 'ConfigMgr site code.',
      },
      partial: {
        type: 'boolean',
        description:
          'True when this catalog lists only some of the site’s objects: references it does not know are warnings, not errors.',
      },
      site: siteSchema(),
      packages: {
        type: 'array',
        items: entry(
          {
            programs: {
              type: 'array',
              items: {
                anyOf: [
                  { type: 'string' },
                  {
                    type: 'object',
                    required: ['name'],
                    properties: { name: { type: 'string' } },
                    additionalProperties: true,
                  },
                ],
              },
            },
            ...share,
            ...archs,
          },
          'a package',
        ),
      },
      applications: { type: 'array', items: entry({ ...archs }, 'an application') },
      osImages: {
        type: 'array',
        items: entry(
          {
            ...share,
            ...archs,
            ...indexes,
            multicast: {
              type: 'boolean',
              description: 'The image may be sent to computers by multicast (which needs the network access account).',
            },
          },
          'an OS image',
        ),
      },
      upgradePackages: { type: 'array', items: entry({ ...share, ...archs, ...indexes }, 'an OS upgrade package') },
      driverPackages: { type: 'array', items: entry({ ...share, ...archs }, 'a driver package') },
      bootImages: { type: 'array', items: entry({ ...archs }, 'a boot image') },
      taskSequences: {
        type: 'array',
        items: entry(
          {
            file: {
              type: 'string',
              description: 'The *.tsq.yaml file holding this sequence, relative to the catalog.',
            },
          },
          'a task sequence',
        ),
      },
      collections: {
        type: 'array',
        items: collectionSchema(),
        description: 'Collections deployments can target, with their maintenance windows.',
      },
    },
    additionalProperties: false,
  };
}

export function machineSchema(): Schema {
  const varMap = { type: 'object', additionalProperties: scalarText };
  const stringList = { type: 'array', items: { type: 'string' } };
  const duration = {
    anyOf: [
      { type: 'number', minimum: 0 },
      { type: 'string', pattern: '^\\s*(\\d+(\\.\\d+)?\\s*[hms]\\s*)+$' },
    ],
    'x-expected': 'seconds as a number, or a duration such as `90s`, `12m` or `1h30m`',
  };
  const run: Schema = {
    exitCode: { type: 'integer', description: 'Exit code of the step (default 0).' },
    variables: { ...varMap, description: 'Variables the step sets while it runs, as a script would.' },
    duration: {
      ...duration,
      description: 'How long the step runs (default: a typical time for the kind of step, see docs/simulator.md).',
    },
    output: {
      type: 'string',
      description:
        'What the command writes; an output variable of Run Command Line or Run PowerShell Script receives it.',
    },
    unexpectedRestarts: {
      type: 'integer',
      minimum: 0,
      description:
        'How many times the computer restarts unexpectedly during the step (retried up to the step’s retry count).',
    },
  };
  const outcome: Schema = {
    type: 'object',
    title: 'a step outcome',
    properties: {
      ...run,
      runs: {
        type: 'array',
        items: { type: 'object', title: 'one run of the step', properties: run, additionalProperties: false },
        description: 'One entry per run of the step (for reruns); the last entry repeats.',
      },
    },
    additionalProperties: false,
  };
  return {
    $schema: DRAFT,
    $id: `${BASE}machine.schema.json`,
    title: 'a machine file',
    description: 'A simulated destination computer for `tsq simulate` and the debugger.',
    type: 'object',
    required: ['machine'],
    properties: {
      machine: { type: 'string', minLength: 1, description: 'Name of this machine profile.' },
      description: { type: 'string' },
      architecture: { enum: archEnum, description: 'Processor architecture (default x64).' },
      firmware: { enum: ['uefi', 'bios'], description: 'Firmware type (default uefi).' },
      startsIn: {
        enum: ['winpe', 'fullos'],
        description:
          'Where the sequence starts: Windows PE (PXE or boot media) or the installed OS (Software Center). Default winpe.',
      },
      disk: {
        enum: ['raw', 'formatted'],
        description:
          'State of the disk at start (default formatted when starting in the full OS, raw in Windows PE). A formatted disk holds an installed Windows.',
      },
      hardware: {
        type: 'object',
        title: 'the hardware identity',
        description: 'What Set Dynamic Variables reads and reports (_SMSTSMake, _SMSTSModel, ...).',
        properties: {
          make: { type: 'string', description: 'Manufacturer, e.g. `Dell Inc.`.' },
          model: { type: 'string', description: 'Model, e.g. `Latitude 7440`.' },
          serialNumber: scalarText,
          uuid: { type: 'string' },
          assetTag: scalarText,
          macAddress: { type: 'string' },
          ipAddress: { type: 'string' },
          defaultGateway: { type: 'string' },
        },
        additionalProperties: false,
      },
      downloadMBps: {
        type: 'number',
        exclusiveMinimum: 0,
        description: 'Download speed from the distribution point in MB per second (default 100).',
      },
      variables: {
        anyOf: [
          varMap,
          { type: 'object', properties: { collection: varMap, device: varMap }, additionalProperties: false },
        ],
        'x-expected': 'a mapping of variable names to values (or `collection:` and `device:` mappings)',
        description: 'Collection and device variables the machine starts with.',
      },
      facts: {
        type: 'object',
        title: 'the machine facts',
        description:
          'What conditions see on this machine (files, folders, registry, WMI, installed software, OS version).',
        properties: {
          files: {
            anyOf: [
              stringList,
              {
                type: 'object',
                additionalProperties: {
                  type: 'object',
                  properties: { version: { type: 'string' }, date: { type: 'string' } },
                  additionalProperties: false,
                },
              },
            ],
            'x-expected': 'a list of paths (or path: { version, date })',
            description: 'Files that exist.',
          },
          folders: {
            anyOf: [
              stringList,
              {
                type: 'object',
                additionalProperties: {
                  type: 'object',
                  properties: { date: { type: 'string' } },
                  additionalProperties: false,
                },
              },
            ],
            'x-expected': 'a list of paths (or path: { date })',
            description: 'Folders that exist (parents of listed files exist too).',
          },
          registry: {
            type: 'object',
            additionalProperties: {
              anyOf: [
                scalarText,
                {
                  type: 'object',
                  required: ['data'],
                  properties: { type: { type: 'string' }, data: scalarText },
                  additionalProperties: false,
                },
              ],
            },
            description: '`KEY\\ValueName` → data (or `{ type, data }`).',
          },
          wmi: {
            type: 'object',
            additionalProperties: { type: 'boolean' },
            description: 'WMI query → whether it returns instances.',
          },
          installed: {
            type: 'array',
            items: {
              anyOf: [
                { type: 'string' },
                {
                  type: 'object',
                  properties: { productCode: { type: 'string' }, upgradeCode: { type: 'string' } },
                  additionalProperties: false,
                },
              ],
            },
            description: 'Installed MSI products by product code (or `{ productCode, upgradeCode }`).',
          },
          applications: {
            ...stringList,
            description:
              'Applications already installed, by ID or name: Install Application skips them (its detection finds them).',
          },
          osVersions: {
            ...stringList,
            description: 'Names of the supported platforms the running OS counts as (for osVersion()).',
          },
          osLanguage: { ...scalarText, description: 'OS language ID (LCID), e.g. 1033.' },
        },
        additionalProperties: false,
      },
      outcomes: {
        type: 'object',
        additionalProperties: outcome,
        description: 'Per step id or name: the exit code, variables set, output and duration that step should have.',
      },
      contentArrives: {
        type: 'object',
        additionalProperties: {
          anyOf: [{ type: 'string', pattern: LOCAL_DATE_TIME_PATTERN }, { const: 'never' }],
          'x-expected': 'a date and time such as `2025-03-03 10:40`, or `never`',
        },
        description:
          'Content the distribution points this computer can reach get late: object ID → when it arrives there (wall clock), or `never`. Before then the client cannot find it: an Available deployment fails at once, a Required one retries until its deadline.',
      },
    },
    additionalProperties: false,
  };
}

export function allSchemas(
  steps: readonly StepDefinition[],
  options: { dispatch?: boolean } = {},
): Record<string, Schema> {
  return {
    sequence: sequenceSchema(steps, options),
    catalog: catalogSchema(),
    machine: machineSchema(),
    deployment: deploymentSchema(),
    media: mediaSchema(),
  };
}
