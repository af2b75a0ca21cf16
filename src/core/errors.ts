// The core's one error type. Front ends map each code, and each reason, to a sentence in
// the person's language (chat/i18n.ts); the core never writes user-facing prose.
import type { CustomerErrorParams } from './customers/customer.errors.ts';
import type { VisitorErrorParams } from './visitors/visitor.errors.ts';
import type { HandoverErrorParams } from './handovers/handover.errors.ts';
import type { RequestErrorParams } from './requests/request.errors.ts';

export type AppErrorCode =
  | 'NOT_IN_ORG'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'INVALID_INPUT'
  | 'CONFLICT'
  | 'ALREADY_DONE'
  | 'INTERNAL';

/**
 * Why, more precisely than the code, and what its sentence quotes: a closed set, one line
 * per capability, each reason with its sentence (chat/i18n.ts REASON_SENTENCES), so a
 * reason without one, or thrown without the values it quotes, does not compile.
 */
export type AppErrorParams = CustomerErrorParams & VisitorErrorParams & HandoverErrorParams & RequestErrorParams;
export type AppErrorReason = keyof AppErrorParams;

/** A reason with the values its sentence quotes. */
export type ReasonDetails = { [R in AppErrorReason]: { reason: R } & AppErrorParams[R] }[AppErrorReason];

/** Values a front end may quote in its sentence (never secrets): a reason's, or free ones for a code's sentence. */
export type AppErrorDetails = ReasonDetails | { reason?: undefined; [key: string]: string | number | undefined };

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

/**
 * Thrown by the database when this attempt at an acked delivery may not write
 * (db/effect-fence.ts): `applied`, an earlier attempt already committed its change (its
 * lease ran out while it still ran, or it died before it was marked done); `leaseLost`,
 * another worker holds the delivery now. It ends the attempt without an answer — never
 * turned into a reply (chat/dispatch.ts), settled by the worker (jobs/worker.ts).
 */
export class FencedOut extends Error {
  override name = 'FencedOut';
  constructor(readonly reason: 'applied' | 'leaseLost') {
    super(reason === 'applied' ? 'an earlier attempt of this delivery already applied its change' : 'the lease on this delivery was lost to another worker');
  }
}
