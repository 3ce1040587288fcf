import { Types } from 'mongoose';
import { ActivityModel, type ActivityDoc } from '../store/models/activity';
import { AuditRecordModel, type Surface, type TargetKind } from '../store/models/audit-record';

export type { Surface, TargetKind } from '../store/models/audit-record';
export type ActivityType = ActivityDoc['type'];
type Fields = Record<string, unknown>;

/** Who acted: an actor id (`slack:U1`, `token:anna`, `cli:root`, `system:retention`), or an Actor that names its surface. */
export type Who = string | { id: string; surface?: Surface };

interface Common {
  actor: Who;
  /** default: from the actor id (`slack:` slack, `token:` api, `cli` cli, anything else system) */
  surface?: Surface;
  /** only the fields that changed, as they were and as they are (`changedFields` trims a whole record) */
  before?: Fields;
  after?: Fields;
  /** facts such as counts; never a customer's text */
  details?: Fields;
}

/** An action on a conversation: its Activity (what the inbox and the API show) and its audit record, `conversation.<type>`. */
export interface ConversationAction extends Common {
  conversationId: Types.ObjectId | string;
  type: ActivityType;
}

/** An administrative change (`token.created`, `sender.blocked`, `department.changed`, `model.promoted`, ...): an audit record only. */
export interface AdminAction extends Common {
  action: string;
  target: { kind: TargetKind; id: string };
}

export function surfaceOf(actor: string): Surface {
  if (actor.startsWith('slack:')) return 'slack';
  if (actor.startsWith('token:')) return 'api';
  if (actor === 'cli' || actor.startsWith('cli:')) return 'cli';
  return 'system';
}

/**
 * The one way an action is recorded: a conversation action writes the conversation's Activity and the audit
 * record (the same `_id`, so the two can be matched), an administrative change the audit record alone.
 */
export async function recordAction(what: ConversationAction | AdminAction): Promise<void> {
  const actor = typeof what.actor === 'string' ? what.actor : what.actor.id;
  const surface = what.surface ?? (typeof what.actor === 'string' ? undefined : what.actor.surface) ?? surfaceOf(actor);
  const _id = new Types.ObjectId();
  const common = { _id, actor, surface, ...(what.before ? { before: what.before } : {}), ...(what.after ? { after: what.after } : {}) };
  if ('conversationId' in what) {
    await ActivityModel.create({ _id, conversationId: what.conversationId, type: what.type, actor, ...(what.details ? { details: what.details } : {}) });
    await AuditRecordModel.create({ ...common, action: `conversation.${what.type}`, target: { kind: 'conversation', id: String(what.conversationId) }, ...(what.details ? { details: what.details } : {}) });
    return;
  }
  await AuditRecordModel.create({ ...common, action: what.action, target: what.target, ...(what.details ? { details: what.details } : {}) });
}

/** The fields whose values differ between two records, each side holding only those (null for absent). */
export function changedFields(before: Fields, after: Fields): { before: Fields; after: Fields } {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null));
  return { before: Object.fromEntries(keys.map((k) => [k, before[k] ?? null])), after: Object.fromEntries(keys.map((k) => [k, after[k] ?? null])) };
}
