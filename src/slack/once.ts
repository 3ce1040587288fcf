import { createHash } from 'node:crypto';
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { claimInteraction } from '../store/repositories/slack-interactions';
import { SLACK_TOLERANCE_SECONDS } from './guard';

/** A second click of the same button on the same message within this time is taken as the same click. */
export const SAME_CLICK_WINDOW_MS = 10_000;
// a byte-identical payload is one delivery; later than this its signature is refused anyway
const SAME_PAYLOAD_WINDOW_MS = 2 * SLACK_TOLERANCE_SECONDS * 1000;

interface Interaction {
  type?: unknown;
  user?: { id?: unknown };
  container?: { channel_id?: unknown; message_ts?: unknown; view_id?: unknown };
  actions?: unknown;
  view?: { id?: unknown; callback_id?: unknown; state?: unknown };
}

const hash = (value: unknown): string => createHash('sha256').update(JSON.stringify(value) ?? '').digest('hex');

/** What makes two deliveries the same act: who, on which message or view, which element and value (not when). */
function sameAct(body: Interaction): unknown {
  if (body.type === 'view_submission') return [body.type, body.user?.id, body.view?.id, body.view?.callback_id, body.view?.state];
  const actions = Array.isArray(body.actions) ? body.actions.map((a) => ({ ...(a as object), action_ts: undefined })) : [];
  const where = body.container?.message_ts ?? body.container?.view_id;
  return [body.type, body.user?.id, body.container?.channel_id, where, actions];
}

/**
 * Bolt middleware: a block action or view submission delivered twice (the same payload, or the same act on the
 * same message within `windowMs`) reaches the listeners once, across every app process on the database.
 */
export function actOnce(windowMs = SAME_CLICK_WINDOW_MS): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as Interaction;
    if (body.type !== 'block_actions' && body.type !== 'view_submission') {
      await args.next();
      return;
    }
    const first = await claimInteraction(`payload:${hash(body)}`, SAME_PAYLOAD_WINDOW_MS);
    if (first && (await claimInteraction(`act:${hash(sameAct(body))}`, windowMs))) {
      await args.next();
      return;
    }
    args.logger.info(`a repeated ${body.type} was acknowledged and not acted on`);
    const { ack } = args as { ack?: () => Promise<void> };
    if (ack) await ack();
  };
}
