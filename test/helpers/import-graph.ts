import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';

/** Module → the modules it imports; both as paths relative to the scanned root, e.g. 'pledges/signing/routes.ts'. */
export type ImportGraph = Map<string, Set<string>>;

// Static imports and re-exports (type-only ones too: a type import still ties two modules together) and dynamic
// import() of a relative path. Package imports are not edges.
const IMPORT =
  /(?:^|[\s;])(?:import|export)\s(?:[^'";]*?\sfrom\s*)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** The relative imports between the TypeScript files under `root`. */
export function readImportGraph(root: string): ImportGraph {
  const files = (readdirSync(root, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.split(sep).join('/'));
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const imports = new Set<string>();
    for (const match of readFileSync(join(root, file), 'utf8').matchAll(IMPORT)) {
      const specifier = (match[1] ?? match[2]) as string;
      const target = normalize(join(dirname(file), specifier.replace(/\.js$/, '.ts')))
        .split(sep)
        .join('/');
      if (!existsSync(join(root, target)))
        throw new Error(`${file} imports ${specifier}, which is not there`);
      imports.add(target);
    }
    graph.set(file, imports);
  }
  return graph;
}

/** The folder of a module ('.' for the root), so that the graph of folders can be checked like that of files. */
export const folderOf = (file: string): string => dirname(file);

/** The graph of folders: an edge wherever a module of one folder imports a module of another. */
export function folderGraph(graph: ImportGraph): ImportGraph {
  const folders: ImportGraph = new Map();
  for (const [file, imports] of graph) {
    const from = folderOf(file);
    const edges = folders.get(from) ?? new Set<string>();
    folders.set(from, edges);
    for (const target of imports) if (folderOf(target) !== from) edges.add(folderOf(target));
  }
  return folders;
}

/** Every cycle, as the members of each strongly connected component of two or more (Tarjan's algorithm). */
export function cyclesIn(graph: ImportGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || graph.get(node)?.has(node)) cycles.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

/** For a readable failure: each edge inside a cycle, with the files that make it. */
export function explainFolderCycle(graph: ImportGraph, folders: readonly string[]): string[] {
  const members = new Set(folders);
  const lines: string[] = [];
  for (const [file, imports] of graph) {
    for (const target of imports) {
      const [from, to] = [folderOf(file), folderOf(target)];
      if (from !== to && members.has(from) && members.has(to)) lines.push(`${file} → ${target}`);
    }
  }
  return lines;
}
