/** Our error classes: each has a string code; the API maps them to a status. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super('validation_failed', message, details);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super('not_found', message);
  }
}

/** The remote API refused our credentials; retrying will not help. */
export class ConnectorAuthError extends AppError {
  constructor(message: string) {
    super('connector_auth_failed', message);
  }
}

/** The remote API asked us to wait until `resetAt`. */
export class ConnectorRateLimitError extends AppError {
  constructor(
    message: string,
    readonly resetAt: Date,
  ) {
    super('connector_rate_limited', message, { resetAt: resetAt.toISOString() });
  }
}

/** The channel will not take this reply as a reply (X: its author neither mentioned nor quoted us); a DM or a new post may do. */
export class ReplyNotAllowedError extends AppError {
  constructor(message: string) {
    super('reply_not_allowed', message);
  }
}

/** A transient remote failure (5xx, network); safe to retry later. */
export class ConnectorUnavailableError extends AppError {
  constructor(message: string) {
    super('connector_unavailable', message);
  }
}

/** The database did not answer (down, unreachable, connection lost); the same request may succeed after `retryAfterSeconds`. */
export class StoreUnavailableError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds = 5,
  ) {
    super('store_unavailable', message, { retryAfterSeconds });
  }
}
