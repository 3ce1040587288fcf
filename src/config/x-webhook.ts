import type { Env } from './schema';

export interface XWebhookConfig {
  /** where X posts events and sends its CRC challenge */
  path: string;
  /** the X app's consumer secret (API key secret) that signs both */
  consumerSecret: string;
  /** the webhook X registered for that URL (POST /2/webhooks): subscriptions deliver to it */
  webhookId?: string;
}

// the app's own prefixes: a webhook there would shadow or be shadowed by them
const TAKEN = ['/api', '/slack', '/dashboard', '/healthz', '/readyz'];

/** X_WEBHOOK_*: undefined while push is off; each problem names its variable. */
export function xWebhookConfig(env: Env, appSecrets: string[], problems: string[]): XWebhookConfig | undefined {
  if (!env.X_WEBHOOK_ENABLED) return undefined;
  const path = env.X_WEBHOOK_PATH;
  const taken = TAKEN.find((p) => path === p || path.startsWith(`${p}/`));
  if (taken) problems.push(`X_WEBHOOK_PATH: ${path} is inside ${taken}, which Switchboard answers itself`);
  if (appSecrets.length === 0) problems.push('X_WEBHOOK_ENABLED: push needs at least one X account (X_USER_ID… or X_ACCOUNTS_FILE)');
  const distinct = [...new Set(appSecrets)];
  const consumerSecret = env.X_CONSUMER_SECRET ?? (distinct.length === 1 ? distinct[0] : undefined);
  if (!consumerSecret && distinct.length > 1) problems.push('X_CONSUMER_SECRET: required when X_WEBHOOK_ENABLED=true and the X accounts name different appSecret values');
  return { path, consumerSecret: consumerSecret ?? '', ...(env.X_WEBHOOK_ID ? { webhookId: env.X_WEBHOOK_ID } : {}) };
}
