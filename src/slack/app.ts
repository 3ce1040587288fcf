import { App, ExpressReceiver, type webApi } from '@slack/bolt';
import { Router } from 'express';
import type { SlackConfig } from '../config';
import type { ConversationEvents } from '../domain/events';
import type { Outbox } from '../domain/outbox';
import type { Locale } from '../i18n';
import type { Logger } from '../runtime/logger';
import { registerActions } from './actions';
import type { DepartmentDirectory } from './directory';
import { registerEvents } from './events';
import { slackRequestGuard } from './guard';
import { boltLogger } from './logger';
import { actOnce } from './once';
import { resolvePendingReplies, sweepPendingReplies } from './pending';
import { registerReplyChoices } from './reply-actions';
import { SlackNotifier } from './notify';
import { AgentNames } from './users';

export interface SlackOptions {
  config: SlackConfig;
  directory: DepartmentDirectory;
  outbox: Outbox;
  notePrefix: string;
  logger: Logger;
  events?: ConversationEvents;
  /** DEFAULT_LOCALE: for messages to a channel, and to people whose Slack language we have no texts for */
  locale?: Locale;
}

export interface Slack {
  client: webApi.WebClient;
  notifier: SlackNotifier;
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
  const notifier = new SlackNotifier(app.client, options.directory, options.locale, (user) => agents.localeOf(user));
  app.use(actOnce());
  const eventDeps = { outbox: options.outbox, agents, notePrefix: options.notePrefix, logger: options.logger };
  registerEvents(app, eventDeps);
  // a card's thread is known only after it is stored; a listener failure must not fail the card, the sweep retries
  notifier.onThreadRecorded((channel, threadTs) =>
    resolvePendingReplies({ channel, threadTs }, eventDeps).then(
      () => undefined,
      (err: unknown) => options.logger.warn({ err, channel, threadTs }, 'waiting agent replies not resolved yet'),
    ),
  );
  registerReplyChoices(app, { outbox: options.outbox, agents });
  registerActions(app, { notifier, directory: options.directory, outbox: options.outbox, agents, events: options.events });
  app.error((err) => {
    options.logger.error({ err }, 'Slack handler failed');
    return Promise.resolve();
  });
  return {
    client: app.client,
    notifier,
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
