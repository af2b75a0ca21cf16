// The core's one error type. Front ends map each code to a sentence in the person's
// language (chat/i18n.ts); the core never writes user-facing prose.
export type AppErrorCode =
  | 'NOT_IN_ORG'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'INVALID_INPUT'
  | 'CONFLICT'
  | 'ALREADY_DONE'
  | 'INTERNAL';

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: AppErrorCode,
    message: string,
    /** Values a front end may quote in its sentence (never secrets). */
    readonly details: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
