/**
 * Inbound Slack requests for supertest: Events API callbacks (../shared/specs/slack-event-wrapper-schema.json, with
 * today's `authorizations` in place of the deprecated `authed_users`), interactive `block_actions`, v0 signatures.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { DEFAULT_SLACK_IDENTITY as ID } from '../fakes/slack-api';

export interface SlackSignedHeaders {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
  'content-type': 'application/json' | 'application/x-www-form-urlencoded';
}
export type SlackRetryReason = 'http_timeout' | 'http_error' | 'connection_failed' | 'ssl_error' | 'too_many_websocket_messages' | 'unknown_error';
type Json = Record<string, unknown>;

const VERIFICATION_TOKEN = 'Jhj5dZrVaK7ZwHHjRyZWjbDl';
const INTERACTIVE = new Set(['block_actions', 'view_submission', 'view_closed', 'shortcut', 'message_action']);
const nowSeconds = (): number => Math.floor(Date.now() / 1000);
let counter = 0;

/** Slack's v0 signature over the exact raw body; the content type follows the body (JSON, or a `payload=` form). */
export function signSlackRequest(signingSecret: string, rawBody: string, timestampSeconds = nowSeconds()): SlackSignedHeaders {
  const signature = createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex');
  return {
    'x-slack-signature': `v0=${signature}`,
    'x-slack-request-timestamp': String(timestampSeconds),
    // exactly as Slack sends them: Bolt reads a form only when the type has no charset
    'content-type': rawBody.trimStart().startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded',
  };
}

/** Headers Slack adds when it delivers an event again. */
export function retryHeaders(n: number, reason: SlackRetryReason = 'http_timeout'): Record<'x-slack-retry-num' | 'x-slack-retry-reason', string> {
  return { 'x-slack-retry-num': String(n), 'x-slack-retry-reason': reason };
}

/** Interactive payloads travel as `payload=<json>`. */
export const formBody = (payload: object): string => `payload=${encodeURIComponent(JSON.stringify(payload))}`;

/** A body encoded as Slack would (form for interactive payloads, JSON otherwise), signed, with retry headers if asked. */
export function signedSlackBody(
  signingSecret: string,
  body: Json,
  options: { timestampSeconds?: number; retry?: { num: number; reason?: SlackRetryReason } } = {},
): { rawBody: string; headers: Record<string, string> } {
  const rawBody = INTERACTIVE.has(String(body.type)) ? formBody(body) : JSON.stringify(body);
  const headers: Record<string, string> = { ...signSlackRequest(signingSecret, rawBody, options.timestampSeconds) };
  return { rawBody, headers: options.retry ? { ...headers, ...retryHeaders(options.retry.num, options.retry.reason) } : headers };
}

/** A Slack ts for now ('1732700000.000100'), distinct per call. */
export function slackTs(ms = Date.now()): string {
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000 + (counter++ % 1000)).padStart(6, '0')}`;
}

export function urlVerification(challenge: string): Json {
  return { token: VERIFICATION_TOKEN, challenge, type: 'url_verification' };
}

export interface MessageEventInput {
  channel: string;
  user?: string;
  text: string;
  ts?: string;
  thread_ts?: string;
  parent_user_id?: string;
  bot_id?: string;
  subtype?: string;
  channel_type?: 'channel' | 'group' | 'im' | 'mpim';
}

/** A `message` event as message.channels / message.groups / message.im deliver it. */
export function messageEvent(input: MessageEventInput): Json {
  const ts = input.ts ?? slackTs();
  const { channel, user, text } = input;
  const event: Json = {
    type: 'message', channel, user, text, ts, event_ts: ts, team: ID.teamId,
    channel_type: input.channel_type ?? (channel.startsWith('D') ? 'im' : channel.startsWith('G') ? 'group' : 'channel'),
    blocks: [{ type: 'rich_text', block_id: randomBytes(3).toString('base64url'), elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }] }],
    // a person's message carries a client id; bot and subtype messages do not
    client_msg_id: input.bot_id || input.subtype ? undefined : randomUUID(),
    thread_ts: input.thread_ts, parent_user_id: input.parent_user_id, bot_id: input.bot_id, subtype: input.subtype,
  };
  return Object.fromEntries(Object.entries(event).filter(([, v]) => v !== undefined));
}

export interface EventCallbackInput {
  event: Json;
  teamId?: string;
  eventId?: string;
  eventTime?: number;
}

/** The Events API outer wrapper around one event. */
export function eventCallback(input: EventCallbackInput): Json {
  const teamId = input.teamId ?? ID.teamId;
  return {
    token: VERIFICATION_TOKEN, team_id: teamId, context_team_id: teamId, context_enterprise_id: null, api_app_id: ID.appId,
    event: input.event, type: 'event_callback', event_id: input.eventId ?? `Ev${randomBytes(6).toString('hex').toUpperCase()}`,
    event_time: input.eventTime ?? nowSeconds(),
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: ID.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false, event_context: `4-${randomBytes(24).toString('base64url')}`,
  };
}

export interface BlockActionsInput {
  user: string;
  channel: string;
  messageTs: string;
  actionId: string;
  /** a button's value */
  value?: string;
  /** a static select's choice */
  selectedOption?: { value: string; text?: string };
  triggerId?: string;
  blockId?: string;
  channelName?: string;
  /** where `respond()` posts; the default is Slack's host, so point it at a loopback server if the app responds */
  responseUrl?: string;
  /** the message the action sits on, as Slack echoes it back */
  message?: Json;
}

/** An interactive `block_actions` payload for a button or static select on a message in a channel. */
export function blockActionsPayload(input: BlockActionsInput): Json {
  const base = { action_id: input.actionId, block_id: input.blockId ?? 'conversation_actions', action_ts: slackTs() };
  const option = input.selectedOption;
  const action = option
    ? { ...base, type: 'static_select', selected_option: { text: { type: 'plain_text', text: option.text ?? option.value, emoji: true }, value: option.value } }
    : { ...base, type: 'button', value: input.value, text: { type: 'plain_text', text: input.actionId, emoji: true } };
  return {
    type: 'block_actions',
    user: { id: input.user, username: input.user.toLowerCase(), name: input.user.toLowerCase(), team_id: ID.teamId },
    api_app_id: ID.appId, token: VERIFICATION_TOKEN,
    container: { type: 'message', message_ts: input.messageTs, channel_id: input.channel, is_ephemeral: false },
    trigger_id: input.triggerId ?? `${Date.now()}.${ID.teamId.slice(1)}.${randomBytes(16).toString('hex')}`,
    team: { id: ID.teamId, domain: ID.teamDomain }, enterprise: null, is_enterprise_install: false,
    channel: { id: input.channel, name: input.channelName ?? 'support' },
    message: input.message ?? { type: 'message', ts: input.messageTs, user: ID.botUserId, bot_id: ID.botId, app_id: ID.appId, text: '', team: ID.teamId },
    state: { values: {} },
    response_url: input.responseUrl ?? `https://hooks.slack.com/actions/${ID.teamId}/${Date.now()}/${randomBytes(12).toString('hex')}`,
    actions: [action],
  };
}
