import { readdirSync, readFileSync } from 'node:fs';
import { parseSession, type ParsedSession } from '../../../common/session/parse';

export const FIXTURES = new URL('../../fixtures/sessions/', import.meta.url);
export const DOC_FACTS = new URL('../../fixtures/docs/', import.meta.url);

export const fixtureNames = (): string[] => readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort();
export const fixtureText = (name: string): string => readFileSync(new URL(name, FIXTURES), 'utf8');
export const fixtureJson = (name: string): Record<string, unknown> => JSON.parse(fixtureText(name)) as Record<string, unknown>;
export const load = (name: string): ParsedSession => parseSession(fixtureText(name));
/** Facts copied from Yoti's documentation into test/fixtures/docs/ (see its README). */
export const docFacts = <T>(name: string): T => JSON.parse(readFileSync(new URL(name, DOC_FACTS), 'utf8')) as T;

/** Runs fn and returns what it threw (fails the test when it does not throw). */
export function thrown(fn: () => unknown): { code?: string; kind?: string; message: string } {
  try {
    fn();
  } catch (e) {
    return e as { code?: string; kind?: string; message: string };
  }
  throw new Error('expected a throw');
}
