import { App, ExpressReceiver, type webApi } from '@slack/bolt';
import { Router } from 'express';
import type { SlackConfig } from '../config';
import type { ConversationEvents } from '../domain/events';
import type { Outbox } from '../domain/outbox';
import type { Locale } from '../i18n';
import type { Logger } from '../runtime/logger';
import type { ActionEffects, Actor } from '../actions/types';
import { registerActions } from './actions';
import type { DepartmentDirectory } from './directory';
import { registerEvents } from './events';
import { slackRequestGuard } from './guard';
import { boltLogger } from './logger';
import { announceMove } from './moves';
import { actOnce } from './once';
import { resolvePendingReplies, sweepPendingReplies } from './pending';
import { registerReplyChoices } from './reply-actions';
import { SlackNotifier } from './notify';
import { peopleGate } from './draft-access';
import { draftNotices, registerDrafts } from './drafts';
import type { ReplyPolicy } from '../domain/department';
import { AgentNames } from './users';

export interface SlackOptions {
  config: SlackConfig;
  directory: DepartmentDirectory;
  outbox: Outbox;
  notePrefix: string;
  logger: Logger;
  events?: ConversationEvents;
  /** how long a dead worker's hold on a card or thread line lasts (renewed while it posts): JOBS_LOCK_LIFETIME_MS */
  leaseMs?: number;
  /** DEFAULT_LOCALE: for messages to a channel, and to people whose Slack language we have no texts for */
  locale?: Locale;
  /** REPLY_POLICY: the reply policy of a department that names none */
  replyPolicy?: ReplyPolicy;
}

export interface Slack {
  client: webApi.WebClient;
  notifier: SlackNotifier;
  /** what Slack shows after an agent action, from Slack or the API: the card redrawn, or moved to the new department */
  effects: ActionEffects;
  /** mount at /slack (HTTP mode); undefined in Socket Mode */
  router?: Router;
  /** agent replies kept because their card's thread was unknown: deliver them, or after a wait say so */
  sweepPendingReplies(now?: Date): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The Bolt app: signed HTTP requests at /slack/events, or Socket Mode for installs without a public URL. */
export function createSlack(options: SlackOptions): Slack {
  const { config } = options;
  const logger = boltLogger(options.logger);
  // our jobs retry with backoff; the client itself fails fast and hands 429s up with their Retry-After
  const clientOptions = { slackApiUrl: config.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true };
  let receiver: ExpressReceiver | undefined;
  let app: App;
  if (config.socketMode) {
    app = new App({ token: config.botToken, appToken: config.appToken, socketMode: true, clientOptions, logger });
  } else {
    const signingSecret = config.signingSecret ?? '';
    // our guard runs first on the receiver's own router: Bolt adds its handlers after it
    const router = Router();
    router.post('/events', ...slackRequestGuard({ signingSecret }));
    receiver = new ExpressReceiver({ signingSecret, router, endpoints: '/events', processBeforeResponse: true, logger });
    app = new App({ token: config.botToken, receiver, clientOptions, logger });
  }
  const agents = new AgentNames(app.client, options.locale);
  const notifier = new SlackNotifier(app.client, options.directory, options.leaseMs, options.locale, (user) => agents.localeOf(user));
  app.use(actOnce());
  app.use(peopleGate(app.client, agents));
  const policyOf = (department: string) => options.directory.get(department)?.replyPolicy ?? options.replyPolicy ?? 'direct';
  const drafts = { client: app.client, agents, policyOf };
  const eventDeps = { outbox: options.outbox, agents, notePrefix: options.notePrefix, logger: options.logger, drafts };
  registerEvents(app, eventDeps);
  // a card's thread is known only after it is stored; a listener failure must not fail the card, the sweep retries
  notifier.onThreadRecorded((channel, threadTs) =>
    resolvePendingReplies({ channel, threadTs }, eventDeps).then(
      () => undefined,
      (err: unknown) => options.logger.warn({ err, channel, threadTs }, 'waiting agent replies not resolved yet'),
    ),
  );
  registerReplyChoices(app, { outbox: options.outbox, agents });
  registerDrafts(app, { outbox: options.outbox, agents, locale: options.locale ?? 'en' });
  // a Slack user sees the redrawn card in their Slack language; an API or inbox action in the default
  const localeOf = async (by: Actor) => (by.id.startsWith('slack:') ? agents.localeOf(by.id.slice('slack:'.length)) : notifier.locale);
  const effects: ActionEffects = {
    changed: async (id, by) => notifier.refreshCard(id, undefined, await localeOf(by)),
    moved: async (id, to, by) => announceMove({ notifier, directory: options.directory, outbox: options.outbox }, id, to, by.name, await localeOf(by)),
    draftDecided: draftNotices(app.client, { agents, locale: options.locale ?? 'en' }).decided,
  };
  registerActions(app, { directory: options.directory, outbox: options.outbox, agents, events: options.events, effects });
  app.error((err) => {
    options.logger.error({ err }, 'Slack handler failed');
    return Promise.resolve();
  });
  return {
    client: app.client,
    notifier,
    effects,
    router: receiver?.router,
    sweepPendingReplies: (now) => sweepPendingReplies(eventDeps, notifier, now),
    start: async () => {
      if (config.socketMode) await app.start();
    },
    stop: async () => {
      if (config.socketMode) await app.stop();
    },
  };
}
