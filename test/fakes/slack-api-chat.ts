/** The writing methods: chat.postMessage, chat.update, chat.postEphemeral, reactions.add. */
import type { FakeSlackChannel, FakeSlackMessage, FakeSlackState, SlackMetadata } from './slack-api-state';
import { bool, fail, str, structured } from './slack-api-wire';
import type { SlackAnswer, SlackArgs } from './slack-api-wire';

export interface MethodInput {
  state: FakeSlackState;
  args: SlackArgs;
}
export type MethodHandler = (input: MethodInput) => SlackAnswer;

interface Content {
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: SlackMetadata;
}

const MAX_TEXT = 40_000;
const MAX_BLOCKS = 50;
const isAnswer = (v: unknown): v is SlackAnswer => typeof v === 'object' && v !== null && 'ok' in v;

/** text, blocks, attachments and metadata as Slack validates them; `no_text` when there is nothing to show. */
function content(args: SlackArgs, required: boolean): Content | SlackAnswer {
  const out: Content = { text: str(args, 'text') };
  if (args.blocks !== undefined) {
    const blocks = structured(args, 'blocks');
    if (!Array.isArray(blocks)) return fail('invalid_blocks_format');
    const typed = blocks.every((b) => typeof b === 'object' && b !== null && typeof (b as { type?: unknown }).type === 'string');
    if (!typed || blocks.length > MAX_BLOCKS) return fail('invalid_blocks');
    out.blocks = blocks;
  }
  if (args.attachments !== undefined) {
    const attachments = structured(args, 'attachments');
    if (!Array.isArray(attachments)) return fail('invalid_attachments');
    out.attachments = attachments;
  }
  if (args.metadata !== undefined) {
    const m = structured(args, 'metadata') as Partial<SlackMetadata> | null;
    const payloadOk = typeof m?.event_payload === 'object' && m.event_payload !== null;
    if (typeof m?.event_type !== 'string' || !payloadOk) return fail('invalid_metadata_format');
    out.metadata = { event_type: m.event_type, event_payload: m.event_payload as Record<string, unknown> };
  }
  if ((out.text?.length ?? 0) > MAX_TEXT) return fail('msg_too_long');
  if (required && out.text === undefined && !out.blocks?.length && !out.attachments?.length) return fail('no_text');
  return out;
}

/** The channel the bot may write to: unknown (and private without the bot) is `channel_not_found`. */
function writable(state: FakeSlackState, args: SlackArgs): FakeSlackChannel | SlackAnswer {
  const channel = state.channel(str(args, 'channel'));
  if (!channel || (channel.isPrivate && !channel.isMember)) return fail('channel_not_found');
  if (!channel.isMember) return fail('not_in_channel');
  return channel;
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const postMessage: MethodHandler = ({ state, args }) => {
  const channel = writable(state, args);
  if (isAnswer(channel)) return channel;
  const body = content(args, true);
  if (isAnswer(body)) return body;
  const threadTs = str(args, 'thread_ts');
  // stricter than Slack, which may post a reply to an unknown thread at top level: tests should see the wrong ts
  if (threadTs !== undefined && !state.find(channel.id, threadTs)) return fail('thread_not_found');
  const { botUserId: user, botId: bot_id, appId: app_id } = state.identity;
  const broadcast = threadTs !== undefined && bool(args, 'reply_broadcast');
  const message = state.add(channel.id, defined({
    user, bot_id, app_id, text: body.text ?? '', blocks: body.blocks, attachments: body.attachments, metadata: body.metadata,
    thread_ts: threadTs, subtype: broadcast ? 'thread_broadcast' : undefined,
  }));
  return { ok: true, channel: channel.id, ts: message.ts, message: structuredClone(message) };
};

const update: MethodHandler = ({ state, args }) => {
  const channel = state.channel(str(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  const message = state.find(channel.id, str(args, 'ts'));
  if (!message) return fail('message_not_found');
  if (message.bot_id !== state.identity.botId) return fail('cant_update_message');
  const body = content(args, true);
  if (isAnswer(body)) return body;
  if (body.text !== undefined) message.text = body.text;
  if (body.blocks) message.blocks = body.blocks;
  if (body.attachments) message.attachments = body.attachments;
  if (body.metadata) message.metadata = body.metadata;
  message.edited = { user: state.identity.botUserId, ts: state.nextTs() };
  return { ok: true, channel: channel.id, ts: message.ts, text: message.text, message: structuredClone(message) };
};

const postEphemeral: MethodHandler = ({ state, args }) => {
  const channel = writable(state, args);
  if (isAnswer(channel)) return channel;
  const user = str(args, 'user');
  if (!user || !state.users.has(user)) return fail('user_not_in_channel');
  const body = content(args, true);
  if (isAnswer(body)) return body;
  const message_ts = state.nextTs();
  state.ephemerals.push(defined({ channel: channel.id, user, message_ts, text: body.text, blocks: body.blocks, thread_ts: str(args, 'thread_ts') }));
  return { ok: true, message_ts };
};

const EMOJI = /^[a-z0-9_+'-]+(::skin-tone-[2-6])?$/;

const reactionsAdd: MethodHandler = ({ state, args }) => {
  const channelArg = str(args, 'channel');
  const timestamp = str(args, 'timestamp');
  if (!channelArg || !timestamp) return fail('no_item_specified');
  const channel = state.channel(channelArg);
  if (!channel) return fail('channel_not_found');
  const message: FakeSlackMessage | undefined = state.find(channel.id, timestamp);
  if (!message) return fail('message_not_found');
  const name = str(args, 'name');
  if (!name || !EMOJI.test(name)) return fail('invalid_name');
  const user = state.identity.botUserId;
  const reactions = (message.reactions ??= []);
  let reaction = reactions.find((r) => r.name === name);
  if (reaction?.users.includes(user)) return fail('already_reacted');
  if (!reaction) reactions.push((reaction = { name, users: [], count: 0 }));
  reaction.users.push(user);
  reaction.count += 1;
  return { ok: true };
};

export const CHAT_METHODS: Record<string, MethodHandler> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.postEphemeral': postEphemeral,
  'reactions.add': reactionsAdd,
};
