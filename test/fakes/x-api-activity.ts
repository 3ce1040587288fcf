/**
 * The X Activity API subscription endpoints of the fake X API (GET/POST /2/activity/subscriptions, from the OpenAPI
 * description): OAuth 2.0 user tokens per user, the request body checked as the description says, X's error bodies.
 */
import type { RouteAnswer, RouteInput } from './x-api-routes';
import { invalidRequest, problem } from './x-api-wire';

export interface FakeSubscription {
  subscription_id: string;
  event_type: string;
  filter: { user_id?: string; direction?: string; keyword?: string };
  tag?: string;
  webhook_id?: string;
  created_at: string;
  updated_at: string;
}

// the description's enum for POST /2/activity/subscriptions
const EVENT_TYPES = new Set(['profile.update.bio', 'profile.update.profile_picture', 'profile.update.banner_picture', 'profile.update.screenname',
  'profile.update.geo', 'profile.update.url', 'profile.update.verified_badge', 'profile.update.affiliate_badge', 'profile.update.handle', 'news.new',
  'follow.follow', 'follow.unfollow', 'spaces.start', 'spaces.end', 'chat.received', 'chat.sent', 'chat.conversation_join', 'dm.sent', 'dm.received',
  'dm.indicate_typing', 'dm.read', 'post.create', 'post.delete', 'post.mention.create', 'like.create', 'mute.mute', 'mute.unmute', 'block.block', 'block.unblock']);
const BODY_KEYS = new Set(['event_type', 'filter', 'tag', 'webhook_id']);
const FILTER_KEYS = new Set(['direction', 'keyword', 'user_id']);
const ID = /^[0-9]{1,19}$/;

/** What the fake X knows of push: which OAuth 2.0 user token belongs to whom, and the app's subscriptions. */
export class FakeActivityState {
  readonly subscriptions: FakeSubscription[] = [];
  /** token → X user id and its scopes */
  readonly tokens = new Map<string, { userId: string; scopes: Set<string> }>();
  private seq = 1_800_000_000_000_000_000n;

  grantToken(token: string, userId: string, scopes = ['tweet.read', 'dm.read', 'users.read']): void {
    this.tokens.set(token, { userId, scopes: new Set(scopes) });
  }

  nextId(): string {
    this.seq += 1n;
    return this.seq.toString();
  }
}

const bearerOf = (authorization?: string): string | undefined => (authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined);

export function listSubscriptions({ state: { activity }, authorization }: RouteInput): RouteAnswer {
  {
    const token = bearerOf(authorization);
    if (token && !activity.tokens.has(token)) return { status: 401, body: problem(401) };
    // no subscriptions: X leaves `data` out
    return { status: 200, body: activity.subscriptions.length > 0 ? { data: activity.subscriptions } : {} };
  }
}

export function createSubscription({ state: { activity }, body, authorization }: RouteInput): RouteAnswer {
  {
    const token = bearerOf(authorization);
    const grant = token ? activity.tokens.get(token) : undefined;
    if (!grant) return { status: 401, body: problem(401) };
    const b = (body ?? {}) as { event_type?: unknown; filter?: Record<string, unknown>; tag?: unknown; webhook_id?: unknown };
    const extra = Object.keys(b).find((k) => !BODY_KEYS.has(k)) ?? Object.keys(b.filter ?? {}).find((k) => !FILTER_KEYS.has(k));
    if (extra) return { status: 400, body: invalidRequest(extra, '', `[${extra}] is not one of the allowed properties`) };
    if (typeof b.event_type !== 'string' || !EVENT_TYPES.has(b.event_type)) return { status: 400, body: invalidRequest('event_type', String(b.event_type), 'event_type is not a supported event type') };
    if (typeof b.filter !== 'object') return { status: 400, body: invalidRequest('filter', '', 'filter is required') };
    const userId = b.filter.user_id;
    if (typeof userId !== 'string' || !ID.test(userId)) return { status: 400, body: invalidRequest('filter.user_id', String(userId), 'filter.user_id does not match ^[0-9]{1,19}$') };
    if (b.webhook_id !== undefined && (typeof b.webhook_id !== 'string' || !ID.test(b.webhook_id))) {
      return { status: 400, body: invalidRequest('webhook_id', JSON.stringify(b.webhook_id) ?? '', 'webhook_id does not match ^[0-9]{1,19}$') };
    }
    // the description: dm.read for dm.* events, tweet.read for the others; private events only with that user's own authorisation
    const scope = b.event_type.startsWith('dm.') || b.event_type.startsWith('chat.') ? 'dm.read' : 'tweet.read';
    if (!grant.scopes.has(scope)) return { status: 403, body: { ...problem(403, `The token lacks the ${scope} scope`), type: 'https://api.x.com/2/problems/client-forbidden' } };
    if (scope === 'dm.read' && grant.userId !== userId) return { status: 403, body: problem(403, 'You are not authorized to subscribe to private events of this user') };
    const now = new Date().toISOString();
    const subscription: FakeSubscription = {
      subscription_id: activity.nextId(),
      event_type: b.event_type,
      filter: { user_id: userId },
      ...(typeof b.tag === 'string' ? { tag: b.tag } : {}),
      ...(typeof b.webhook_id === 'string' ? { webhook_id: b.webhook_id } : {}),
      created_at: now,
      updated_at: now,
    };
    activity.subscriptions.push(subscription);
    return { status: 200, body: { data: { subscription }, meta: { total_subscriptions: activity.subscriptions.length } } };
  }
}
