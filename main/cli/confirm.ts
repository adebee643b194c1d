import { UsageError } from '../../common/errors';
import type { CliContext } from './context';

/**
 * A person's yes before something that cannot be undone: `--yes`, or a question on an interactive
 * terminal. Without either, refused in words (`refused`); a "no" prints `declined` and returns false.
 */
export async function confirmed(ctx: CliContext, yes: boolean | undefined, words: { question: string; refused: string; declined: string }): Promise<boolean> {
  if (yes) return true;
  if (ctx.io.confirm === undefined) throw new UsageError('CONFIRMATION_REQUIRED', `${words.refused}: pass --yes.`);
  if (await ctx.io.confirm(words.question)) return true;
  ctx.out.line(words.declined);
  return false;
}
