import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { createApp } from '../api/app';
import type { Config } from '../config';
import { loadDepartments } from '../config/departments';
import { createAgenda, stopAgenda } from '../jobs/agenda';
import { logAgendaErrors, logJobFailures } from '../jobs/failures';
import { agendaOutbox, defineOutboxJobs, schedulePendingReplies } from '../jobs/outbox';
import { scheduleReconcile } from '../jobs/reconcile';
import { schedulePolling } from '../jobs/poll';
import { Router } from '../routing/router';
import { createSlack } from '../slack/app';
import { DepartmentDirectory } from '../slack/directory';
import { announceMove } from '../slack/moves';
import { connectStore, disconnectStore } from '../store/connection';
import { registerAccount } from '../store/repositories/channel-accounts';
import { syncDepartments } from '../store/repositories/departments';
import type { TrainedClassifier } from '../../classifiers';
import { scheduleRetraining } from '../jobs/learning';
import type { PipelineDeps } from '../ingest/pipeline';
import { announceConversation } from '../ingest/announce';
import { armCrash } from '../domain/crash';
import { scheduleDigest } from '../jobs/digest';
import { scheduleSlaChecks } from '../jobs/sla';
import { RuleSet } from '../routing/rules';
import { SlaClock } from '../sla/clock';
import { ConversationFacts } from '../sla/facts';
import { slackAlertSink } from '../slack/sla-alerts';
import { slackBudgetWarning } from '../slack/budget-alerts';
import { SpendMeter, meteredConnector } from '../ingest/spend';
import { loadOrTrainClassifier, ModelHolder } from './classifier';
import { configuredAccounts, connectorKey, webhookReplyConnectors } from './connectors';
import { openDatabase } from './database';
import { playDemoHistory } from './demo';
import type { Logger } from './logger';

export interface Running {
  port: number;
  /** the address the server is bound to */
  host: string;
  stop(): Promise<void>;
}

/** Starts Switchboard: database, departments, classifier, jobs, Slack, HTTP. */
export async function startSwitchboard(config: Config, logger: Logger): Promise<Running> {
  armCrash(config.crashAt);
  const departments = loadDepartments(config.departmentsFile);
  const directory = new DepartmentDirectory(departments, config.slack?.channels, config.slack?.triageChannel);
  const database = await openDatabase(config, logger);
  await connectStore(database.uri, config.dbName);
  await syncDepartments(directory.list());

  const { classifier, version } = await loadOrTrainClassifier(logger);
  const thresholdOf = (model: TrainedClassifier) =>
    config.triageThreshold === 'auto' ? (model.meta.calibration?.triage.threshold ?? 0.5) : config.triageThreshold;
  const router = new Router(classifier, { threshold: thresholdOf(classifier), departments: departments.map((d) => d.key), rules: new RuleSet(departments) });
  const model = new ModelHolder(classifier, version, (next) => router.useClassifier(next, thresholdOf(next)));
  const stopWatching = model.watch(60_000, logger);
  logger.info({ version, labels: classifier.labels, triageThreshold: router.triageThreshold }, 'classifier ready');

  const db = mongoose.connection.db;
  if (!db) throw new Error('database connection has no db handle');
  const agenda = await createAgenda(db, config.jobs.processEveryMs);
  logJobFailures(agenda, logger);
  logAgendaErrors(agenda, logger);
  const outbox = agendaOutbox(agenda, config.slack !== undefined);
  const policyOf = (key: string) => directory.get(key)?.sla;
  const facts = new ConversationFacts();
  const clock = new SlaClock(policyOf, (id) => void facts.refresh(id).catch((err: unknown) => logger.warn({ err }, 'SLA figures refresh failed')));
  const slack = config.slack && createSlack({ config: config.slack, directory, outbox, notePrefix: config.outbound.notePrefix, logger, events: clock, locale: config.locale });
  const pipeline: PipelineDeps = {
    router,
    onNewConversation: async ({ conversationId, department, at }) => {
      logger.info({ conversationId: String(conversationId), department }, 'new conversation routed');
      await clock.routed(String(conversationId), department, at);
      await outbox.conversationRouted(String(conversationId));
    },
    onFollowUp: async (messageId, conversationId, at) => {
      await clock.customerMessage(conversationId, at);
      await outbox.followUpStored(messageId);
    },
    routingWaitMs: config.ingestRoutingWaitMs,
    onHookFailed: (err, step, id) => logger.warn({ err, step, id }, 'stored, but its outbox step failed: the sweep will finish it'),
  };

  const owner = `${os.hostname()}:${process.pid}`;
  const managerChannel = config.slack?.managerChannel;
  const spend = new SpendMeter({
    prices: config.x.prices,
    monthlyBudgetUsd: config.x.monthlyBudgetUsd,
    warnAt: config.x.budgetWarnAt,
    logger,
    onWarning: slack && managerChannel ? slackBudgetWarning(slack.notifier, managerChannel) : undefined,
  });
  const accounts = configuredAccounts(config);
  // what X bills for a reply or DM is counted as it is sent; the outbox sees the same Connector
  const sendVia = (a: (typeof accounts)[number]) => (a.connector.kind === 'x' ? meteredConnector(a.connector, a.account, spend, logger) : a.connector);
  const connectors = new Map([...webhookReplyConnectors(config), ...accounts.map((a) => [connectorKey(a.connector.kind, a.account), sendVia(a)] as const)]);
  for (const a of accounts) await registerAccount({ channel: a.connector.kind, account: a.account }, a.fingerprint, { ownsApp: a.ownsApp });
  if (accounts.some((a) => a.connector.kind === 'replay')) await startDemo(config, { clock, pipeline, logger });
  defineOutboxJobs(agenda, {
    notifier: slack?.notifier,
    sweepPendingReplies: slack && (() => slack.sweepPendingReplies()),
    delivery: {
      connectorFor: (channel, account) => connectors.get(connectorKey(channel, account)),
      report: (messageId) => outbox.replyFinished(messageId),
      onSent: (conversationId, at) => clock.agentReplied(conversationId, at),
      maxAttempts: config.outbound.maxAttempts,
      retryBaseMs: config.outbound.retryBaseMs,
      owner,
    },
    logger,
    lockLifetimeMs: config.jobs.lockLifetimeMs,
  });
  await schedulePolling(agenda, accounts, { pipeline, logger, owner, leaseMs: 5 * 60_000, spend });
  await scheduleReconcile(agenda, {
    outbox,
    announce: (conversation) => announceConversation(conversation, pipeline),
    everySeconds: config.outbox.sweepSeconds,
    graceSeconds: config.outbox.graceSeconds,
    maxAgeHours: config.outbox.maxAgeHours,
    slack: slack && { hasChannel: (department) => directory.channelOf(department) !== undefined },
  });
  if (slack) await schedulePendingReplies(agenda);
  await scheduleRetraining(agenda, {
    current: () => model.classifier,
    promoted: (next, v) => model.use(next, v),
    options: { minNewCorrections: config.learning.retrainAfterCorrections, maxAgeMs: config.learning.retrainIntervalMinutes * 60_000 },
    logger,
  });
  const productChannel = directory.channelOf('product');
  if (slack && productChannel) {
    await scheduleDigest(agenda, {
      every: config.digest.schedule,
      timezone: config.digest.timeZone,
      locale: config.locale,
      post: async (text) => {
        await slack.notifier.postToChannel(productChannel, text);
      },
    });
  }
  if (slack) await scheduleSlaChecks(agenda, { facts, policyOf, warnAt: config.sla.warnAt, sink: slackAlertSink(slack.notifier, directory, config.slack?.managerChannel) });
  // the figures load in the background: a large store takes a while, and start-up should not wait
  facts.load().then(
    () => logger.info({ conversations: facts.size }, 'SLA figures loaded'),
    (err: unknown) => logger.error({ err }, 'SLA figures failed to load'),
  );
  const stopReloading = facts.reloadEvery(config.sla.figuresReloadMinutes * 60_000, (err) => logger.warn({ err }, 'SLA figures reload failed'));
  await agenda.start();
  await slack?.start();
  logger.info({ accounts: accounts.map((a) => `${a.connector.kind}:${a.account}`), slack: Boolean(slack) }, 'jobs started');

  const app = createApp({
    logger,
    pipeline,
    ingest: config.ingest,
    slackRouter: slack?.router,
    onReassigned: slack && ((id, to, by) => announceMove({ notifier: slack.notifier, directory, outbox }, id, to, by)),
    events: clock,
    sla: { facts, policyOf, warnAt: config.sla.warnAt },
    channels: { spend },
    locale: config.locale,
  });
  const server = await new Promise<Server>((resolve, reject) => {
    // an address that is not this machine's (EADDRNOTAVAIL) or a port in use stops the start, naming it
    const s = app.listen(config.port, config.host, () => resolve(s)).once('error', (err) => {
      reject(new Error(`cannot listen on ${config.host}:${config.port}: ${err.message}`));
    });
  });
  const { port, address } = server.address() as { port: number; address: string };
  logger.info({ host: address, port }, `Switchboard listening on http://${address.includes(':') ? `[${address}]` : address}:${port}`);

  return {
    port,
    host: address,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      stopWatching();
      stopReloading();
      await slack?.stop();
      // running jobs may finish (up to the timeout); no new ones start; the ones this process locked are unlocked
      const drained = await stopAgenda(agenda, db, config.shutdownTimeoutMs);
      if (drained.timedOut) logger.warn({ running: drained.running }, 'jobs still running at shutdown: their locks expire on their lifetime');
      await disconnectStore();
      await database.stop();
    },
  };
}

/** The demo replay: a week of history once, then live messages; the log says which and how to start over. */
async function startDemo(config: Config, deps: { clock: SlaClock; pipeline: PipelineDeps; logger: Logger }): Promise<void> {
  const file = path.resolve(config.replay.file);
  const every = `one message every ${config.replay.intervalMs / 1000} s`;
  const history = await playDemoHistory({ file, days: config.replay.historyDays, ...deps });
  if (history.played) {
    const { conversations, replies, corrections, resolved } = history;
    deps.logger.info({ conversations, replies, corrections, resolved }, `demo replay: history played (${conversations} conversations, ${replies} agent replies, ${corrections} corrections, ${resolved} resolved); live messages from ${path.basename(file)} line ${history.liveFrom + 1}, ${every}. npm run demo:reset starts it over`);
  } else {
    const why = config.replay.historyDays === 0 ? 'REPLAY_HISTORY_DAYS=0: no history' : 'history already played';
    deps.logger.info(`demo replay: ${why}; live messages from ${path.basename(file)} line ${history.liveFrom + 1}, ${every} (the file starts over at its end). npm run demo:reset starts it over`);
  }
}

