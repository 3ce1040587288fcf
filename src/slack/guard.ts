import { verifySlackRequest } from '@slack/bolt';
import express, { type RequestHandler } from 'express';
import { AppError, ValidationError } from '../domain/errors';
import { slackBodyProblem } from './payloads';

/** Slack's rule: a request more than five minutes from now, either way, is a replay or a wrong clock. */
export const SLACK_TOLERANCE_SECONDS = 5 * 60;

export interface SlackGuardOptions {
  signingSecret: string;
  /** Bolt's own limit, so a body it would take is not refused here first */
  limitBytes?: number;
  now?: () => number;
}

function parsed(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ValidationError(`${what} is not valid JSON`);
  }
}

/** Bolt parses a form with a `payload` field as that JSON, and anything else as JSON. */
function checkShape(raw: string, contentType: string | undefined): void {
  let problem: string | undefined;
  if (contentType === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams(raw);
    const payloads = form.getAll('payload');
    if (payloads.length > 1) problem = 'payload must appear once';
    else if (payloads[0] !== undefined) problem = slackBodyProblem(parsed(payloads[0], 'payload'), 'payload');
    // a slash command or Slack's ssl_check carry plain form fields
    else if (!form.has('command') && !form.has('ssl_check')) problem = 'a form body needs payload, command or ssl_check';
  } else {
    problem = slackBodyProblem(parsed(raw, 'body'), 'body');
  }
  if (problem) throw new ValidationError(problem);
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
