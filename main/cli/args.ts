import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../../common/errors';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs with our usage error, so a typo exits 1 with one line that says what is wrong. */
export function parse<const O extends Options>(argv: string[], options: O, usage: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError('USAGE', `${(e as Error).message.replace(/\. To specify.*$/, '')}\nusage: ${usage}`);
  }
}

export function requireValue(value: string | undefined, flag: string, usage: string): string {
  if (value === undefined || value === '') throw new UsageError('USAGE', `${flag} is required\nusage: ${usage}`);
  return value;
}
