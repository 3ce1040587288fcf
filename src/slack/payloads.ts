import { z } from 'zod';

/** A Slack message timestamp: seconds, a dot, a sequence ('1732700000.000100'). */
const SLACK_TS = z.string().regex(/^\d{1,12}\.\d{1,9}$/);

/** The fields of a `message` event the reply handler reads; a message missing any of them is not a reply. */
const replyFields = z.object({
  channel: z.string().min(1),
  user: z.string().min(1).optional(),
  text: z.string().optional(),
  ts: SLACK_TS,
  thread_ts: SLACK_TS.optional(),
});

/** True when a `message` event has the fields the reply handler reads, each of the right type. */
export function wellFormedMessage(event: unknown): boolean {
  return replyFields.safeParse(event).success;
}
