import crypto from 'node:crypto';
import { ApiTokenModel, type TokenRole } from '../models/api-token';

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** Creates a token and returns the only copy of its plain text. */
export async function createApiToken(role: TokenRole, name: string): Promise<{ token: string; id: string }> {
  const token = `sb_${crypto.randomBytes(32).toString('base64url')}`;
  const doc = await ApiTokenModel.create({ name, role, hash: hashToken(token), prefix: token.slice(0, 7) });
  return { token, id: String(doc._id) };
}

export async function findActiveToken(token: string) {
  return ApiTokenModel.findOne({ hash: hashToken(token), revokedAt: { $exists: false } }).lean();
}
