import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { createApp } from '../api/app';
import type { Config } from '../config';
import { checkStartup } from '../config/startup';
import type { Department } from '../domain/department';
import { createAgenda, stopAgenda } from '../jobs/agenda';
import { logAgendaErrors, logJobFailures } from '../jobs/failures';
import { agendaOutbox, defineOutboxJobs, schedulePendingReplies } from '../jobs/outbox';
import { scheduleReconcile } from '../jobs/reconcile';
import { schedulePolling } from '../jobs/poll';
import { Router } from '../routing/router';
import { createSlack } from '../slack/app';
import { DepartmentDirectory } from '../slack/directory';
import { warnIfPeopleUnchecked } from '../people/startup';
import { connectStore, disconnectStore } from '../store/connection';
import { registerAccount } from '../store/repositories/channel-accounts';
import { syncDepartmentsAudited } from '../audit/admin';
import type { TrainedClassifier } from '../../classifiers';
import { scheduleRetraining } from '../jobs/learning';
import { replyDetectorFromStore, watchReplyVerdicts } from '../learning/reply-detector';
import type { PipelineDeps } from '../ingest/pipeline';
import { armCrash } from '../domain/crash';
import { scheduleDigest } from '../jobs/digest';
import { scheduleSlaChecks } from '../jobs/sla';
import { scheduleSlaRollups } from '../jobs/sla-rollup';
import { scheduleRetention } from '../jobs/retention';
import { RuleSet } from '../routing/rules';
import { SlaClock } from '../sla/clock';
import { appPipeline, sweepAnnouncer } from './pipeline';
import { slackAlertSink } from '../slack/sla-alerts';
import { slackBudgetWarning } from '../slack/budget-alerts';
import { SpendMeter, meteredConnector } from '../ingest/spend';
import { loadOrTrainClassifier, ModelHolder, warnUnreachable, wordThresholds } from './classifier';
import { configuredAccounts, connectorKey, webhookReplyConnectors } from './connectors';
import { subscribeXAccounts, xWebhookOptions } from './x-push';
import { watchEmailAccounts } from './email';
import { openDatabase } from './database';
import { listenEarly, type EarlyServer } from './http';
import { playDemoHistory } from './demo';
import type { Logger } from './logger';

export interface Running {
  port: number;
  /** the address the server is bound to */
  host: string;
  stop(): Promise<void>;
}

/** Runs what a failed start had started, newest first, so nothing (the embedded database above all) is left running. */
async function undoAll(undo: Array<() => Promise<void> | void>, logger: Logger): Promise<void> {
  for (const step of undo.reverse()) {
    try {
      await step();
    } catch (err) {
      logger.warn({ err }, 'cleaning up after a failed start');
    }
  }
}

/**
 * Starts Switchboard: settings checked, HTTP port bound, then database, departments, classifier, jobs, Slack.
 * A failure at any step stops what the earlier steps started before it is thrown.
 */
export async function startSwitchboard(config: Config, logger: Logger): Promise<Running> {
  const departments = checkStartup(config);
  const server = await listenEarly(config.host, config.port);
  const undo: Array<() => Promise<void> | void> = [() => server.close()];
  try {
    return await startOn(server, departments, config, logger, undo);
  } catch (err) {
    await undoAll(undo, logger);
    throw err;
  }
}

async function startOn(server: EarlyServer, departments: Department[], config: Config, logger: Logger, undo: Array<() => Promise<void> | void>): Promise<Running> {
  armCrash(config.crashAt);
  const directory = new DepartmentDirectory(departments, config.slack?.channels, config.slack?.triageChannel);
  const database = await openDatabase(config, logger);
  undo.push(() => database.stop());
  await connectStore(database.uri, config.dbName);
  undo.push(() => disconnectStore());
  await syncDepartmentsAudited(directory.list());

  const { classifier, version } = await loadOrTrainClassifier(logger, departments);
  const thresholdOf = (model: TrainedClassifier) =>
    config.triageThreshold === 'auto' ? (model.meta.calibration?.triage.threshold ?? 0.5) : config.triageThreshold;
  const replies = await replyDetectorFromStore(config.noReply.threshold);
  const router = new Router(classifier, {
    threshold: thresholdOf(classifier), thresholds: wordThresholds(departments, classifier), departments: departments.map((d) => d.key), rules: new RuleSet(departments), noReply: replies.detector,
  });
  const model = new ModelHolder(classifier, version, (next) => {
    router.useClassifier(next, thresholdOf(next), wordThresholds(departments, next));
    warnUnreachable(departments, next, logger);
  });
  const stopWatching = model.watch(60_000, logger);
  undo.push(stopWatching);
  undo.push(watchReplyVerdicts(router, config.noReply.threshold, replies.mark, 60_000, logger));
  logger.info({ version, labels: classifier.labels, triageThreshold: router.triageThreshold, taughtByWords: Object.keys(wordThresholds(departments, classifier)), noReplyVerdicts: replies.taught }, 'classifier ready');
  warnUnreachable(departments, classifier, logger);

  const db = mongoose.connection.db;
  if (!db) throw new Error('database connection has no db handle');
  const lockLifetimeMs = config.jobs.lockLifetimeMs;
  const agenda = await createAgenda(db, config.jobs.processEveryMs, lockLifetimeMs);
  undo.push(async () => {
    await stopAgenda(agenda, db, config.shutdownTimeoutMs);
  });
  logJobFailures(agenda, logger);
  logAgendaErrors(agenda, logger);
  const outbox = agendaOutbox(agenda, config.slack !== undefined);
  const policyOf = (key: string) => directory.get(key)?.sla;
  const clock = new SlaClock(policyOf, config.sla.warnAt);
  const slack = config.slack && createSlack({ config: config.slack, directory, outbox, notePrefix: config.outbound.notePrefix, logger, events: clock, leaseMs: config.jobs.lockLifetimeMs, locale: config.locale, replyPolicy: config.replyPolicy });
  if (slack) await warnIfPeopleUnchecked(logger);
  const pipeline = appPipeline({ router, clock, outbox, logger, noReplyCards: config.noReply.cards });

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
  const connectors = new Map([...webhookReplyConnectors(config), ...accounts.flatMap((a) => (a.channels ?? [a.connector.kind]).map((c) => [connectorKey(c, a.account), sendVia(a)] as const))]);
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
      leaseMs: config.jobs.lockLifetimeMs,
    },
    logger,
    lockLifetimeMs,
    slackRetryBaseMs: config.jobs.slackRetryBaseMs,
  });
  await schedulePolling(agenda, accounts, { pipeline, logger, owner, leaseMs: lockLifetimeMs, spend }, lockLifetimeMs);
  await scheduleReconcile(agenda, {
    outbox,
    announce: sweepAnnouncer(clock, pipeline),
    everySeconds: config.outbox.sweepSeconds,
    graceSeconds: config.outbox.graceSeconds,
    maxAgeHours: config.outbox.maxAgeHours,
    slack: slack && { hasChannel: (department) => directory.channelOf(department) !== undefined, quietCards: config.noReply.cards === 'channel' },
    lockLifetimeMs,
  });
  if (slack) await schedulePendingReplies(agenda);
  await scheduleRetraining(agenda, {
    current: () => model.classifier,
    promoted: (next, v) => model.use(next, v),
    options: { minNewCorrections: config.learning.retrainAfterCorrections, maxAgeMs: config.learning.retrainIntervalMinutes * 60_000, departments },
    logger,
    lockLifetimeMs,
  });
  const productChannel = directory.channelOf('product');
  if (slack && productChannel) {
    await scheduleDigest(agenda, {
      every: config.digest.schedule,
      timezone: config.digest.timeZone,
      lockLifetimeMs,
      locale: config.locale,
      post: async (text) => {
        await slack.notifier.postToChannel(productChannel, text);
      },
    });
  }
  await scheduleSlaRollups(agenda, { everySeconds: config.sla.rollupSeconds, lockLifetimeMs });
  await scheduleRetention(agenda, { ...config.retention, logger, lockLifetimeMs });
  if (slack) await scheduleSlaChecks(agenda, { policyOf, sink: slackAlertSink(slack.notifier, directory, config.slack?.managerChannel), lockLifetimeMs });
  // in the background: only conversations stored before sla.running, or under another SLA_WARN_AT, need it
  clock.refreshStale().then(
    (updated) => updated > 0 && logger.info({ updated }, 'SLA warning times recomputed'),
    (err: unknown) => logger.warn({ err }, 'SLA warning times not recomputed'),
  );
  await agenda.start();
  // IMAP IDLE: new mail is polled at once; the scheduled poll above stays the fallback
  const stopMail = watchEmailAccounts(accounts, { pipeline, logger, owner, leaseMs: lockLifetimeMs, spend }, logger);
  undo.push(stopMail);
  await slack?.start();
  undo.push(() => slack?.stop());
  logger.info({ accounts: accounts.map((a) => `${a.connector.kind}:${a.account}`), slack: Boolean(slack) }, 'jobs started');

  const app = createApp({
    logger,
    pipeline,
    ingest: config.ingest,
    slackRouter: slack?.router,
    outbox,
    effects: slack?.effects,
    canSend: (channel, account) => connectors.has(connectorKey(channel, account)),
    events: clock,
    sla: { policyOf },
    channels: { spend },
    locale: config.locale,
    replyPolicyOf: (key) => directory.get(key)?.replyPolicy ?? config.replyPolicy,
    xWebhook: xWebhookOptions(config),
    retention: config.retention,
  });
  server.serve(app);
  // after serving: X sends its CRC challenge to the webhook while a subscription is created
  void subscribeXAccounts(config.x, logger, owner, lockLifetimeMs).catch((err: unknown) => logger.warn({ err }, 'X push: subscription step failed'));
  const { port, host } = server;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ host, port }, `Switchboard listening on ${base}; dashboard ${base}/dashboard; make a token: npm run cli -- token create --role admin`);

  return {
    port,
    host,
    async stop() {
      await server.close();
      stopWatching();
      await stopMail();
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

