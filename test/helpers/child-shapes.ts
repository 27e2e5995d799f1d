// Workspaces of sequences that run each other, for the tests and the benchmark of child sequences:
// a ring, a chain, a fan (the first runs all the others) or a lattice (each runs the next two, so
// every path through it is another route to the end). Each sequence sets a variable before its
// calls and reads the one its parent sets (so inherited variables are worked out too), and has a
// package ID (so export can name it).

export type ChildShape = 'ring' | 'chain' | 'fan' | 'lattice';

export const childFileName = (i: number): string => `s${String(i).padStart(5, '0')}.tsq.yaml`;

/** `n` sequence files of one shape, by file name. */
export function childShapeFiles(shape: ChildShape, n: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    const calls: number[] = [];
    if (shape === 'ring') calls.push((i + 1) % n);
    if (shape === 'chain' && i + 1 < n) calls.push(i + 1);
    if (shape === 'fan' && i === 0) for (let j = 1; j < n; j++) calls.push(j);
    if (shape === 'lattice') for (const j of [i + 1, i + 2]) if (j < n) calls.push(j);
    files[childFileName(i)] = [
      `sequence: S${i}`,
      `packageId: CM${String(i).padStart(6, '0')}`,
      'steps:',
      `  - name: Set ${i}`,
      '    action: SetTaskSequenceVariable',
      `    with: { variable: V${i}, value: "%V${(i + n - 1) % n}%" }`,
      ...calls.flatMap((j) => [
        `  - name: Run ${j}`,
        '    action: RunTaskSequence',
        `    with: { sequence: ./${childFileName(j)} }`,
      ]),
      '',
    ].join('\n');
  }
  return files;
}
