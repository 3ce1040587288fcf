/** XRPC errors of @atproto/api turned into ours: a 429 waits for `ratelimit-reset`, a refused login stops the account. */
import { AppError, ConnectorAuthError, ConnectorRateLimitError, ConnectorUnavailableError, ValidationError } from '../../src/domain/errors';

/** The fields of @atproto/xrpc's XRPCError we read (status 1: no answer at all, 2: an answer that broke its lexicon). */
export interface XrpcFailure {
  status: number;
  error?: string;
  message: string;
  headers?: Record<string, string>;
}

export function isXrpcFailure(err: unknown): err is XrpcFailure {
  return err instanceof Error && typeof (err as { status?: unknown }).status === 'number' && 'error' in err;
}

const AUTH_ERRORS = new Set(['AuthenticationRequired', 'ExpiredToken', 'InvalidToken', 'AccountTakedown', 'AuthFactorTokenRequired']);

/** The access token is no longer good: a fresh login may help. */
export const sessionExpired = (err: unknown): boolean =>
  isXrpcFailure(err) && (err.status === 401 || err.error === 'ExpiredToken' || err.error === 'InvalidToken');

/** Waits after 429s that name no reset: 1 minute, doubling per 429 in a row, at most an hour. */
export class Backoff {
  private inARow = 0;
  next(now: Date): Date {
    this.inARow += 1;
    return new Date(now.getTime() + Math.min(60_000 * 2 ** (this.inARow - 1), 3_600_000));
  }
  reset(): void {
    this.inARow = 0;
  }
}

function resetOf(headers: Record<string, string> | undefined, now: Date): Date | undefined {
  const seconds = Number(headers?.['ratelimit-reset']);
  // epoch seconds; a value already past says nothing about when to come back
  return Number.isFinite(seconds) && seconds * 1000 > now.getTime() ? new Date(seconds * 1000) : undefined;
}

/** Our error for an XRPC one; `what` names the call ("listNotifications"); anything else passes through. */
export function toConnectorError(err: unknown, what: string, backoff: Backoff, now = new Date()): unknown {
  if (err instanceof AppError || !isXrpcFailure(err)) return err;
  const detail = `${err.error ?? `HTTP ${err.status}`}${err.message && err.message !== err.error ? `: ${err.message}` : ''}`;
  if (err.status === 429) {
    const resetAt = resetOf(err.headers, now) ?? backoff.next(now);
    return new ConnectorRateLimitError(`Bluesky rate limit reached on ${what}; waiting until ${resetAt.toISOString()}`, resetAt);
  }
  if (err.status === 401 || (err.error && AUTH_ERRORS.has(err.error))) {
    return new ConnectorAuthError(`Bluesky refused the session on ${what} (${detail})`);
  }
  if (err.status < 100 || err.status >= 500) return new ConnectorUnavailableError(`Bluesky unavailable on ${what} (${detail})`);
  return new ValidationError(`Bluesky refused ${what} (${detail})`, { status: err.status, error: err.error });
}

/** A failed createSession: the identifier and service are named, the password never. */
export function loginError(err: unknown, identifier: string, service: string, backoff: Backoff): unknown {
  if (!isXrpcFailure(err) || err.status === 429 || err.status < 100 || err.status >= 500) return toConnectorError(err, 'createSession', backoff);
  const hint =
    err.error === 'AuthFactorTokenRequired'
      ? 'the account asks for a sign-in code: use an app password (Settings → App passwords)'
      : 'check the identifier and app password';
  return new ConnectorAuthError(`Bluesky refused the login of ${identifier} at ${service}: ${err.message || err.error || `HTTP ${err.status}`} (${hint})`);
}
