import type { RawBuilder, RawNode, ValueNode } from 'kysely';

/** A statement as SQLite takes it: its text with `?` placeholders, and the values for them in order. */
export interface PlainStatement {
  sql: string;
  parameters: readonly unknown[];
}

// A tagged template's strings array is one frozen object per place in the code that writes the template, so the text
// of its statement is worked out once per place and kept here.
const textOfTemplate = new WeakMap<TemplateStringsArray, string>();

const isTemplate = (fragments: readonly string[]): fragments is TemplateStringsArray =>
  Array.isArray((fragments as Partial<TemplateStringsArray>).raw);

/**
 * The statement of a `sql` template whose every interpolation is a plain value (`WHERE id = ${id}`), without
 * Kysely's compiler: its text is the template's strings joined by `?`, exactly what the SQLite compiler writes for
 * such a template, and its parameters are the values. Nearly every statement of Ikrar is one; compiling each anew cost
 * more than running a lookup by key (about 7 us a statement in the app, a tenth of a signing's time). Null for anything
 * else (a nested fragment, an identifier, a list, `sql.raw`), which the compiler handles.
 */
export function templateStatement(query: RawBuilder<unknown>): PlainStatement | null {
  const node = query.toOperationNode() as RawNode;
  if (node.kind !== 'RawNode' || !isTemplate(node.sqlFragments)) return null;
  const parameters = new Array<unknown>(node.parameters.length);
  for (let i = 0; i < parameters.length; i++) {
    const parameter = node.parameters[i] as ValueNode;
    if (parameter.kind !== 'ValueNode' || parameter.immediate) return null;
    parameters[i] = parameter.value;
  }
  let sql = textOfTemplate.get(node.sqlFragments);
  if (sql === undefined) {
    sql = node.sqlFragments.join('?');
    textOfTemplate.set(node.sqlFragments, sql);
  }
  return { sql, parameters };
}
