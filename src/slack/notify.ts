import type { types, webApi } from '@slack/bolt';
import type { Types } from 'mongoose';
import { AppError } from '../domain/errors';
import { t, type Locale } from '../i18n';
import { ConversationModel } from '../store/models/conversation';
import { MessageModel } from '../store/models/message';
import { SlackThreadModel, slackThreadKey } from '../store/models/slack-thread';
import { withLease } from '../store/repositories/leases';
import { conversationBlocks, followUpBlocks } from './blocks';
import { cardOf } from './card';
import type { DepartmentDirectory } from './directory';
import { findOurPost, isCard, ourMetadata } from './our-posts';

type WebClient = webApi.WebClient;
type PostOutcome = 'posted' | 'already' | 'no_channel' | 'busy';

/** Thrown when a thread reply must wait for its card; the job retries it later. */
export class SlackNotReadyError extends AppError {
  constructor(message: string) {
    super('slack_not_ready', message);
  }
}

/**
 * Posts conversations to their department's channel and follow-ups to the thread, once each:
 * an attempt whose outcome is unknown is looked up in Slack (by our message metadata) before posting again.
 */
export class SlackNotifier {
  constructor(
    private readonly client: WebClient,
    private readonly directory: DepartmentDirectory,
    /** how long a dead poster's lease blocks its item (renewed while a post runs): the jobs' lock lifetime */
    private readonly leaseMs = 30_000,
    /** the language of messages nobody in particular asked for (new cards, follow-ups, alerts) */
    readonly locale: Locale = 'en',
    private readonly localeOfUser?: (userId: string) => Promise<Locale>,
  ) {}

  /** Whether a department's conversations have a channel to be carded in (else nothing of theirs is posted). */
  canPost(department: string): boolean {
    return this.directory.channelOf(department) !== undefined;
  }

  /** The language of a message for this Slack user: theirs (users.info), else the default. */
  localeFor(userId: string | null | undefined): Promise<Locale> {
    return userId && this.localeOfUser ? this.localeOfUser(userId) : Promise.resolve(this.locale);
  }

  private readonly owner = `${process.pid}:${Math.random().toString(36).slice(2)}`;
  private readonly threadListeners: ((channel: string, ts: string) => Promise<void>)[] = [];

  /** Hears each card's thread once it is recorded (agent replies that came first are waiting for it). */
  onThreadRecorded(listener: (channel: string, ts: string) => Promise<void>): void {
    this.threadListeners.push(listener);
  }

  /** One poster per item: the sweep's queueOnce re-arms (unlocks) a job that may still be running, so agenda's lock alone allows a twin. */
  exclusively<T>(key: string, work: () => Promise<T>, busy: T): Promise<T> {
    return withLease(`slack:${key}`, this.owner, this.leaseMs, work, busy);
  }

  postConversation(conversationId: Types.ObjectId | string): Promise<PostOutcome> {
    return this.exclusively(`conversation:${String(conversationId)}`, () => this.postConversationNow(conversationId), 'busy');
  }

  postFollowUp(messageId: Types.ObjectId | string): Promise<PostOutcome> {
    return this.exclusively(`message:${String(messageId)}`, () => this.postFollowUpNow(messageId), 'busy');
  }

  /** A conversation moved to another department while its card was being posted is posted again there (twice at most). */
  private async postConversationNow(conversationId: Types.ObjectId | string): Promise<PostOutcome> {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const outcome = await this.postCard(conversationId);
      if (outcome !== 'moved') return outcome;
    }
    throw new SlackNotReadyError(`conversation ${String(conversationId)} kept moving while its card was posted`);
  }

  private async postCard(conversationId: Types.ObjectId | string): Promise<PostOutcome | 'moved'> {
    const conversation = await ConversationModel.findById(conversationId).lean();
    if (!conversation) return 'already';
    if (conversation.slack?.ts) return 'already';
    const channel = this.directory.channelOf(conversation.department);
    if (!channel) return 'no_channel';
    const key = `conversation:${String(conversation._id)}`;
    const found = conversation.slackPostStartedAt ? await this.findOurPost(channel, key, conversation.slackPostStartedAt) : undefined;
    let ts = found;
    if (!ts) {
      // only the attempt's start: a reassignment or a follow-up writing the same conversation keeps its fields
      const started = await ConversationModel.updateOne({ _id: conversation._id, 'slack.ts': { $exists: false } }, { $set: { slackPostStartedAt: new Date() } });
      if (started.matchedCount === 0) return 'already';
      const card = cardOf(conversation, await this.firstInbound(conversation._id), this.directory);
      const res = await this.client.chat.postMessage({
        channel,
        ...conversationBlocks(card, this.directory.list(), this.locale),
        unfurl_links: false,
        metadata: ourMetadata(key),
      });
      ts = res.ts;
    }
    if (!ts) throw new Error(`Slack answered chat.postMessage without a ts for ${key}`);
    await SlackThreadModel.updateOne({ _id: slackThreadKey(channel, ts) }, { $set: { conversationId: conversation._id } }, { upsert: true });
    // the card is the department's it was posted for: a move since then (its announcement found no card) posts anew
    const recorded = await ConversationModel.updateOne({ _id: conversation._id, department: conversation.department }, { $set: { slack: { channel, ts } } });
    if (recorded.matchedCount === 0) {
      await this.markMovedAway(conversation._id, channel, ts);
      return 'moved';
    }
    // the card shows the first message: recorded as posted, the reconciliation sweep never takes it for a follow-up
    if (conversation.firstMessageId) await MessageModel.updateOne({ _id: conversation.firstMessageId }, { $set: { slack: { channel, ts } } });
    for (const listener of this.threadListeners) await listener(channel, ts);
    return 'posted';
  }

  /** A card posted for a department the conversation left meanwhile says where it went, without buttons. */
  private async markMovedAway(conversationId: Types.ObjectId, channel: string, ts: string): Promise<void> {
    const now = await ConversationModel.findById(conversationId).lean();
    if (!now) return;
    const card = { ...cardOf(now, await this.firstInbound(conversationId), this.directory), movedTo: { to: this.directory.name(now.department) } };
    await this.client.chat.update({ channel, ts, ...conversationBlocks(card, this.directory.list(), this.locale) });
  }

  private async postFollowUpNow(messageId: Types.ObjectId | string): Promise<PostOutcome> {
    const message = await MessageModel.findById(messageId).lean();
    if (!message || message.slack?.ts) return 'already';
    const conversation = await ConversationModel.findById(message.conversationId).lean();
    if (!conversation) return 'already';
    if (!conversation.slack?.ts || !conversation.slack.channel) {
      if (!this.directory.channelOf(conversation.department)) return 'no_channel';
      throw new SlackNotReadyError(`conversation ${String(conversation._id)} has no Slack thread yet`);
    }
    const { channel, ts: threadTs } = conversation.slack;
    const key = `message:${String(message._id)}`;
    let ts = message.slackPostStartedAt ? await this.findOurPost(channel, key, message.slackPostStartedAt, threadTs) : undefined;
    if (!ts) {
      const started = await MessageModel.updateOne({ _id: message._id, 'slack.ts': { $exists: false } }, { $set: { slackPostStartedAt: new Date() } });
      if (started.matchedCount === 0) return 'already';
      const customer = message.author?.handle ?? message.author?.name ?? t(this.locale, 'slack.card.aCustomer');
      const res = await this.client.chat.postMessage({
        channel,
        thread_ts: threadTs,
        ...followUpBlocks(message.text, customer, this.locale),
        unfurl_links: false,
        metadata: ourMetadata(key),
      });
      ts = res.ts;
    }
    await MessageModel.updateOne({ _id: message._id }, { $set: { slack: { channel, ts } } });
    return 'posted';
  }

  /**
   * Redraws a conversation's card after an action (assigned, moved, resolved, tagged), in the language of whoever acted.
   * Another process's redraw may land after this one with what it read earlier: drawn again until nothing changed since.
   */
  async refreshCard(conversationId: Types.ObjectId | string, movedTo?: { to: string; by: string }, locale: Locale = this.locale): Promise<void> {
    let drawn: { channel: string; ts: string; at?: number } | undefined;
    for (let round = 1; round <= 3; round++) {
      const conversation = await ConversationModel.findById(conversationId).lean();
      if (!conversation) return;
      const card = conversation.slack;
      if (drawn && card?.ts !== drawn.ts) {
        // moved away since the last draw: that card says where it went, not what it offered before
        if (!movedTo) await this.markMovedAway(conversation._id, drawn.channel, drawn.ts);
        return;
      }
      if (!card?.ts || !card.channel) return;
      if (drawn && drawn.at === conversation.updatedAt?.getTime()) return;
      const shown = { ...cardOf(conversation, await this.firstInbound(conversation._id), this.directory), movedTo };
      await this.client.chat.update({ channel: card.channel, ts: card.ts, ...conversationBlocks(shown, this.directory.list(), locale) });
      drawn = { channel: card.channel, ts: card.ts, at: conversation.updatedAt?.getTime() };
    }
  }

  /** The message a card shows: the conversation's earliest inbound one. */
  private firstInbound(conversationId: Types.ObjectId) {
    return MessageModel.findOne({ conversationId, direction: 'inbound' }).sort({ sentAt: 1, _id: 1 }).lean();
  }

  /** A line of ours in the conversation's thread (plain text: our own words, but links stay links). */
  async sayInThread(conversationId: unknown, text: string): Promise<void> {
    const conversation = await ConversationModel.findById(conversationId, { slack: 1 }).lean();
    if (!conversation?.slack?.ts || !conversation.slack.channel) return;
    await this.postInThread(conversation.slack.channel, conversation.slack.ts, text);
  }

  async postInThread(channel: string, threadTs: string, text: string): Promise<void> {
    await this.client.chat.postMessage({ channel, thread_ts: threadTs, text, unfurl_links: false });
  }

  /**
   * A line of ours in the conversation's thread, posted once: `startedAt` is when an earlier attempt began
   * (its outcome unknown: looked up by `key` first), `starting` records that this one begins. Undefined: no thread.
   */
  async postOnceInThread(
    conversationId: unknown,
    key: string,
    content: { text: string; blocks?: types.KnownBlock[] },
    startedAt: Date | null | undefined,
    starting: (at: Date) => Promise<void>,
  ): Promise<string | undefined> {
    const conversation = await ConversationModel.findById(conversationId, { slack: 1 }).lean();
    if (!conversation?.slack?.ts || !conversation.slack.channel) return undefined;
    const { channel, ts: threadTs } = conversation.slack;
    const found = startedAt ? await this.findOurPost(channel, key, startedAt, threadTs) : undefined;
    if (found) return found;
    await starting(new Date());
    const res = await this.client.chat.postMessage({
      channel, thread_ts: threadTs, ...content, unfurl_links: false, metadata: ourMetadata(key),
    });
    if (!res.ts) throw new Error(`Slack answered chat.postMessage without a ts for ${key}`);
    return res.ts;
  }

  async postToChannel(channel: string, text: string): Promise<void> {
    await this.client.chat.postMessage({ channel, text, unfurl_links: false });
  }

  async react(channel: string, ts: string, name: string): Promise<void> {
    try {
      await this.client.reactions.add({ channel, timestamp: ts, name });
    } catch (err) {
      if ((err as { data?: { error?: string } }).data?.error !== 'already_reacted') throw err;
    }
  }

  /** Whether the message at `ts` is one of our conversation cards (by the metadata we post it with). */
  isCard(channel: string, ts: string): Promise<boolean> {
    return isCard(this.client, channel, ts);
  }

  private findOurPost(channel: string, key: string, since: Date, threadTs?: string): Promise<string | undefined> {
    return findOurPost(this.client, channel, key, since, threadTs);
  }
}
