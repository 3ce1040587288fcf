/** The reading methods (auth.test, users.info, conversations.info/history/replies) and views.open. */
import type { MethodHandler } from './slack-api-chat';
import type { FakeSlackMessage } from './slack-api-state';
import { isReply } from './slack-api-state';
import { bool, decodeCursor, encodeCursor, fail, intArg, str, structured } from './slack-api-wire';
import type { SlackAnswer, SlackArgs } from './slack-api-wire';

/** A ts as a number of microseconds, so '1732700000.0001' and '1732700000.000100' compare equal. */
function tsKey(ts: string): bigint {
  const [sec = '0', frac = ''] = ts.split('.');
  return BigInt(/^\d+$/.test(sec) ? sec : '0') * 1_000_000n + BigInt(`${frac}000000`.slice(0, 6).replace(/\D/g, '0'));
}

/** oldest/latest/inclusive, then a cursor page of `limit`; metadata only when asked for. */
function page(list: FakeSlackMessage[], args: SlackArgs, defaultLimit: number): SlackAnswer {
  const oldest = str(args, 'oldest');
  const latest = str(args, 'latest');
  const inclusive = bool(args, 'inclusive');
  const inRange = (m: FakeSlackMessage): boolean => {
    const k = tsKey(m.ts);
    if (oldest !== undefined && (inclusive ? k < tsKey(oldest) : k <= tsKey(oldest))) return false;
    return latest === undefined || (inclusive ? k <= tsKey(latest) : k < tsKey(latest));
  };
  const start = decodeCursor(str(args, 'cursor'));
  if (start === undefined) return fail('invalid_cursor');
  const limit = intArg(args, 'limit', defaultLimit);
  const selected = list.filter(inRange);
  const messages = selected.slice(start, start + limit).map((m) => {
    const out = structuredClone(m);
    if (!bool(args, 'include_all_metadata')) delete out.metadata;
    return out;
  });
  const hasMore = start + limit < selected.length;
  return { ok: true, messages, has_more: hasMore, ...(hasMore ? { response_metadata: { next_cursor: encodeCursor(start + limit) } } : {}) };
}

const authTest: MethodHandler = ({ state }) => {
  const { teamId, teamName, teamDomain, botUserId, botId } = state.identity;
  return {
    ok: true, url: `https://${teamDomain}.slack.com/`, team: teamName, user: 'switchboard', team_id: teamId,
    user_id: botUserId, bot_id: botId, is_enterprise_install: false,
  };
};

const usersInfo: MethodHandler = ({ state, args }) => {
  const user = state.users.get(str(args, 'user') ?? '');
  if (!user) return fail('user_not_found');
  const profile = {
    real_name: user.realName, real_name_normalized: user.realName, display_name: user.displayName,
    display_name_normalized: user.displayName, email: user.email, team: state.identity.teamId,
    image_72: `https://avatars.slack-edge.com/${user.id}_72.png`, status_text: '', status_emoji: '',
  };
  return {
    ok: true,
    user: {
      id: user.id, team_id: state.identity.teamId, name: user.name, deleted: false, real_name: user.realName,
      tz: 'Europe/Berlin', tz_label: 'Central European Time', tz_offset: 3600, is_admin: false, is_owner: false,
      is_bot: user.isBot, is_app_user: false, updated: 1732700000, profile,
      ...(bool(args, 'include_locale') ? { locale: user.locale } : {}),
    },
  };
};

const conversationsInfo: MethodHandler = ({ state, args }) => {
  const c = state.channel(str(args, 'channel'));
  if (!c || (c.isPrivate && !c.isMember)) return fail('channel_not_found');
  const blank = { value: '', creator: '', last_set: 0 };
  return {
    ok: true,
    channel: {
      id: c.id, name: c.name, name_normalized: c.name, is_channel: true, is_group: false, is_im: false, is_mpim: false,
      is_private: c.isPrivate, created: c.created, is_archived: false, is_general: false, is_member: c.isMember,
      is_shared: false, is_ext_shared: false, is_org_shared: false, creator: '', topic: blank, purpose: blank,
    },
  };
};

const history: MethodHandler = ({ state, args }) => {
  const c = state.channel(str(args, 'channel'));
  if (!c || (c.isPrivate && !c.isMember)) return fail('channel_not_found');
  const answer = page([...state.history(c.id)].reverse(), args, 100);
  return answer.ok ? { ...answer, pin_count: 0, channel_actions_ts: null, channel_actions_count: 0 } : answer;
};

/** The whole thread, parent first, whether `ts` names the parent or one of its replies. */
const replies: MethodHandler = ({ state, args }) => {
  const c = state.channel(str(args, 'channel'));
  if (!c || (c.isPrivate && !c.isMember)) return fail('channel_not_found');
  const hit = state.find(c.id, str(args, 'ts'));
  if (!hit) return fail('thread_not_found');
  const root = isReply(hit) ? state.find(c.id, hit.thread_ts) : hit;
  if (!root) return fail('thread_not_found');
  return page([root, ...state.replies(c.id, root.ts)], args, 1000);
};

const viewsOpen: MethodHandler = ({ state, args }) => {
  const trigger = str(args, 'trigger_id');
  if (!trigger) return fail('invalid_arguments');
  if (state.usedTriggers.has(trigger)) return fail('exchanged_trigger_id');
  const view = structured(args, 'view');
  if (typeof view !== 'object' || view === null || typeof (view as { type?: unknown }).type !== 'string') return fail('invalid_arguments');
  state.usedTriggers.add(trigger);
  const id = `V${String(state.views.length + 1).padStart(10, '0')}`;
  state.views.push({ trigger_id: trigger, view: view as Record<string, unknown>, id });
  const { teamId, appId, botId } = state.identity;
  return {
    ok: true,
    view: {
      id, team_id: teamId, private_metadata: '', callback_id: '', external_id: '', state: { values: {} }, hash: `${Date.now()}.${id}`,
      clear_on_close: false, notify_on_close: false, root_view_id: id, previous_view_id: null, app_id: appId,
      app_installed_team_id: teamId, bot_id: botId, ...(view as Record<string, unknown>),
    },
  };
};

export const READ_METHODS: Record<string, MethodHandler> = {
  'auth.test': authTest,
  'users.info': usersInfo,
  'conversations.info': conversationsInfo,
  'conversations.history': history,
  'conversations.replies': replies,
  'views.open': viewsOpen,
};
