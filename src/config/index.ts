import fs from 'node:fs';
import { z } from 'zod';
import type { BillableKind } from '../domain/message';
import type { ReplyPolicy } from '../domain/department';
import type { CrashPoint } from '../domain/crash';
import type { Locale } from '../i18n';
import { mastodonConfig, type MastodonConfig } from './mastodon';
import { emailConfig, type EmailConfig } from './email';
import { envSchema, type Env } from './schema';
import { xWebhookConfig, type XWebhookConfig } from './x-webhook';
import { blueskyConfig, type BlueskyConfig } from './bluesky';

export interface XAccountConfig {
  /** our name for the account, e.g. 'kestrelhome' */
  id: string;
  /** the X user id the account polls mentions and DMs for */
  userId: string;
  appKey: string;
  appSecret: string;
  accessToken: string;
  accessSecret: string;
  /** the account owns the developer app: its mentions are billed as owned reads */
  ownsApp: boolean;
  /** OAuth 2.0 user token (tweet.read, dm.read): creates the account's X Activity API subscriptions */
  oauth2UserToken?: string;
}

export interface Config {
  port: number;
  /** the interface the HTTP server listens on: 127.0.0.1 by default, 0.0.0.0 behind a proxy */
  host: string;
  logLevel: Env['LOG_LEVEL'];
  /** the language of Slack channel posts, and of the dashboard and Slack users whose language we have no texts for */
  locale: Locale;
  mongodbUri?: string;
  /** the embedded store (FerretDB 2 + PostgreSQL/DocumentDB), used without MONGODB_URI; sourcesDir holds DocumentDB's tarballs */
  ferretdb: { port: number; dataDir: string; sourcesDir?: string };
  dbName: string;
  departmentsFile?: string;
  /** 'auto': the threshold the model chose on its own held-out slice */
  triageThreshold: number | 'auto';
  /** no-reply detector: at this probability a message needs no answer; 'channel' still posts such cards */
  noReply: { threshold: number; cards: 'none' | 'channel' };
  learning: { retrainAfterCorrections: number; retrainIntervalMinutes: number };
  sla: { warnAt: number; rollupSeconds: number };
  /** the product team's weekly digest: an agenda interval or cron, and its time zone */
  digest: { schedule: string; timeZone: string };
  ingest: { maxBytes: number; maxBatch: number; raw: { maxDepth: number; maxBytes: number } };
  /** where replies to webhook conversations go: source → URL, signed with `secret` */
  webhookReplies: { urls: Record<string, string>; secret?: string };
  x: {
    apiBaseUrl: string;
    accounts: XAccountConfig[];
    pollIntervalSeconds: number;
    /** USD per resource X bills (a read of one resource is billed once per UTC day) */
    prices: Record<BillableKind, number>;
    monthlyBudgetUsd?: number;
    /** share of the budget at which the month's one warning goes out */
    budgetWarnAt: number;
    /** X Activity API push; absent while X_WEBHOOK_ENABLED is false */
    webhook?: XWebhookConfig;
  };
  /** Mastodon accounts (MASTODON_ACCOUNTS_FILE and/or MASTODON_URL + MASTODON_ACCESS_TOKEN) */
  mastodon: MastodonConfig;
  /** e-mail accounts from EMAIL_ACCOUNTS_FILE (src/config/email.ts) */
  email: EmailConfig;
  slack?: SlackConfig;
  /** Bluesky accounts (app passwords), polled like X's */
  bluesky: BlueskyConfig;
  outbound: { notePrefix: string; maxAttempts: number; retryBaseMs: number };
  /** REPLY_POLICY: the reply policy of a department whose file entry names none */
  replyPolicy: ReplyPolicy;
  /** the reconciliation sweep: how often, how old a stalled item must be, how far back it looks */
  outbox: { sweepSeconds: number; graceSeconds: number; maxAgeHours: number };
  /** historyDays: the demo's backdated week (0: none), played once before the live replay */
  replay: { mode: Env['REPLAY']; file: string; intervalMs: number; historyDays: number };
  /** lockLifetimeMs: how long any job's lock outlives a dead worker (renewed while the job runs) */
  /** slackRetryBaseMs: a failed Slack job's first wait (doubling, up to 5 minutes, 10 tries) when Slack names none */
  jobs: { processEveryMs: number; lockLifetimeMs: number; slackRetryBaseMs: number };
  shutdownTimeoutMs: number;
  /** test hook (kill tests) */
  crashAt?: CrashPoint;
  /** defaultDays: RETENTION_DAYS (absent: keep); schedule: the retention job's agenda interval or cron */
  retention: { defaultDays?: number; schedule: string };
}

export interface SlackConfig {
  botToken: string;
  signingSecret?: string;
  socketMode: boolean;
  appToken?: string;
  apiUrl: string;
  /** department key → channel id; wins over the departments file */
  channels: Record<string, string>;
  triageChannel?: string;
  /** breach alerts go here too */
  managerChannel?: string;
}

/** A bad environment: `problems` names each variable and what is wrong with it. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

const xAccountSchema = z.object({
  id: z.string().min(1),
  userId: z.string().regex(/^\d+$/, 'X user ids are digits'),
  appKey: z.string().min(1),
  appSecret: z.string().min(1),
  accessToken: z.string().min(1),
  accessSecret: z.string().min(1),
  // in X_ACCOUNTS_FILE an account owns the app only when it says so
  ownsApp: z.boolean().default(false),
  oauth2UserToken: z.string().min(1).optional(),
});

const SINGLE_ACCOUNT_VARS = ['X_USER_ID', 'X_APP_KEY', 'X_APP_SECRET', 'X_ACCESS_TOKEN', 'X_ACCESS_SECRET'] as const;

function xAccounts(env: Env, problems: string[]): XAccountConfig[] {
  const accounts: XAccountConfig[] = [];
  const given = SINGLE_ACCOUNT_VARS.filter((name) => env[name] !== undefined);
  if (given.length > 0 && given.length < SINGLE_ACCOUNT_VARS.length) {
    for (const name of SINGLE_ACCOUNT_VARS.filter((n) => env[n] === undefined)) {
      problems.push(`${name}: required when ${given.join(', ')} ${given.length > 1 ? 'are' : 'is'} set`);
    }
  } else if (given.length > 0) {
    const parsed = xAccountSchema.safeParse({
      id: env.X_ACCOUNT_ID ?? 'x-default',
      userId: env.X_USER_ID,
      appKey: env.X_APP_KEY,
      appSecret: env.X_APP_SECRET,
      accessToken: env.X_ACCESS_TOKEN,
      accessSecret: env.X_ACCESS_SECRET,
      ownsApp: env.X_OWNS_APP,
      ...(env.X_OAUTH2_USER_TOKEN ? { oauth2UserToken: env.X_OAUTH2_USER_TOKEN } : {}),
    });
    if (parsed.success) accounts.push(parsed.data);
    else problems.push(`X_USER_ID: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  if (env.X_ACCOUNTS_FILE) accounts.push(...readAccountsFile(env.X_ACCOUNTS_FILE, problems));
  return accounts;
}

function slackConfig(env: Env, problems: string[]): SlackConfig | undefined {
  const channels = Object.fromEntries((env.SLACK_CHANNELS ?? '').split(',').filter(Boolean).map((pair) => pair.split('=') as [string, string]));
  if (!env.SLACK_BOT_TOKEN) {
    const stray = (['SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'SLACK_CHANNELS', 'SLACK_TRIAGE_CHANNEL', 'SLACK_MANAGER_CHANNEL'] as const).filter((n) => env[n] !== undefined);
    for (const name of stray) problems.push(`SLACK_BOT_TOKEN: required when ${name} is set`);
    return undefined;
  }
  if (env.SLACK_SOCKET_MODE && !env.SLACK_APP_TOKEN) problems.push('SLACK_APP_TOKEN: required when SLACK_SOCKET_MODE=true');
  if (!env.SLACK_SOCKET_MODE && !env.SLACK_SIGNING_SECRET) problems.push('SLACK_SIGNING_SECRET: required to verify Slack requests (or use SLACK_SOCKET_MODE=true)');
  return {
    botToken: env.SLACK_BOT_TOKEN,
    signingSecret: env.SLACK_SIGNING_SECRET,
    socketMode: env.SLACK_SOCKET_MODE,
    appToken: env.SLACK_APP_TOKEN,
    apiUrl: env.SLACK_API_URL.endsWith('/') ? env.SLACK_API_URL : `${env.SLACK_API_URL}/`,
    channels,
    triageChannel: env.SLACK_TRIAGE_CHANNEL,
    managerChannel: env.SLACK_MANAGER_CHANNEL,
  };
}

const replyTarget = z.object({
  source: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'a webhook source: letters, digits, _ . - (1–100)'),
  url: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }),
});

/** WEBHOOK_REPLY_URLS is `source=url` pairs separated by commas (a URL may hold '=' but no comma). */
function webhookRepliesConfig(env: Env, problems: string[]): Config['webhookReplies'] {
  const urls: Record<string, string> = {};
  for (const pair of (env.WEBHOOK_REPLY_URLS ?? '').split(',').filter((p) => p.trim() !== '')) {
    const at = pair.indexOf('=');
    const parsed = replyTarget.safeParse({ source: pair.slice(0, Math.max(at, 0)).trim(), url: pair.slice(at + 1).trim() });
    if (at > 0 && parsed.success) urls[parsed.data.source] = parsed.data.url;
    else problems.push(`WEBHOOK_REPLY_URLS: "${pair}" is not source=url (${parsed.success ? 'missing "="' : parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ')})`);
  }
  if (env.WEBHOOK_REPLY_URLS && !env.WEBHOOK_REPLY_SECRET) problems.push('WEBHOOK_REPLY_SECRET: required to sign replies when WEBHOOK_REPLY_URLS is set');
  return { urls, ...(env.WEBHOOK_REPLY_SECRET ? { secret: env.WEBHOOK_REPLY_SECRET } : {}) };
}

function readAccountsFile(path: string, problems: string[]): XAccountConfig[] {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch (err) {
    problems.push(`X_ACCOUNTS_FILE: cannot read ${path}: ${(err as Error).message}`);
    return [];
  }
  const parsed = z.array(xAccountSchema).safeParse(json);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    problems.push(`X_ACCOUNTS_FILE: ${path} [${issue.path.join('.')}]: ${issue.message}`);
  }
  return [];
}

/** Reads and validates the environment once; throws ConfigError naming every bad variable. */
export function loadConfig(given: NodeJS.ProcessEnv = process.env): Config {
  // `PORT=` in .env means "the default", not 0 or an empty string
  const source = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message} (got ${JSON.stringify(source[String(issue.path[0])])})`),
    );
  }
  const env = parsed.data;
  const problems: string[] = [];
  const accounts = xAccounts(env, problems);
  const slack = slackConfig(env, problems);
  const webhookReplies = webhookRepliesConfig(env, problems);
  const xWebhook = xWebhookConfig(env, accounts.map((a) => a.appSecret), problems);
  const mastodon = mastodonConfig(env, problems);
  const bluesky = blueskyConfig(env, problems);
  const email = emailConfig(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    locale: env.DEFAULT_LOCALE,
    mongodbUri: env.MONGODB_URI,
    ferretdb: { port: env.FERRETDB_PORT, dataDir: env.FERRETDB_DATA_DIR, sourcesDir: env.DOCUMENTDB_SOURCES_DIR },
    dbName: env.DB_NAME,
    departmentsFile: env.DEPARTMENTS_FILE,
    triageThreshold: env.TRIAGE_THRESHOLD,
    noReply: { threshold: env.NO_REPLY_THRESHOLD, cards: env.NO_REPLY_CARDS },
    digest: { schedule: env.FEEDBACK_DIGEST_SCHEDULE, timeZone: env.FEEDBACK_DIGEST_TIMEZONE },
    sla: { warnAt: env.SLA_WARN_AT, rollupSeconds: env.SLA_ROLLUP_SECONDS },
    learning: { retrainAfterCorrections: env.RETRAIN_AFTER_CORRECTIONS, retrainIntervalMinutes: env.RETRAIN_INTERVAL_MINUTES },
    ingest: { maxBytes: env.INGEST_MAX_BYTES, maxBatch: env.INGEST_MAX_BATCH, raw: { maxDepth: env.INGEST_RAW_MAX_DEPTH, maxBytes: env.INGEST_RAW_MAX_BYTES } },
    webhookReplies,
    x: {
      apiBaseUrl: env.X_API_BASE_URL,
      accounts,
      pollIntervalSeconds: env.X_POLL_INTERVAL_SECONDS,
      prices: {
        post_read: env.X_PRICE_PER_POST_USD,
        owned_post_read: env.X_PRICE_PER_OWNED_POST_USD,
        dm_event_read: env.X_PRICE_PER_DM_EVENT_USD,
        post_create: env.X_PRICE_PER_POST_CREATE_USD,
        post_with_url_create: env.X_PRICE_PER_POST_WITH_URL_USD,
        dm_create: env.X_PRICE_PER_DM_CREATE_USD,
      },
      monthlyBudgetUsd: env.X_MONTHLY_BUDGET_USD,
      budgetWarnAt: env.X_BUDGET_WARN_AT,
      ...(xWebhook ? { webhook: xWebhook } : {}),
    },
    mastodon,
    email,
    slack,
    bluesky,
    replyPolicy: env.REPLY_POLICY,
    outbound: { notePrefix: env.NOTE_PREFIX, maxAttempts: env.OUTBOUND_MAX_ATTEMPTS, retryBaseMs: env.OUTBOUND_RETRY_BASE_MS },
    outbox: { sweepSeconds: env.OUTBOX_SWEEP_SECONDS, graceSeconds: env.OUTBOX_GRACE_SECONDS, maxAgeHours: env.OUTBOX_MAX_AGE_HOURS },
    replay: { mode: env.REPLAY, file: env.REPLAY_FILE, intervalMs: env.REPLAY_INTERVAL_MS, historyDays: env.REPLAY_HISTORY_DAYS },
    jobs: { processEveryMs: env.JOBS_PROCESS_EVERY_MS, lockLifetimeMs: env.JOBS_LOCK_LIFETIME_MS, slackRetryBaseMs: env.SLACK_RETRY_BASE_MS },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    crashAt: env.SWITCHBOARD_CRASH_AT,
    retention: { defaultDays: env.RETENTION_DAYS, schedule: env.RETENTION_SCHEDULE },
  };
}
