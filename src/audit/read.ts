import { Types } from 'mongoose';
import { AuditRecordModel, type Surface } from '../store/models/audit-record';

export interface AuditFilter {
  actor?: string;
  action?: string;
  surface?: Surface;
  /** a target's id: a conversation, token, department key, model version, ... */
  target?: string;
  from?: Date;
  to?: Date;
}

export interface AuditCursor {
  createdAt: Date;
  id: Types.ObjectId;
}

export function encodeAuditCursor(createdAt: Date, id: unknown): string {
  return Buffer.from(`${createdAt.getTime()}.${String(id)}`).toString('base64url');
}

/** The position a cursor names; null for anything encodeAuditCursor did not make. */
export function decodeAuditCursor(cursor: string): AuditCursor | null {
  if (cursor.length > 100) return null;
  const [ms, id, ...rest] = Buffer.from(cursor, 'base64url').toString().split('.');
  if (rest.length > 0 || !ms || !/^\d{1,16}$/.test(ms) || !id || !/^[0-9a-f]{24}$/.test(id)) return null;
  return { createdAt: new Date(Number(ms)), id: new Types.ObjectId(id) };
}

const EQUALITY = [['target', 'target.id'], ['actor', 'actor'], ['action', 'action'], ['surface', 'surface']] as const;

/** The query of a filter after a cursor, and the index (model/audit-record.ts) whose equality field leads it. */
function query(filter: AuditFilter, after?: AuditCursor) {
  const where: Record<string, unknown> = {};
  for (const [key, field] of EQUALITY) if (filter[key] !== undefined) where[field] = filter[key];
  const range: Record<string, Date> = {};
  if (filter.from) range.$gte = filter.from;
  if (filter.to) range.$lt = filter.to;
  if (Object.keys(range).length > 0) where.createdAt = range;
  const and = after ? [{ $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, _id: { $lt: after.id } }] }] : [];
  const lead = EQUALITY.find(([key]) => filter[key] !== undefined)?.[1];
  const hint = { ...(lead ? { [lead]: 1 } : {}), createdAt: -1, _id: -1 };
  return { where: and.length > 0 ? { ...where, $and: and } : where, hint };
}

export type AuditRow = Awaited<ReturnType<typeof listAudit>>['items'][number];

/** One page, newest first, keyset on (createdAt, _id); `nextCursor` null on the last page. */
export async function listAudit(filter: AuditFilter, limit: number, after?: AuditCursor) {
  const { where, hint } = query(filter, after);
  const rows = await AuditRecordModel.find(where).sort({ createdAt: -1, _id: -1 }).hint(hint).limit(limit + 1).lean();
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeAuditCursor(last.createdAt, last._id) : null };
}

/** Every record of a filter, newest first, read in pages so a large export never sits in memory whole. */
export async function* eachAudit(filter: AuditFilter, pageSize = 500): AsyncGenerator<AuditRow> {
  let after: AuditCursor | undefined;
  for (;;) {
    const page = await listAudit(filter, pageSize, after);
    yield* page.items;
    const next = page.nextCursor ? decodeAuditCursor(page.nextCursor) : null;
    if (!next) return;
    after = next;
  }
}

export function presentAudit(r: AuditRow) {
  return {
    id: String(r._id),
    at: r.createdAt,
    actor: r.actor,
    surface: r.surface,
    action: r.action,
    target: { kind: r.target.kind, id: r.target.id },
    before: (r.before as Record<string, unknown> | undefined) ?? null,
    after: (r.after as Record<string, unknown> | undefined) ?? null,
    details: (r.details as Record<string, unknown> | undefined) ?? null,
  };
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
const field = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
const json = (value: unknown) => (value === null || value === undefined ? '' : JSON.stringify(value));

export const AUDIT_CSV_HEADER = 'at,actor,surface,action,target_kind,target_id,before,after,details\r\n';

export function auditCsvRow(r: AuditRow): string {
  const p = presentAudit(r);
  return [p.at.toISOString(), p.actor, p.surface, p.action, p.target.kind, p.target.id, json(p.before), json(p.after), json(p.details)].map(field).join(',') + '\r\n';
}
