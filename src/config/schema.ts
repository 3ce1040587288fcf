import { z } from 'zod';
import { CRASH_POINTS } from '../domain/crash';
import { LOCALES } from '../i18n';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const num = (min: number) => z.coerce.number().min(min);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** Every environment variable Switchboard reads, with its default (also for an empty value). .env.example mirrors this list. */
export const envSchema = z.object({
  PORT: int(1, 65535).default(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // empty means the default, like an unset variable
  DEFAULT_LOCALE: optionalString.pipe(z.enum(LOCALES, `one of ${LOCALES.join(', ')}`).default('en')),

  MONGODB_URI: optionalString.pipe(
    z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://').optional(),
  ),
  FERRETDB_PORT: int(1, 65535).default(27117),
  FERRETDB_DATA_DIR: z.string().min(1).default('./data/ferretdb'),
  DOCUMENTDB_SOURCES_DIR: optionalString,
  DB_NAME: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only').default('switchboard'),

  DEPARTMENTS_FILE: optionalString,
  TRIAGE_THRESHOLD: z.union([z.literal('auto'), z.coerce.number().min(0).max(1)]).default('auto'),
  NO_REPLY_THRESHOLD: z.coerce.number().min(0).max(1).default(0.8),
  NO_REPLY_CARDS: z.enum(['none', 'channel']).default('none'),
  RETRAIN_AFTER_CORRECTIONS: int(1, 100_000).default(20),
  RETRAIN_INTERVAL_MINUTES: int(1, 10_080).default(60),

  INGEST_MAX_BYTES: int(1024, 100 * 1024 * 1024).default(1024 * 1024),
  INGEST_MAX_BATCH: int(1, 10000).default(500),
  INGEST_RAW_MAX_DEPTH: int(1, 1000).default(32),
  INGEST_RAW_MAX_BYTES: int(16, 16 * 1024 * 1024).default(64 * 1024),
  WEBHOOK_REPLY_URLS: optionalString,
  WEBHOOK_REPLY_SECRET: optionalString.pipe(z.string().min(16, 'at least 16 characters').optional()),

  X_API_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://api.x.com'),
  X_ACCOUNTS_FILE: optionalString,
  X_ACCOUNT_ID: optionalString,
  X_USER_ID: optionalString,
  X_APP_KEY: optionalString,
  X_APP_SECRET: optionalString,
  X_ACCESS_TOKEN: optionalString,
  X_ACCESS_SECRET: optionalString,
  X_POLL_INTERVAL_SECONDS: int(5, 86400).default(60),
  X_OWNS_APP: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  X_PRICE_PER_POST_USD: num(0).default(0.005),
  X_PRICE_PER_OWNED_POST_USD: num(0).default(0.001),
  X_PRICE_PER_DM_EVENT_USD: num(0).default(0.01),
  X_PRICE_PER_POST_CREATE_USD: num(0).default(0.015),
  X_PRICE_PER_POST_WITH_URL_USD: num(0).default(0.2),
  X_PRICE_PER_DM_CREATE_USD: num(0).default(0.015),
  X_MONTHLY_BUDGET_USD: optionalString.pipe(z.coerce.number<string | undefined>().positive().optional()),
  X_BUDGET_WARN_AT: num(0.01).max(1).default(0.8),
  // X Activity API push (connectors/x/push-*.ts)
  X_WEBHOOK_ENABLED: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  X_WEBHOOK_PATH: z.string().trim().regex(/^\/[A-Za-z0-9/_-]+$/, 'a path such as /webhooks/x (letters, digits, / _ -)').default('/webhooks/x'),
  X_WEBHOOK_ID: optionalString.pipe(z.string().regex(/^\d{1,19}$/, 'the webhook id X gave (digits)').optional()),
  X_CONSUMER_SECRET: optionalString,
  X_OAUTH2_USER_TOKEN: optionalString,
  // Mastodon: accounts in a JSON file and/or one from these variables (src/config/mastodon.ts checks them)
  MASTODON_ACCOUNTS_FILE: optionalString,
  MASTODON_ACCOUNT_ID: optionalString,
  MASTODON_URL: optionalString,
  MASTODON_ACCESS_TOKEN: optionalString,
  MASTODON_POLL_INTERVAL_SECONDS: int(5, 86400).default(60),

  BLUESKY_ACCOUNTS_FILE: optionalString,
  BLUESKY_ACCOUNT_ID: optionalString,
  BLUESKY_IDENTIFIER: optionalString,
  BLUESKY_APP_PASSWORD: optionalString,
  BLUESKY_SERVICE_URL: z.url({ protocol: /^https?$/ }).default('https://bsky.social'),
  BLUESKY_POLL_INTERVAL_SECONDS: int(5, 86400).default(60),

  EMAIL_ACCOUNTS_FILE: optionalString,
  EMAIL_POLL_INTERVAL_SECONDS: int(5, 86400).default(60),

  SLACK_BOT_TOKEN: optionalString.pipe(z.string().regex(/^xox[bp]-/, 'a bot token starts with xoxb-').optional()),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_SOCKET_MODE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  SLACK_APP_TOKEN: optionalString.pipe(z.string().regex(/^xapp-/, 'an app-level token starts with xapp-').optional()),
  SLACK_API_URL: z.url({ protocol: /^https?$/ }).default('https://slack.com/api/'),
  SLACK_CHANNELS: optionalString.pipe(
    z
      .string()
      .regex(/^([a-z][a-z0-9_-]*=[CG][A-Z0-9]+)(,[a-z][a-z0-9_-]*=[CG][A-Z0-9]+)*$/, 'department=channelId pairs separated by commas, e.g. support=C0123,sales=C0456')
      .optional(),
  ),
  SLACK_TRIAGE_CHANNEL: optionalString.pipe(z.string().regex(/^[CG][A-Z0-9]+$/, 'a Slack channel id such as C0123ABCD').optional()),
  SLACK_MANAGER_CHANNEL: optionalString.pipe(z.string().regex(/^[CG][A-Z0-9]+$/, 'a Slack channel id such as C0123ABCD').optional()),
  SLA_WARN_AT: num(0.01).max(1).default(0.8),
  SLA_ROLLUP_SECONDS: int(5, 3600).default(60),
  FEEDBACK_DIGEST_SCHEDULE: z.string().min(1).default('0 9 * * 1'),
  FEEDBACK_DIGEST_TIMEZONE: z.string().min(1).default('Europe/Berlin'),
  NOTE_PREFIX: z.string().min(1).default('note:'),
  REPLY_POLICY: optionalString.pipe(z.enum(['direct', 'confirm', 'approval'], 'one of direct, confirm, approval').default('direct')),
  OUTBOUND_MAX_ATTEMPTS: int(1, 50).default(5),
  OUTBOUND_RETRY_BASE_MS: int(10, 3_600_000).default(5000),
  OUTBOX_SWEEP_SECONDS: int(1, 3600).default(30),
  OUTBOX_GRACE_SECONDS: int(0, 86_400).default(60),
  OUTBOX_MAX_AGE_HOURS: int(1, 8760).default(72),
  // resolved conversations older than this many days are deleted (a department's retentionDays wins); empty: kept
  RETENTION_DAYS: optionalString.pipe(z.coerce.number<string | undefined>().int().min(1).max(36_500).optional()),
  RETENTION_SCHEDULE: z.string().min(1).default('0 3 * * *'),

  REPLAY: z.enum(['auto', 'on', 'off']).default('auto'),
  REPLAY_FILE: z.string().min(1).default('connectors/replay/example.jsonl'),
  REPLAY_INTERVAL_MS: int(10, 3_600_000).default(2000),
  REPLAY_HISTORY_DAYS: optionalString.pipe(z.coerce.number<string | undefined>().int().min(0).max(30).default(7)),

  JOBS_PROCESS_EVERY_MS: int(100, 600_000).default(1000),
  JOBS_LOCK_LIFETIME_MS: int(1000, 3_600_000).default(20_000),
  SLACK_RETRY_BASE_MS: int(10, 600_000).default(1000),
  SHUTDOWN_TIMEOUT_MS: int(0, 600_000).default(10_000),
  /** test hook only (kill tests): the process SIGKILLs itself at this point */
  SWITCHBOARD_CRASH_AT: optionalString.pipe(z.enum(CRASH_POINTS).optional()),
});

export type Env = z.infer<typeof envSchema>;
