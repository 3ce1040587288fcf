/** Mastodon accounts from MASTODON_ACCOUNTS_FILE and/or MASTODON_URL + MASTODON_ACCESS_TOKEN, each problem naming its field. */
import fs from 'node:fs';
import { z } from 'zod';
import type { Env } from './schema';

export interface MastodonAccountConfig {
  /** our name for the account, e.g. 'kestrel-social' */
  id: string;
  /** the instance's base URL, without a trailing slash */
  url: string;
  accessToken: string;
}

export interface MastodonConfig {
  accounts: MastodonAccountConfig[];
  pollIntervalSeconds: number;
}

const accountSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'letters, digits, _ . - (1–100)'),
  url: z.url({ protocol: /^https?$/, error: 'the instance as an http(s) URL, e.g. https://mastodon.social' }).transform((u) => u.replace(/\/+$/, '')),
  accessToken: z.string().trim().min(1, 'an access token with read:notifications, read:statuses and write:statuses'),
});

const SINGLE = { url: 'MASTODON_URL', accessToken: 'MASTODON_ACCESS_TOKEN', id: 'MASTODON_ACCOUNT_ID' } as const;

function fromEnv(env: Env, problems: string[]): MastodonAccountConfig[] {
  if (env.MASTODON_URL === undefined && env.MASTODON_ACCESS_TOKEN === undefined) {
    if (env.MASTODON_ACCOUNT_ID !== undefined) problems.push('MASTODON_URL: required when MASTODON_ACCOUNT_ID is set');
    return [];
  }
  const given = { id: env.MASTODON_ACCOUNT_ID ?? 'mastodon-default', url: env.MASTODON_URL, accessToken: env.MASTODON_ACCESS_TOKEN };
  const parsed = accountSchema.safeParse(given);
  if (parsed.success) return [parsed.data];
  for (const issue of parsed.error.issues) {
    const key = issue.path[0] as keyof typeof SINGLE;
    const other = key === 'url' ? 'MASTODON_ACCESS_TOKEN' : 'MASTODON_URL';
    problems.push(`${SINGLE[key]}: ${given[key] === undefined ? `required when ${other} is set` : issue.message}`);
  }
  return [];
}

function fromFile(path: string, problems: string[]): MastodonAccountConfig[] {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch (err) {
    problems.push(`MASTODON_ACCOUNTS_FILE: cannot read ${path}: ${(err as Error).message}`);
    return [];
  }
  const parsed = z.array(accountSchema).safeParse(json);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) problems.push(`MASTODON_ACCOUNTS_FILE: ${path} [${issue.path.join('.')}]: ${issue.message}`);
  return [];
}

export function mastodonConfig(env: Env, problems: string[]): MastodonConfig {
  const accounts = [...fromEnv(env, problems), ...(env.MASTODON_ACCOUNTS_FILE ? fromFile(env.MASTODON_ACCOUNTS_FILE, problems) : [])];
  const seen = new Set<string>();
  for (const a of accounts) {
    if (seen.has(a.id)) problems.push(`MASTODON_ACCOUNTS_FILE: account id "${a.id}" is given twice (each account needs its own id)`);
    seen.add(a.id);
  }
  return { accounts, pollIntervalSeconds: env.MASTODON_POLL_INTERVAL_SECONDS };
}
