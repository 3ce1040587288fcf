import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';
import { AppError, StoreUnavailableError } from '../domain/errors';
import { isStoreUnavailableError } from '../store/connection';
import type { Logger } from '../runtime/logger';

const STATUS: Record<string, number> = {
  validation_failed: 400,
  invalid_json: 400,
  invalid_body: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  channel_cannot_send: 422,
  unsupported_encoding: 415,
  connector_rate_limited: 429,
  connector_unavailable: 503,
  store_unavailable: 503,
};

/** Zod issues as `details`, each naming the field by its path (`messages[2].text`). */
export function zodDetails(error: ZodError): Array<{ field: string; message: string }> {
  return error.issues.map((issue) => ({
    field: issue.path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)), '') || '(body)',
    message: issue.message,
  }));
}

export function validationError(error: ZodError, what: string): AppError {
  const details = zodDetails(error);
  return new AppError('validation_failed', `invalid ${what}: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`, details);
}

/** The one place errors become responses: `{ error: { code, message, details } }`. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const e = asAppError(err);
    const status = STATUS[e.code] ?? 500;
    if (status >= 500) logger.error({ err }, 'request failed');
    const message = status >= 500 && e.code === 'internal' ? 'internal error' : e.message;
    if (e instanceof StoreUnavailableError) res.set('Retry-After', String(e.retryAfterSeconds));
    // `details` is always there, as the README promises; a 404 names what was not found
    const details = e.details ?? (status === 404 ? [{ field: 'path', message: `${req.method} ${req.path}: ${e.message}` }] : []);
    res.status(status).json({ error: { code: e.code, message, details } });
  };
}

function asAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return validationError(err, 'request');
  if (isStoreUnavailableError(err)) return new StoreUnavailableError('the database is unreachable; nothing was changed, retry later');
  const bodyErr = err as { type?: string; limit?: number; message?: string };
  if (bodyErr.type === 'entity.too.large') {
    return new AppError('payload_too_large', `request body is larger than the limit of ${bodyErr.limit} bytes`);
  }
  if (bodyErr.type === 'entity.parse.failed') return new AppError('invalid_json', `request body is not valid JSON: ${bodyErr.message}`);
  if (bodyErr.type === 'encoding.unsupported' || bodyErr.type === 'charset.unsupported') {
    return new AppError('unsupported_encoding', `${bodyErr.message ?? 'unsupported body encoding'} (use gzip, deflate, br or none, and UTF-8)`);
  }
  // the body parser's 400 with zlib's code (Z_DATA_ERROR, Z_BUF_ERROR, ERR__ERROR_FORMAT_…): a body that does not inflate
  const code = (err as { code?: unknown }).code;
  if (bodyErr.type === undefined && (err as { status?: unknown }).status === 400 && typeof code === 'string' && /^(Z_|ERR_)/.test(code)) {
    return new AppError('invalid_body', `request body does not decompress as its Content-Encoding says: ${bodyErr.message ?? code}`);
  }
  if (bodyErr.type === 'request.aborted' || bodyErr.type === 'request.size.invalid') {
    return new AppError('invalid_body', bodyErr.message ?? 'request body was cut short');
  }
  return new AppError('internal', 'internal error');
}
