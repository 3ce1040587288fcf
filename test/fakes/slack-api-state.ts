/** What the fake Slack workspace holds: the bot's identity, channels, users, messages, reactions, views. */

export interface SlackIdentity {
  token: string;
  teamId: string;
  teamName: string;
  teamDomain: string;
  botUserId: string;
  botId: string;
  appId: string;
}

/** The workspace and bot the fake answers as; the request helpers in test/support/slack-requests.ts use the same. */
export const DEFAULT_SLACK_IDENTITY: SlackIdentity = {
  token: 'xoxb-fake-bot-token', teamId: 'T0SWITCHBD', teamName: 'Switchboard Test', teamDomain: 'switchboard-test',
  botUserId: 'U0SWBOTUSR', botId: 'B0SWBOTAPP', appId: 'A0SWITCHBD',
};

export interface FakeSlackChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  /** whether the bot is in it: posting elsewhere answers `not_in_channel` */
  isMember: boolean;
  created: number;
}

export interface FakeSlackUser {
  id: string;
  name: string;
  realName: string;
  displayName: string;
  email?: string;
  isBot: boolean;
  /** IETF tag Slack shows the person in ('de-DE'); users.info returns it only with include_locale */
  locale: string;
}

export interface SlackMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

export interface SlackReaction { name: string; users: string[]; count: number }

/** A message as conversations.history/replies answers it. */
export interface FakeSlackMessage {
  type: 'message';
  ts: string;
  text: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  team: string;
  subtype?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  thread_ts?: string;
  parent_user_id?: string;
  reply_count?: number;
  reply_users?: string[];
  reply_users_count?: number;
  latest_reply?: string;
  metadata?: SlackMetadata;
  reactions?: SlackReaction[];
  edited?: { user: string; ts: string };
}

export interface FakeSlackEphemeral {
  channel: string;
  user: string;
  message_ts: string;
  text?: string;
  blocks?: unknown[];
  thread_ts?: string;
}

export interface FakeSlackView {
  trigger_id: string;
  view: Record<string, unknown>;
  id: string;
}

export class FakeSlackState {
  readonly channels = new Map<string, FakeSlackChannel>();
  readonly users = new Map<string, FakeSlackUser>();
  readonly ephemerals: FakeSlackEphemeral[] = [];
  readonly views: FakeSlackView[] = [];
  readonly usedTriggers = new Set<string>();
  private readonly byChannel = new Map<string, FakeSlackMessage[]>();
  private lastMicros = 0;

  constructor(readonly identity: SlackIdentity) {}

  /** Slack-style ts ('1732700000.000100'): epoch seconds and six digits, strictly increasing. */
  nextTs(): string {
    this.lastMicros = Math.max(Date.now() * 1000, this.lastMicros + 1);
    return `${Math.floor(this.lastMicros / 1e6)}.${String(this.lastMicros % 1e6).padStart(6, '0')}`;
  }

  /** By ID, or by name as chat.postMessage allows ('support' or '#support'). */
  channel(idOrName: string | undefined): FakeSlackChannel | undefined {
    if (!idOrName) return undefined;
    const name = idOrName.replace(/^#/, '');
    return this.channels.get(idOrName) ?? [...this.channels.values()].find((c) => c.name === name);
  }

  all(channelId: string): FakeSlackMessage[] {
    let list = this.byChannel.get(channelId);
    if (!list) this.byChannel.set(channelId, (list = []));
    return list;
  }

  find(channelId: string, ts: string | undefined): FakeSlackMessage | undefined {
    return ts === undefined ? undefined : this.all(channelId).find((m) => m.ts === ts);
  }

  /** What the channel shows: top-level messages and replies also sent to the channel, oldest first. */
  history(channelId: string): FakeSlackMessage[] {
    return this.all(channelId).filter((m) => !isReply(m) || m.subtype === 'thread_broadcast');
  }

  /** Replies of the thread `ts` (not the parent), oldest first. */
  replies(channelId: string, ts: string): FakeSlackMessage[] {
    return this.all(channelId).filter((m) => isReply(m) && m.thread_ts === ts);
  }

  /** Stores a message; a reply joins its parent's thread (a reply's ts counts as its parent's). */
  add(channelId: string, message: Omit<FakeSlackMessage, 'ts' | 'type' | 'team'>): FakeSlackMessage {
    const stored: FakeSlackMessage = { type: 'message', ts: this.nextTs(), team: this.identity.teamId, ...message };
    if (message.thread_ts !== undefined) {
      const parent = this.find(channelId, message.thread_ts);
      const root = parent && isReply(parent) ? this.find(channelId, parent.thread_ts) : parent;
      if (!root) throw new Error(`thread ${message.thread_ts} not found in ${channelId}`);
      const author = stored.user ?? stored.bot_id ?? '';
      root.thread_ts = root.ts;
      root.reply_count = (root.reply_count ?? 0) + 1;
      root.reply_users = [...new Set([...(root.reply_users ?? []), author])];
      root.reply_users_count = root.reply_users.length;
      root.latest_reply = stored.ts;
      stored.thread_ts = root.ts;
      stored.parent_user_id = root.user;
    }
    this.all(channelId).push(stored);
    return stored;
  }
}

export const isReply = (m: FakeSlackMessage): boolean => m.thread_ts !== undefined && m.thread_ts !== m.ts;
