import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import { AppError } from '../domain/errors';
import type { ConversationEvents } from '../domain/events';
import type { PipelineDeps } from '../ingest/pipeline';
import type { Locale } from '../i18n';
import { httpSerializers, type Logger } from '../runtime/logger';
import { storeIsReachable } from '../store/connection';
import { errorHandler } from './errors';
import type { ActionEffects } from '../actions/types';
import type { Outbox } from '../domain/outbox';
import { conversationActionRoutes } from './routes/conversation-actions';
import { conversationRoutes } from './routes/conversations';
import { openApiRoutes } from './routes/openapi';
import { ingestRoutes } from './routes/ingest';
import { dashboardRouter } from './dashboard/router';
import { blockedSenderRoutes } from './routes/blocked-senders';
import { channelRoutes, type ChannelRouteDeps } from './routes/channels';
import { feedbackRoutes } from './routes/feedback';
import { reportRoutes } from './routes/reports';
import { slaRoutes, type SlaRouteDeps } from './routes/sla';
import { tokenRoutes } from './routes/tokens';
import { draftRoutes } from './routes/drafts';
import { peopleRoutes } from './routes/people';
import type { ReplyPolicy } from '../domain/department';
import { xWebhookRoutes, type XWebhookOptions } from './routes/x-webhook';
import { auditRoutes } from './routes/audit';
import { customerRoutes } from './routes/customers';
import { retentionRoutes } from './routes/retention';

export interface AppOptions {
  logger: Logger;
  pipeline: PipelineDeps;
  ingest: { maxBytes: number; maxBatch: number; raw?: { maxDepth: number; maxBytes: number } };
  /** Bolt's receiver router: mounted before any body parser, it verifies signatures over the raw body */
  slackRouter?: express.Router;
  /** queues agent replies for delivery; without it (tests without jobs) they wait for the reconciliation sweep */
  outbox?: Pick<Outbox, 'replyQueued' | 'agentMessageWritten'> & Partial<Pick<Outbox, 'conversationRouted'>>;
  /** what Slack does after an agent action (redraw or move the card); a failure there is logged, the action stands */
  effects?: ActionEffects;
  /** whether a connector can send on (channel, account): a reply nothing can send is refused up front */
  canSend?: (channel: string, account: string) => boolean;
  events?: ConversationEvents;
  sla?: SlaRouteDeps;
  channels?: ChannelRouteDeps;
  /** DEFAULT_LOCALE: the dashboard's language when the browser asks for none we have */
  locale?: Locale;
  /** the reply policy of each department (its own, else REPLY_POLICY); absent: every reply goes out as written */
  replyPolicyOf?: (department: string) => ReplyPolicy;
  /** X Activity API push (X_WEBHOOK_ENABLED): mounted before any body parser, it verifies signatures over the raw body */
  xWebhook?: Omit<XWebhookOptions, 'pipeline'>;
  /** RETENTION_DAYS, for the retention dry run */
  retention?: { defaultDays?: number };
}

/** The HTTP surface: health, the REST API and the inbound webhook. Body parsers are per route. */
export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(pinoHttp({ logger: options.logger, serializers: httpSerializers(options.logger), autoLogging: { ignore: (req) => req.url === '/healthz' } }));

  if (options.slackRouter) app.use('/slack', options.slackRouter);
  if (options.xWebhook) app.use(xWebhookRoutes({ ...options.xWebhook, pipeline: options.pipeline }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = await storeIsReachable();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'database unreachable' });
  });

  // the product's front page is the dashboard
  app.get('/', (_req, res) => {
    res.redirect(302, '/dashboard');
  });

  const api = express.Router();
  api.use(ingestRoutes({ ...options.ingest, pipeline: options.pipeline }));
  // before the conversation routes: /conversations/at-risk is not a conversation id
  if (options.sla) api.use(slaRoutes(options.sla));
  const actions = { outbox: options.outbox ?? { replyQueued: () => Promise.resolve(), agentMessageWritten: () => Promise.resolve() }, events: options.events, effects: loggedEffects(options.effects, options.logger) };
  api.use(conversationActionRoutes({ actions, canSend: options.canSend, replyPolicyOf: options.replyPolicyOf }));
  api.use(draftRoutes({ actions }));
  api.use(conversationRoutes({ departments: options.pipeline.router, actions }));
  api.use(reportRoutes());
  api.use(channelRoutes(options.channels));
  api.use(feedbackRoutes());
  api.use(openApiRoutes());
  api.use(tokenRoutes());
  api.use(peopleRoutes({ hasDepartment: (key) => options.pipeline.router.hasDepartment(key) }));
  api.use(blockedSenderRoutes(actions));
  api.use(auditRoutes(), customerRoutes({ effects: actions.effects, locale: options.locale }), retentionRoutes(options.retention ?? {}));
  app.use('/api', api);
  app.use(dashboardRouter({ defaultLocale: options.locale }));

  app.use((req, _res, next) => {
    next(new AppError('not_found', `no route for ${req.method} ${req.path}`));
  });
  app.use(errorHandler(options.logger));
  return app;
}

/** The API's action is stored and answered whatever Slack does: a failed card update is logged, not the client's error. */
function loggedEffects(effects: ActionEffects | undefined, logger: Logger): ActionEffects | undefined {
  if (!effects) return undefined;
  const guard = (what: string, run: () => Promise<void> | undefined) => async () => {
    try {
      await run();
    } catch (err) {
      logger.warn({ err }, `${what} failed after an API action`);
    }
  };
  return {
    changed: (id, by) => guard('Slack card update', () => effects.changed?.(id, by))(),
    moved: (id, to, by) => guard('Slack card move', () => effects.moved?.(id, to, by))(),
    draftDecided: (id, by) => guard('Slack draft line', () => effects.draftDecided?.(id, by))(),
  };
}
