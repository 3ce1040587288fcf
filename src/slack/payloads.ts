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

const user = z.object({ id: z.string().min(1) });
const view = z.object({ id: z.string().min(1), callback_id: z.string() });

/** What Bolt and our listeners read of each kind of body before any check of their own (Slack's Events and interactivity payloads). */
const BODIES: Record<string, z.ZodType> = {
  event_callback: z.object({ event: z.object({ type: z.string().min(1) }) }),
  block_actions: z.object({ user, actions: z.array(z.object({ action_id: z.string().min(1) })).min(1) }),
  block_suggestion: z.object({ user, action_id: z.string().min(1) }),
  view_submission: z.object({ user, view }),
  view_closed: z.object({ user, view }),
  shortcut: z.object({ user, callback_id: z.string().min(1) }),
  message_action: z.object({ user, callback_id: z.string().min(1) }),
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why a parsed Slack body (or `payload`) cannot be handled, naming the field; undefined when it can. */
export function slackBodyProblem(body: unknown, what: 'body' | 'payload'): string | undefined {
  if (!isRecord(body) || typeof body.type !== 'string') return `${what} must be a JSON object with a string "type"`;
  const result = BODIES[body.type]?.safeParse(body);
  const issue = result?.success === false ? result.error.issues[0] : undefined;
  if (!issue) return undefined;
  const field = issue.path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : `${acc}.${String(part)}`), what);
  return `${field} (${body.type}): ${issue.message}`;
}
