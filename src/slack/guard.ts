import { verifySlackRequest } from '@slack/bolt';
import express, { type RequestHandler } from 'express';
import { AppError, ValidationError } from '../domain/errors';

/** Slack's rule: a request more than five minutes from now, either way, is a replay or a wrong clock. */
export const SLACK_TOLERANCE_SECONDS = 5 * 60;

export interface SlackGuardOptions {
  signingSecret: string;
  /** Bolt's own limit, so a body it would take is not refused here first */
  limitBytes?: number;
  now?: () => number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parsed(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ValidationError(`${what} is not valid JSON`);
  }
}

/** What Bolt reads of a body before any listener runs: an object with a `type`, and an `event` object if any. */
function checkShape(raw: string, contentType: string | undefined): void {
  if (contentType === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams(raw);
    const payloads = form.getAll('payload');
    if (payloads.length === 0) {
      // a slash command or Slack's ssl_check carry plain form fields
      if (!form.has('command') && !form.has('ssl_check')) throw new ValidationError('a form body needs payload, command or ssl_check');
      return;
    }
    if (payloads.length > 1) throw new ValidationError('payload must appear once');
    const payload = payloads[0] ?? '';
    const body = parsed(payload, 'payload');
    if (!isRecord(body) || typeof body.type !== 'string') throw new ValidationError('payload must be a JSON object with a string "type"');
    return;
  }
  const body = parsed(raw, 'body');
  if (!isRecord(body) || typeof body.type !== 'string') throw new ValidationError('body must be a JSON object with a string "type"');
  if (body.event !== undefined && !isRecord(body.event)) throw new ValidationError('"event" must be an object');
}

/**
 * In front of Bolt's receiver: refuses requests timestamped more than five minutes away (Bolt refuses only
 * old ones), then bad signatures (401), then bodies Bolt cannot read (400), and hands the raw body on.
 */
export function slackRequestGuard(options: SlackGuardOptions): RequestHandler[] {
  const now = options.now ?? (() => Date.now());
  const check: RequestHandler = (req, _res, next) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const header = req.get('x-slack-request-timestamp') ?? '';
    const signature = req.get('x-slack-signature');
    if (!/^\d{1,12}$/.test(header) || !signature) {
      next(new AppError('unauthorized', 'x-slack-request-timestamp and x-slack-signature are required'));
      return;
    }
    const skew = Math.abs(Math.floor(now() / 1000) - Number(header));
    if (skew > SLACK_TOLERANCE_SECONDS) {
      next(new AppError('unauthorized', `x-slack-request-timestamp is ${skew} s from now; at most ${SLACK_TOLERANCE_SECONDS} s are allowed`));
      return;
    }
    const text = raw.toString('utf8');
    try {
      verifySlackRequest({ signingSecret: options.signingSecret, body: text, headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(header) } });
    } catch {
      next(new AppError('unauthorized', 'x-slack-signature does not match the body'));
      return;
    }
    try {
      checkShape(text, req.get('content-type'));
    } catch (err) {
      next(err);
      return;
    }
    // Bolt reads `rawBody` when it is set, and verifies the same bytes again
    (req as typeof req & { rawBody?: Buffer }).rawBody = raw;
    next();
  };
  return [express.raw({ type: () => true, limit: options.limitBytes ?? 4 * 1024 * 1024 }), check];
}
