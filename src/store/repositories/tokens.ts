import crypto from 'node:crypto';
import { isValidObjectId } from 'mongoose';
import { ApiTokenModel, type TokenRole } from '../models/api-token';

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** What may be shown of a token: never its hash. */
export interface TokenInfo {
  id: string;
  name: string;
  role: TokenRole;
  /** the first characters of the token, to tell tokens apart */
  prefix: string;
  createdAt: Date;
  lastUsedAt?: Date;
  expiresAt?: Date;
  revokedAt?: Date;
}

type TokenDoc = { _id: unknown; name: string; role: TokenRole; prefix: string; createdAt: Date; lastUsedAt?: Date | null; expiresAt?: Date | null; revokedAt?: Date | null };

function info(doc: TokenDoc): TokenInfo {
  return {
    id: String(doc._id), name: doc.name, role: doc.role, prefix: doc.prefix, createdAt: doc.createdAt,
    ...(doc.lastUsedAt ? { lastUsedAt: doc.lastUsedAt } : {}),
    ...(doc.expiresAt ? { expiresAt: doc.expiresAt } : {}),
    ...(doc.revokedAt ? { revokedAt: doc.revokedAt } : {}),
  };
}

/** Creates a token and returns the only copy of its plain text. */
export async function createApiToken(role: TokenRole, name: string, expiresAt?: Date): Promise<{ token: string; id: string }> {
  const token = `sb_${crypto.randomBytes(32).toString('base64url')}`;
  const doc = await ApiTokenModel.create({ name, role, hash: hashToken(token), prefix: token.slice(0, 10), ...(expiresAt ? { expiresAt } : {}) });
  return { token, id: String(doc._id) };
}

/** The token a request presented, or why it is not valid. */
export async function checkToken(token: string, now = new Date()): Promise<{ token: TokenInfo } | { problem: string }> {
  const doc = await ApiTokenModel.findOne({ hash: hashToken(token) }).lean<TokenDoc>();
  if (!doc) return { problem: 'API token is not valid (unknown)' };
  if (doc.revokedAt) return { problem: `API token ${doc.prefix}… was revoked at ${doc.revokedAt.toISOString()}` };
  if (doc.expiresAt && doc.expiresAt <= now) return { problem: `API token ${doc.prefix}… expired at ${doc.expiresAt.toISOString()}` };
  return { token: info(doc) };
}

/** Every token, newest first, revoked and expired ones included. */
export async function listApiTokens(): Promise<TokenInfo[]> {
  const docs = await ApiTokenModel.find({}, { hash: 0 }).sort({ createdAt: -1, _id: -1 }).lean<TokenDoc[]>();
  return docs.map(info);
}

/**
 * Revokes the token with this id or prefix (as `token list` shows them). 'ambiguous' when a prefix matches more
 * than one token; a token revoked before keeps its first revocation time.
 */
export async function revokeApiToken(idOrPrefix: string, now = new Date()): Promise<TokenInfo | 'not_found' | 'ambiguous'> {
  const filter = isValidObjectId(idOrPrefix) && !idOrPrefix.startsWith('sb_') ? { _id: idOrPrefix } : { prefix: { $regex: `^${idOrPrefix.replace(/[^A-Za-z0-9_-]/g, '')}` } };
  const matches = await ApiTokenModel.find(filter, { _id: 1 }).limit(2).lean();
  if (matches.length === 0) return 'not_found';
  if (matches.length > 1) return 'ambiguous';
  await ApiTokenModel.updateOne({ _id: matches[0]!._id, revokedAt: { $exists: false } }, { $set: { revokedAt: now } });
  const doc = await ApiTokenModel.findById(matches[0]!._id, { hash: 0 }).lean<TokenDoc>();
  return doc ? info(doc) : 'not_found';
}

/** `30d`, `12h`, `2w` from now, or an ISO date; undefined when `text` is neither. */
export function parseExpiry(text: string, now = new Date()): Date | undefined {
  const relative = /^(\d{1,5})([hdw])$/.exec(text.trim());
  if (relative) return new Date(now.getTime() + Number(relative[1]) * { h: 3_600_000, d: 86_400_000, w: 604_800_000 }[relative[2] as 'h' | 'd' | 'w']);
  const date = /^\d{4}-\d{2}-\d{2}(T.+)?$/.test(text.trim()) ? new Date(text.trim()) : new Date(NaN);
  return Number.isNaN(date.getTime()) || date <= now ? undefined : date;
}
