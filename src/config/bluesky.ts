/** Bluesky accounts from BLUESKY_ACCOUNTS_FILE and/or BLUESKY_IDENTIFIER + BLUESKY_APP_PASSWORD, each field checked at start. */
import fs from 'node:fs';
import { z } from 'zod';
import type { Env } from './schema';

export interface BlueskyAccountConfig {
  /** our name for the account, e.g. 'kestrel-bsky' */
  id: string;
  /** handle (kestrelhome.bsky.social) or DID (did:plc:...) */
  identifier: string;
  appPassword: string;
  /** the account's PDS or entryway */
  service: string;
}

export interface BlueskyConfig {
  accounts: BlueskyAccountConfig[];
  pollIntervalSeconds: number;
}

const HANDLE = /^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;
const DID = /^did:[a-z]+:[a-zA-Z0-9._:%-]+$/;

const accountSchema = (defaultService: string) =>
  z.object({
    id: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'letters, digits, _ . - (1–100)'),
    identifier: z.string().refine((v) => HANDLE.test(v) || DID.test(v), 'a handle such as kestrelhome.bsky.social (no @) or a DID such as did:plc:…'),
    appPassword: z.string().min(1, 'required (Settings → Privacy and security → App passwords)'),
    service: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).default(defaultService),
  });

function fromFile(file: string, defaultService: string, problems: string[]): BlueskyAccountConfig[] {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    problems.push(`BLUESKY_ACCOUNTS_FILE: cannot read ${file}: ${(err as Error).message}`);
    return [];
  }
  const parsed = z.array(accountSchema(defaultService)).safeParse(json);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) problems.push(`BLUESKY_ACCOUNTS_FILE: ${file} [${issue.path.join('.')}]: ${issue.message}`);
  return [];
}

export function blueskyConfig(env: Env, problems: string[]): BlueskyConfig {
  const accounts: BlueskyAccountConfig[] = [];
  const service = env.BLUESKY_SERVICE_URL;
  if (env.BLUESKY_IDENTIFIER || env.BLUESKY_APP_PASSWORD) {
    if (!env.BLUESKY_IDENTIFIER) problems.push('BLUESKY_IDENTIFIER: required when BLUESKY_APP_PASSWORD is set');
    if (!env.BLUESKY_APP_PASSWORD) problems.push('BLUESKY_APP_PASSWORD: required when BLUESKY_IDENTIFIER is set');
    const parsed = accountSchema(service).safeParse({ id: env.BLUESKY_ACCOUNT_ID ?? 'bluesky-default', identifier: env.BLUESKY_IDENTIFIER, appPassword: env.BLUESKY_APP_PASSWORD });
    const names: Record<string, string> = { id: 'BLUESKY_ACCOUNT_ID', identifier: 'BLUESKY_IDENTIFIER', appPassword: 'BLUESKY_APP_PASSWORD' };
    if (parsed.success) accounts.push(parsed.data);
    else if (env.BLUESKY_IDENTIFIER && env.BLUESKY_APP_PASSWORD) {
      for (const issue of parsed.error.issues) problems.push(`${names[String(issue.path[0])] ?? 'BLUESKY_IDENTIFIER'}: ${issue.message}`);
    }
  }
  if (env.BLUESKY_ACCOUNTS_FILE) accounts.push(...fromFile(env.BLUESKY_ACCOUNTS_FILE, service, problems));
  const seen = new Set<string>();
  for (const { id } of accounts) {
    if (seen.has(id)) problems.push(`BLUESKY_ACCOUNTS_FILE: the account id "${id}" is used twice`);
    seen.add(id);
  }
  return { accounts, pollIntervalSeconds: env.BLUESKY_POLL_INTERVAL_SECONDS };
}
