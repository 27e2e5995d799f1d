// The files the checks' shortcuts and caches are compared on: every case of every rule fixture
// (test/rules/*.yaml), the examples and broken examples, and generated files of every bench shape.
// Each comes as a workspace, so a test can run a check both ways on every document.

import * as path from 'node:path';
import type { Workspace } from '../../server/src/semantics/workspace';
import { loadPaths } from '../../server/src/frontend/load-paths';
import { BENCH_SHAPES, generateShape } from '../../bench/generate';
import { fixtureCaseFiles } from '../rules/fixture';
import { workspaceOf } from './lint';

// From out/test/helpers, three levels up is the repository.
const REPO = path.join(__dirname, '../../..');
const FIXTURES = path.join(REPO, 'test/rules');

export interface CorpusWorkspace {
  where: string;
  ws: Workspace;
}

/** A workspace per case of every rule fixture. */
export function fixtureWorkspaces(): CorpusWorkspace[] {
  return [...fixtureCaseFiles(FIXTURES)].map(({ where, files }) => ({ where, ws: workspaceOf(files) }));
}

/** The examples, the broken examples, and a generated file of each bench shape (`steps` steps). */
export function exampleAndShapeWorkspaces(steps = 400): CorpusWorkspace[] {
  const out = ['examples', 'examples/broken', 'examples/broken/without-catalog'].map((folder) => ({
    where: folder,
    ws: loadPaths([path.join(REPO, folder)]).ws,
  }));
  for (const shape of BENCH_SHAPES) {
    const { sequence, files } = generateShape(shape, steps);
    out.push({ where: shape, ws: workspaceOf({ ...files, 'seq.tsq.yaml': sequence }) });
  }
  return out;
}
