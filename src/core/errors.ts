// The core's one error type. Front ends map each code, and each reason, to a sentence in
// the person's language (chat/i18n.ts); the core never writes user-facing prose.
import type { CustomerErrorReason } from './customers/customer.errors.ts';

export type AppErrorCode =
  | 'NOT_IN_ORG'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'INVALID_INPUT'
  | 'CONFLICT'
  | 'ALREADY_DONE'
  | 'INTERNAL';

/**
 * Why, more precisely than the code: a closed union, one line per capability, each reason
 * with its sentence (chat/i18n.ts REASON_SENTENCES), so a reason without one does not compile.
 */
export type AppErrorReason = CustomerErrorReason;

/** Values a front end may quote in its sentence (never secrets), and the reason if there is one. */
export type AppErrorDetails = { reason?: AppErrorReason } & { [key: string]: string | number | undefined };

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details: AppErrorDetails = {},
  ) {
    super(message);
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
