import { describe, expect, it } from 'vitest';
import { projectPath } from '../../src/core/paths.js';
import {
  cyclesIn,
  explainFolderCycle,
  folderGraph,
  folderOf,
  type ImportGraph,
  readImportGraph,
} from '../helpers/import-graph.js';

const graphOf = (edges: Record<string, string[]>): ImportGraph =>
  new Map(Object.entries(edges).map(([from, to]) => [from, new Set(to)]));

describe('the import graph check', () => {
  it('finds cycles of any length, between files and between folders', () => {
    const files = graphOf({
      'a/one.ts': ['b/two.ts'],
      'b/two.ts': ['c/three.ts'],
      'c/three.ts': ['a/four.ts'],
      'a/four.ts': [],
      'd/five.ts': ['d/five.ts'],
    });
    expect(cyclesIn(files)).toEqual([['d/five.ts']]);
    expect(cyclesIn(folderGraph(files))).toEqual([['a', 'b', 'c']]);
  });

  it('passes a graph whose layers only point down', () => {
    const files = graphOf({ 'app.ts': ['web/a.ts', 'news/b.ts'], 'news/b.ts': ['web/a.ts'], 'web/a.ts': [] });
    expect(cyclesIn(files)).toEqual([]);
    expect(cyclesIn(folderGraph(files))).toEqual([]);
  });
});

describe('src/', () => {
  const graph = readImportGraph(projectPath('src'));

  it('has no import cycle between modules (type imports included)', () => {
    expect(cyclesIn(graph)).toEqual([]);
  });

  it('has no pair or ring of folders that import each other', () => {
    const cycles = cyclesIn(folderGraph(graph));
    expect(cycles.map((folders) => ({ folders, edges: explainFolderCycle(graph, folders) }))).toEqual([]);
  });

  it('keeps the bottom layers free of features: core imports nothing, db only core, web only core', () => {
    const allowed: Record<string, string[]> = { core: ['core'], db: ['db', 'core'], web: ['web', 'core'] };
    const breaches = [...graph].flatMap(([file, imports]) => {
      const layer = allowed[folderOf(file).split('/')[0] as string];
      return layer
        ? [...imports].filter((t) => !layer.includes(t.split('/')[0] as string)).map((t) => `${file} → ${t}`)
        : [];
    });
    expect(breaches).toEqual([]);
  });

  it('keeps the PDF kit free of features, so that the receipt and the reports can both use it', () => {
    const allowed = ['pdf', 'core', 'web'];
    const breaches = [...graph]
      .filter(([file]) => folderOf(file).split('/')[0] === 'pdf')
      .flatMap(([file, imports]) =>
        [...imports].filter((t) => !allowed.includes(t.split('/')[0] as string)).map((t) => `${file} → ${t}`),
      );
    expect(breaches).toEqual([]);
    expect([...graph.keys()].some((file) => file.startsWith('pdf/'))).toBe(true);
  });
});

describe('test/bench/', () => {
  const graph = readImportGraph(projectPath('test', 'bench'));

  it('has no import cycle between modules or folders', () => {
    expect(cyclesIn(graph)).toEqual([]);
    expect(cyclesIn(folderGraph(graph))).toEqual([]);
  });
});
