import os from 'node:os';
import type { Department } from '../domain/department';
import type { TokenRole } from '../store/models/api-token';
import { removeBlockedSender } from '../store/repositories/blocked-senders';
import { listDepartments, syncDepartments } from '../store/repositories/departments';
import { createApiToken, revokeApiToken } from '../store/repositories/tokens';
import { changedFields, recordAction, type Who } from './record';

/** The shell's actor: `cli:<os user>`. */
export function cliActor(): string {
  try {
    return `cli:${os.userInfo().username}`;
  } catch {
    // no passwd entry for this uid (some containers)
    return `cli:uid-${process.getuid?.() ?? 'unknown'}`;
  }
}

/** Creates a token (the plain text returned once) and records it: role, name, expiry; never the token. */
export async function createTokenAudited(role: TokenRole, name: string, expiresAt: Date | undefined, actor: Who) {
  const created = await createApiToken(role, name, expiresAt);
  await recordAction({ actor, action: 'token.created', target: { kind: 'token', id: created.id }, after: { role, name, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) } });
  return created;
}

/** Revokes a token; recorded when this call revoked it (a second revocation changes nothing and records nothing). */
export async function revokeTokenAudited(idOrPrefix: string, actor: Who) {
  const now = new Date();
  const result = await revokeApiToken(idOrPrefix, now);
  if (typeof result !== 'string' && result.revokedAt?.getTime() === now.getTime()) {
    await recordAction({ actor, action: 'token.revoked', target: { kind: 'token', id: result.id }, before: { revokedAt: null }, after: { revokedAt: now.toISOString() } });
  }
  return result;
}

/** Unblocks a sender and records it (by the list entry's id and channel: the audit trail keeps no handle). */
export async function unblockSenderAudited(idOrHandle: string, actor: Who) {
  const result = await removeBlockedSender(idOrHandle);
  if (typeof result !== 'string') await recordAction({ actor, action: 'sender.unblocked', target: { kind: 'sender', id: result.id }, before: { blocked: true, channel: result.channel }, after: { blocked: false } });
  return result;
}

const stored = (d: Department) => JSON.parse(JSON.stringify({ name: d.name, slackChannel: d.slackChannel, rules: d.rules, sla: d.sla, replyPolicy: d.replyPolicy, retentionDays: d.retentionDays })) as Record<string, unknown>;

/**
 * Makes the stored departments the file's (syncDepartments) and records each department added, changed or removed
 * by this call's writes: processes starting together on one file record each change once.
 */
export async function syncDepartmentsAudited(departments: Department[], actor: Who = 'system:startup'): Promise<number> {
  const before = new Map((await listDepartments()).map((d) => [d.key, stored(d)]));
  const synced = await syncDepartments(departments);
  let changes = 0;
  for (const d of departments) {
    const added = synced.added.includes(d.key);
    if (!added && !synced.changed.includes(d.key)) continue;
    const diff = changedFields(added ? {} : before.get(d.key) ?? {}, stored(d));
    if (Object.keys(diff.after).length === 0) continue;
    changes += 1;
    await recordAction({ actor, action: added ? 'department.added' : 'department.changed', target: { kind: 'department', id: d.key }, ...(added ? {} : { before: diff.before }), after: diff.after });
  }
  for (const key of synced.removed) {
    changes += 1;
    await recordAction({ actor, action: 'department.removed', target: { kind: 'department', id: key }, before: before.get(key) ?? {} });
  }
  return changes;
}
