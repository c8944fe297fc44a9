// Node module hooks that load TypeScript source (see worker-typescript.mjs).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'rolldown/utils';

/** `./x.js` imported by a TypeScript module is `./x.ts` when there is no such JavaScript file (NodeNext style). */
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (err) {
    const typescript =
      context.parentURL?.endsWith('.ts') && specifier.startsWith('.') && specifier.endsWith('.js');
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !typescript) throw err;
    return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const { code, errors } = await transform(path, await readFile(path, 'utf8'), { sourcemap: false });
  if (errors.length > 0) throw new Error(`${path}: ${errors.map((error) => error.message).join('; ')}`);
  return { format: 'module', source: code, shortCircuit: true };
}
