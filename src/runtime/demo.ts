import { REPLAY_CHANNELS, readReplayFile } from '../../connectors/replay/file';
import { planHistory, type HistoryItem } from '../../connectors/replay/history';
import { toInbound } from '../../connectors/replay';
import { recordAction } from '../audit/record';
import { ingestMessage, type PipelineDeps } from '../ingest/pipeline';
import type { SlaClock } from '../sla/clock';
import { insertOnce } from '../store/connection';
import { messageIdFor } from '../store/ids';
import { ActivityModel } from '../store/models/activity';
import { ChannelAccountModel } from '../store/models/channel-account';
import { ConversationModel } from '../store/models/conversation';
import { MessageModel } from '../store/models/message';
import { RoutingEventModel } from '../store/models/routing-event';
import { SlaAlertModel } from '../store/models/sla-alert';
import { SlackThreadModel } from '../store/models/slack-thread';
import { TrainingExampleModel } from '../store/models/training-example';
import { reassignConversation, setConversationStatus } from '../store/repositories/conversations';
import { markRollupDaysStale } from '../store/repositories/sla-rollups';
import { registerAccount, saveCursor } from '../store/repositories/channel-accounts';
import type { Logger } from './logger';

export interface DemoHistoryOptions {
  file: string;
  days: number;
  clock: SlaClock;
  pipeline: PipelineDeps;
  logger: Logger;
  now?: Date;
}

export interface DemoHistoryResult {
  played: boolean;
  conversations: number;
  replies: number;
  corrections: number;
  resolved: number;
  /** the line the live replay goes on from */
  liveFrom: number;
  /** customer messages played (a few are follow-ups in a conversation) */
  messages: number;
}

const CHANNEL = 'replay';
// about half the file makes the week; the live replay plays the rest, then starts over with new ids
const SHARE = 0.5;

const REPLIES: Record<string, [en: string, de: string]> = {
  support: ['Sorry about that! Could you send us your device ID by DM? We will look at it right away.', 'Das tut uns leid! Schick uns bitte deine Geräte-ID per DM, wir schauen sofort nach.'],
  sales: ['Thanks for asking! I have sent you the details and a quote by DM.', 'Danke für die Anfrage! Ich habe dir die Details und ein Angebot per DM geschickt.'],
  product: ['Great idea, thank you! I have passed it on to our product team.', 'Tolle Idee, danke! Ich habe sie an unser Produktteam weitergegeben.'],
  hr: ['Thanks for your interest! All open positions are on our careers page.', 'Danke für dein Interesse! Alle offenen Stellen findest du auf unserer Karriereseite.'],
  other: ['Thanks for reaching out! Our communications team will get back to you.', 'Danke für deine Nachricht! Unser Kommunikationsteam meldet sich bei dir.'],
};

/** Plays a week of backdated history once per database (until `npm run demo:reset`); the start log says what it did. */
export async function playDemoHistory(options: DemoHistoryOptions): Promise<DemoHistoryResult> {
  const lines = readReplayFile(options.file);
  const account = lines[0]?.source ?? 'replay';
  const key = { channel: CHANNEL, account };
  const count = Math.floor(lines.length * SHARE);
  await registerAccount(key); // the live replay's account: its cursor records that the week was played
  const stored = await ChannelAccountModel.findOne(key, { cursor: 1 }).lean();
  const cursor = (stored?.cursor ?? {}) as Record<string, string>;
  if (cursor.history === 'played' || options.days === 0) {
    return { played: false, conversations: 0, messages: 0, replies: 0, corrections: 0, resolved: 0, liveFrom: Number(cursor.line ?? 0) };
  }
  const now = options.now ?? new Date();
  const plan = planHistory(lines, { now, days: options.days, count });
  options.logger.info(
    { messages: plan.length, from: plan[0]?.at, to: now },
    `demo replay: playing ${options.days} days of history first (${plan.length} customer messages, backdated, with simulated agent replies, corrections and resolutions); then live messages`,
  );
  const result: DemoHistoryResult = { played: true, conversations: 0, messages: 0, replies: 0, corrections: 0, resolved: 0, liveFrom: count };
  // a few at a time: each conversation's own steps stay in order
  for (let i = 0; i < plan.length; i += 6) await Promise.all(plan.slice(i, i + 6).map((item) => playOne(item, account, options, result)));
  await saveCursor(key, { ...cursor, line: String(Math.max(count, Number(cursor.line ?? 0))), history: 'played' });
  return result;
}

async function playOne(item: HistoryItem, account: string, options: DemoHistoryOptions, result: DemoHistoryResult): Promise<void> {
  // the clocks come with the insert; the cards of a past week are not posted
  const pipeline: PipelineDeps = {
    ...options.pipeline,
    openingSla: (department, at) => options.clock.opening(department, at),
    onNewConversation: () => Promise.resolve(),
    onFollowUp: (_messageId, conversationId, at) => options.clock.customerMessage(conversationId, at),
  };
  const { conversationId: id, outcome, department: opened } = await ingestMessage(toInbound(item.line, item.at), pipeline);
  if (outcome !== 'stored') return;
  result.messages += 1;
  if (opened) result.conversations += 1;
  await RoutingEventModel.updateOne({ conversationId: id, method: { $ne: 'manual' } }, { $set: { createdAt: item.at } }, { timestamps: false });
  const conversation = await ConversationModel.findById(id, { department: 1, kind: 1, routing: 1 }).lean();
  if (!conversation) return;
  let department = conversation.department;
  const intended = item.line.department;
  if (intended && intended !== department) {
    const agent = item.reply?.agent ?? 'Mara Schulz';
    const moved = await reassignConversation(id, intended, `demo:${agent}`, department === 'triage' ? 'routed from triage' : 'not ours');
    if (moved?.changed) {
      await RoutingEventModel.updateOne({ conversationId: conversation._id, method: 'manual' }, { $set: { createdAt: item.correctAt } }, { timestamps: false });
      await options.clock.reassigned(id, intended, item.correctAt);
      department = intended;
      result.corrections += 1;
    }
  }
  if (item.reply) {
    const { at, agent } = item.reply;
    const externalId = `history-reply:${item.line.externalId}`;
    const channel = item.line.channel ?? CHANNEL;
    const german = conversation.routing?.lang === 'de';
    const text = (REPLIES[department] ?? REPLIES.other!)[german ? 1 : 0];
    await insertOnce(() =>
      MessageModel.create({
        _id: messageIdFor({ channel, account, externalId }), channel, account, externalId, conversationId: conversation._id,
        direction: 'outbound', kind: conversation.kind, author: { id: `demo:${agent}`, name: agent }, text, sentAt: at,
        delivery: { state: 'sent', attempts: 1, sentAt: at, sentExternalId: `replay-${externalId}` },
      }),
    );
    await ConversationModel.updateOne({ _id: conversation._id }, { $set: { assignee: { name: agent } } });
    await recordAction({ conversationId: conversation._id, type: 'replied', actor: `demo:${agent}` });
    await options.clock.agentReplied(id, at);
    result.replies += 1;
  }
  if (item.resolveAt) {
    await setConversationStatus(id, 'resolved', item.resolveAt);
    await options.clock.statusChanged(id, 'resolved', item.resolveAt);
    result.resolved += 1;
  }
}

/**
 * Deletes what the demo replay stored (its conversations, messages, routing events, activities, alerts, the
 * corrections it taught, and the replay account with its cursor), so the next start plays the week again.
 * Tokens, models and real channels' data stay.
 */
export async function resetDemo(): Promise<{ conversations: number; messages: number }> {
  // the demo's Bluesky, Mastodon and e-mail lines belong to the replay account; real accounts of those channels stay
  const accounts = (await ChannelAccountModel.find({ channel: CHANNEL }, { account: 1 }).lean()).map((a) => a.account);
  const demo = { $or: [{ channel: CHANNEL }, { channel: { $in: REPLAY_CHANNELS.filter((c) => c !== CHANNEL) }, account: { $in: accounts } }] };
  const stored = await ConversationModel.find(demo, { _id: 1, firstMessageAt: 1 }).lean();
  const ids = stored.map((c) => c._id);
  const byConversation = { conversationId: { $in: ids } };
  const messages = await MessageModel.deleteMany(demo);
  await Promise.all([
    RoutingEventModel.deleteMany(byConversation),
    ActivityModel.deleteMany(byConversation),
    SlaAlertModel.deleteMany(byConversation),
    SlackThreadModel.deleteMany(byConversation),
    TrainingExampleModel.deleteMany({ ...byConversation, source: 'correction' }),
    ChannelAccountModel.deleteMany({ channel: CHANNEL }),
  ]);
  const conversations = await ConversationModel.deleteMany({ _id: { $in: ids } });
  await markRollupDaysStale(stored.map((c) => c.firstMessageAt));
  return { conversations: conversations.deletedCount, messages: messages.deletedCount };
}
