import type { TokenRole } from '../store/models/api-token';
import { cliActor, createTokenAudited, revokeTokenAudited } from '../audit/admin';
import { listApiTokens, type TokenInfo } from '../store/repositories/tokens';
import { withDatabase } from './database';
import { printTable } from './table';

const day = (d: Date | undefined) => (d ? d.toISOString().replace('T', ' ').slice(0, 16) : '-');

function state(t: TokenInfo, now: Date): string {
  if (t.revokedAt) return 'revoked';
  if (t.expiresAt && t.expiresAt <= now) return 'expired';
  return 'active';
}

/** Prints the plain token on stdout (for `TOKEN=$(...)`) and what it is on stderr. */
export async function createToken(role: TokenRole, name: string | undefined, expiresAt: Date | undefined): Promise<void> {
  await withDatabase(async () => {
    const { token } = await createTokenAudited(role, name ?? `${role}-${new Date().toISOString().slice(0, 10)}`, expiresAt, cliActor());
    process.stdout.write(`${token}\n`);
    const expiry = expiresAt ? `, valid until ${expiresAt.toISOString()}` : '';
    process.stderr.write(`created a token with role ${role}${expiry}; it is shown only once. Use it as "Authorization: Bearer <token>".\n`);
  });
}

/** One line per token, newest first: id, prefix, role, name, state and dates; --json for scripts. */
export async function listTokens(json: boolean): Promise<void> {
  const tokens = await withDatabase(() => listApiTokens());
  if (json) {
    process.stdout.write(`${JSON.stringify(tokens)}\n`);
    return;
  }
  const now = new Date();
  const rows = [['ID', 'PREFIX', 'ROLE', 'STATE', 'CREATED', 'LAST USED', 'EXPIRES', 'NAME']];
  for (const t of tokens) rows.push([t.id, t.prefix, t.role, state(t, now), day(t.createdAt), day(t.lastUsedAt), day(t.expiresAt), t.name]);
  printTable(rows);
  if (tokens.length === 0) process.stderr.write('no tokens yet: npm run cli -- token create --role admin\n');
}

/** Revokes by id or prefix; exit 1 when nothing or more than one token matches. */
export async function revokeToken(idOrPrefix: string): Promise<void> {
  const result = await withDatabase(() => revokeTokenAudited(idOrPrefix, cliActor()));
  if (result === 'not_found') throw new Error(`no token with id or prefix ${idOrPrefix} (see npm run cli -- token list)`);
  if (result === 'ambiguous') throw new Error(`more than one token starts with ${idOrPrefix}: give its id (see npm run cli -- token list)`);
  process.stderr.write(`token ${result.prefix}… (${result.role}, ${result.name}) is revoked since ${result.revokedAt?.toISOString() ?? '?'}; requests with it answer 401\n`);
}
