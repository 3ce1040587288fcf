import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import { AppError } from '../domain/errors';
import type { ConversationEvents } from '../domain/events';
import type { PipelineDeps } from '../ingest/pipeline';
import type { Locale } from '../i18n';
import { redactRequest, type Logger } from '../runtime/logger';
import { storeIsReachable } from '../store/connection';
import { errorHandler } from './errors';
import { conversationRoutes, type OnReassigned } from './routes/conversations';
import { ingestRoutes } from './routes/ingest';
import { dashboardRouter } from './dashboard/router';
import { channelRoutes, type ChannelRouteDeps } from './routes/channels';
import { feedbackRoutes } from './routes/feedback';
import { reportRoutes } from './routes/reports';
import { slaRoutes, type SlaRouteDeps } from './routes/sla';

export interface AppOptions {
  logger: Logger;
  pipeline: PipelineDeps;
  ingest: { maxBytes: number; maxBatch: number; raw?: { maxDepth: number; maxBytes: number } };
  /** Bolt's receiver router: mounted before any body parser, it verifies signatures over the raw body */
  slackRouter?: express.Router;
  onReassigned?: OnReassigned;
  events?: ConversationEvents;
  sla?: SlaRouteDeps;
  channels?: ChannelRouteDeps;
  /** DEFAULT_LOCALE: the dashboard's language when the browser asks for none we have */
  locale?: Locale;
}

/** The HTTP surface: health, the REST API and the inbound webhook. Body parsers are per route. */
export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(pinoHttp({ logger: options.logger, serializers: { req: redactRequest }, autoLogging: { ignore: (req) => req.url === '/healthz' } }));

  if (options.slackRouter) app.use('/slack', options.slackRouter);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = await storeIsReachable();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'database unreachable' });
  });

  const api = express.Router();
  api.use(ingestRoutes({ ...options.ingest, pipeline: options.pipeline }));
  // before the conversation routes: /conversations/at-risk is not a conversation id
  if (options.sla) api.use(slaRoutes(options.sla));
  api.use(conversationRoutes(options.pipeline.router, options.onReassigned, options.events));
  api.use(reportRoutes());
  api.use(channelRoutes(options.channels));
  api.use(feedbackRoutes());
  app.use('/api', api);
  app.use(dashboardRouter({ defaultLocale: options.locale }));

  app.use((req, _res, next) => {
    next(new AppError('not_found', `no route for ${req.method} ${req.path}`));
  });
  app.use(errorHandler(options.logger));
  return app;
}
