/**
 * One X Activity API delivery as an InboundMessage. The envelope is the one `/2/activity/stream` describes
 * (data: event_type, event_uuid, filter.user_id, payload, includes); `post.mention.create` carries a Post,
 * `dm.received` a DM event as `GET /2/dm_events` returns it. Mapped by map.ts, so the externalId is the one polling stores.
 */
import { z } from 'zod';
import type { InboundMessage } from '../../src/domain/message';
import { dmToMessage, mentionToMessage } from './map';
import type { Account } from './map';
import type { XPost, XUser } from './types';

export const PUSH_EVENTS = ['post.mention.create', 'dm.received'] as const;
export type PushEventType = (typeof PUSH_EVENTS)[number];

const id = z.string().regex(/^[0-9]{1,19}$/, 'an X id (digits)');
const user = z.object({ id, username: z.string().min(1), name: z.string().default('') });

const post = z.object({
  id,
  text: z.string(),
  author_id: id.optional(),
  conversation_id: id.optional(),
  created_at: z.string().optional(),
  referenced_tweets: z.array(z.object({ type: z.string(), id })).optional(),
  entities: z.object({ mentions: z.array(z.object({ id: id.optional(), username: z.string().optional() })).optional() }).optional(),
});

const dmEvent = z.object({
  id,
  event_type: z.string().default('MessageCreate'),
  text: z.string().optional(),
  sender_id: id.optional(),
  dm_conversation_id: z.string().optional(),
  created_at: z.string().optional(),
});

export const pushEnvelope = z.object({
  data: z.object({
    event_type: z.string().min(1),
    event_uuid: z.string().optional(),
    filter: z.object({ user_id: id }),
    payload: z.unknown(),
    includes: z.object({ users: z.array(user).optional() }).optional(),
    tag: z.string().optional(),
  }),
});
export type PushEnvelope = z.infer<typeof pushEnvelope>;

export type PushMapping =
  | { outcome: 'message'; message: InboundMessage }
  /** an event we do not take in (another type, our own DM coming back, a DM of another kind) */
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'invalid'; details: { field: string; message: string }[] };

const invalid = (error: z.ZodError): PushMapping => ({
  outcome: 'invalid',
  details: error.issues.map((i) => ({ field: ['data', 'payload', ...i.path.map(String)].join('.'), message: i.message })),
});

const toPost = (p: z.infer<typeof post>): XPost => ({
  id: p.id,
  text: p.text,
  authorId: p.author_id,
  conversationId: p.conversation_id,
  createdAt: p.created_at,
  inReplyToId: p.referenced_tweets?.find((r) => r.type === 'replied_to')?.id,
  ...(p.entities ? { mentions: p.entities.mentions ?? [] } : {}),
  ...(p.referenced_tweets?.some((r) => r.type === 'quoted') ? { quotes: true } : {}),
});

/** Maps the event's payload for `account` (whose X user id is the filter's). */
export function mapPushEvent(envelope: PushEnvelope, account: Account): PushMapping {
  const { event_type: type, payload, includes } = envelope.data;
  const users = new Map<string, XUser>((includes?.users ?? []).map((u) => [u.id, u]));
  if (type === 'post.mention.create') {
    const parsed = post.safeParse(payload);
    if (!parsed.success) return invalid(parsed.error);
    if (parsed.data.author_id === account.userId) return { outcome: 'skipped', reason: 'our own post' };
    return { outcome: 'message', message: mentionToMessage(toPost(parsed.data), users, account) };
  }
  if (type === 'dm.received') {
    const parsed = dmEvent.safeParse(payload);
    if (!parsed.success) return invalid(parsed.error);
    const e = parsed.data;
    // polling skips these too: our own replies come back as events, joins and leaves carry no text
    if (e.event_type !== 'MessageCreate' || e.sender_id === account.userId) return { outcome: 'skipped', reason: `a ${e.event_type} event from ${e.sender_id ?? 'nobody'}` };
    return {
      outcome: 'message',
      message: dmToMessage({ id: e.id, eventType: e.event_type, text: e.text, senderId: e.sender_id, dmConversationId: e.dm_conversation_id, createdAt: e.created_at }, users, account),
    };
  }
  return { outcome: 'skipped', reason: `event type ${type} is not one Switchboard takes in` };
}
