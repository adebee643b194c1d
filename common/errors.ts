/**
 * Every failure the services report is an AppError: a stable code, a sentence a reviewer can act on,
 * and a kind that the CLI maps to its exit code (usage 1, remote 2, local 3).
 * Messages never carry key material, signed URLs or document PII: ids and codes only.
 */
export type ErrorKind = 'usage' | 'remote' | 'local';

export class AppError extends Error {
  override readonly name: string = 'AppError';
  constructor(
    readonly code: string,
    message: string,
    readonly kind: ErrorKind,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Bad input from the person or program calling us: refused before anything is sent. */
export class UsageError extends AppError {
  override readonly name = 'UsageError';
  constructor(code: string, message: string) {
    super(code, message, 'usage');
  }
}

/** Something on this machine failed: keychain, disk, store. */
export class LocalError extends AppError {
  override readonly name = 'LocalError';
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, 'local', options);
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
