import * as z from 'zod';

/**
 * The machinery that makes the session schema tolerant.
 *
 * Every field and every array element of the schema is wrapped so that a damaged part cannot fail the
 * whole parse: on failure zod's `.catch()` puts a `Dropped` marker in its place. After parsing,
 * `collectDropped` walks the result once, removes the markers (or puts their replacement in), and
 * turns each into a `Problem` with the absolute path of what was dropped. Doing it in a walk (rather
 * than inside the catch callback) is what gives us the absolute path: zod's catch context only knows
 * the path below itself.
 */

/** Something in Yoti's response that could not be used and was left out (or replaced). */
export interface Problem {
  /** Where, in the JSON that was received: `checks[2].report`, `resources.id_documents[1]`. */
  path: string;
  /** What was wrong. Never carries the offending value: codes and types only. */
  message: string;
}

const NO_REPLACEMENT: unique symbol = Symbol('no replacement');

/** Marker left by a failed part. Never survives `collectDropped`. */
class Dropped {
  constructor(
    readonly message: string,
    readonly replacement: unknown,
  ) {}
}

function explain(ctx: z.core.$ZodCatchCtx): string {
  // ctx.error carries the finalized issues (message and path); ctx.issues holds the raw ones.
  const issue = ctx.error.issues[0];
  if (!issue) return 'invalid value';
  const below = issue.path.length > 0 ? ` at ${formatPath(issue.path)}` : '';
  return `${issue.message}${below}`;
}

const nullToUndefined = (value: unknown): unknown => (value === null ? undefined : value);

/**
 * An optional object field: absent and `null` both become undefined; anything the schema refuses
 * is dropped (the key is removed) and reported.
 */
export function field<T extends z.ZodType>(schema: T) {
  return z.preprocess(nullToUndefined, schema.optional()).catch(
    (ctx) => new Dropped(`dropped: ${explain(ctx)}`, NO_REPLACEMENT) as never,
  );
}

/**
 * One element of an array. A refused element is removed from the array and reported, unless a
 * `replacement` is given: then it is replaced (used for liveness frames, whose position matters).
 */
export function element<T extends z.ZodType>(schema: T, replacement: z.output<T> | typeof NO_REPLACEMENT = NO_REPLACEMENT) {
  return schema.catch((ctx) => {
    const what = replacement === NO_REPLACEMENT ? 'dropped' : 'replaced by an empty entry';
    return new Dropped(`${what}: ${explain(ctx)}`, replacement) as never;
  });
}

/** An optional array field whose elements are each tolerated on their own. */
export function list<T extends z.ZodType>(schema: T, replacement: z.output<T> | typeof NO_REPLACEMENT = NO_REPLACEMENT) {
  return field(z.array(element(schema, replacement)));
}

/** Detail values are strings in the docs; a number or boolean is accepted too and kept as text ("0.4"). */
export const text = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));

/**
 * Removes every `Dropped` marker from a parsed value, in place, and returns what was removed.
 * Array indexes in the paths are those of the input, before removal.
 */
export function collectDropped(root: unknown): Problem[] {
  const problems: Problem[] = [];
  const path: (string | number)[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      const kept: unknown[] = [];
      let changed = false;
      node.forEach((item: unknown, i) => {
        if (item instanceof Dropped) {
          problems.push({ path: formatPath([...path, i]), message: item.message });
          changed = true;
          if (item.replacement !== NO_REPLACEMENT) kept.push(structuredClone(item.replacement));
          return;
        }
        path.push(i);
        visit(item);
        path.pop();
        kept.push(item);
      });
      if (changed) {
        node.length = 0;
        for (const item of kept) node.push(item);
      }
      return;
    }
    if (node !== null && typeof node === 'object') {
      const obj = node as Record<string, unknown>;
      for (const key of Object.keys(obj)) {
        const value = obj[key];
        if (value instanceof Dropped) {
          problems.push({ path: formatPath([...path, key]), message: value.message });
          if (value.replacement === NO_REPLACEMENT) delete obj[key];
          else obj[key] = structuredClone(value.replacement);
          continue;
        }
        path.push(key);
        visit(value);
        path.pop();
      }
    }
  };
  visit(root);
  return problems;
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['checks', 2, 'report']` → `checks[2].report`; odd keys are quoted: `resources["a b"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && PLAIN_KEY.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out === '' ? '(top level)' : out;
}
