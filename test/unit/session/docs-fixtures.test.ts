import { describe, expect, test } from 'vitest';
import { docFacts, fixtureJson } from './load';

/**
 * The docs fixtures say exactly what Yoti's page says: each JSON block of the page, as published
 * (test/fixtures/docs/json-examples.json), given the repairs the fixtures README lists, and compared with its file, with every
 * UUID read back as the `<uuid>` placeholder it replaced.
 */

const FILES = [
  'docs-01-full-session.json',
  'docs-02-retrieved-state.json',
  'docs-03-authenticity-approve.json',
  'docs-04-authenticity-reject.json',
  'docs-05-authenticity-not-available.json',
  'docs-06-liveness-check.json',
  'docs-07-face-match-check.json',
  'docs-08-text-data-check.json',
  'docs-09-tasks-fragment.json',
  'docs-10-id-documents-fragment.json',
  'docs-11-liveness-capture-fragment.json',
  'docs-12-document-fields-content.json',
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Removes `//` comments that are outside strings. */
function stripComments(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      let inString = false;
      for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (inString) {
          if (c === '\\') i++;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === '/' && line[i + 1] === '/') return line.slice(0, i);
      }
      return line;
    })
    .join('\n');
}

function repair(block: string): unknown {
  let t = stripComments(block).trim();
  t = t.replace(/("(?:[^"\\]|\\.)*")(\s*\n\s*")/g, '$1,$2'); // a string value at the end of a line followed by a key: missing comma
  if (t.startsWith('"')) t = `{${t}}`; // a bare "key": [...] fragment
  t = t.replace(/,(\s*[}\]])/g, '$1'); // trailing commas
  return JSON.parse(t);
}

function placeholders(value: unknown): unknown {
  if (typeof value === 'string') return UUID.test(value) || /^<uuid>$/i.test(value) ? '<uuid>' : value;
  if (Array.isArray(value)) return value.map(placeholders);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, placeholders(v)]));
  return value;
}

describe('docs fixtures are faithful to the docs', () => {
  const { blocks } = docFacts<{ blocks: string[] }>('json-examples.json');

  test('one fixture per JSON example of the page', () => {
    expect(blocks).toHaveLength(FILES.length);
  });

  test.each(FILES.map((f, i) => [f, i] as const))('%s', (file, i) => {
    expect(placeholders(fixtureJson(file))).toEqual(placeholders(repair(blocks[i]!)));
  });

  test('the docs really need the repairs (a parser that accepted them would be wrong)', () => {
    for (const block of blocks) {
      if (block.includes('//') || block.trim().startsWith('"')) expect(() => JSON.parse(block) as unknown).toThrow();
    }
  });
});
