import type { Server } from 'node:http';
import os from 'node:os';
import mongoose from 'mongoose';
import { createApp } from '../api/app';
import type { Config } from '../config';
import { loadDepartments } from '../config/departments';
import { createAgenda } from '../jobs/agenda';
import { schedulePolling } from '../jobs/poll';
import { Router } from '../routing/router';
import { connectStore, disconnectStore } from '../store/connection';
import { registerAccount } from '../store/repositories/channel-accounts';
import { syncDepartments } from '../store/repositories/departments';
import { loadOrTrainClassifier } from './classifier';
import { configuredAccounts } from './connectors';
import { openDatabase } from './database';
import type { Logger } from './logger';

export interface Running {
  port: number;
  stop(): Promise<void>;
}

/** Starts Switchboard: database, departments, classifier, polling jobs, HTTP. */
export async function startSwitchboard(config: Config, logger: Logger): Promise<Running> {
  const departments = loadDepartments(config.departmentsFile);
  const database = await openDatabase(config, logger);
  await connectStore(database.uri, config.dbName);
  await syncDepartments(departments);

  const { classifier, version } = await loadOrTrainClassifier(logger);
  const router = new Router(classifier, { threshold: config.triageThreshold, departments: departments.map((d) => d.key) });
  logger.info({ version, labels: classifier.labels }, 'classifier ready');
  const pipeline = {
    router,
    onNewConversation: ({ conversationId, department }: { conversationId: unknown; department: string }) => {
      logger.info({ conversationId: String(conversationId), department }, 'new conversation routed');
      return Promise.resolve();
    },
  };

  const accounts = configuredAccounts(config);
  for (const a of accounts) await registerAccount({ channel: a.connector.kind, account: a.account }, a.fingerprint);
  const db = mongoose.connection.db;
  if (!db) throw new Error('database connection has no db handle');
  const agenda = await createAgenda(db, config.jobs.processEveryMs);
  await schedulePolling(agenda, accounts, {
    pipeline,
    logger,
    owner: `${os.hostname()}:${process.pid}`,
    leaseMs: 5 * 60_000,
    pricing: config.x,
  });
  await agenda.start();
  logger.info({ accounts: accounts.map((a) => `${a.connector.kind}:${a.account}`) }, 'polling started');

  const app = createApp({ logger, pipeline, ingest: config.ingest });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(config.port, () => resolve(s));
  });
  const port = (server.address() as { port: number }).port;
  logger.info({ port }, `Switchboard listening on http://localhost:${port}`);

  return {
    port,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // running jobs may finish (up to the timeout); no new ones start
      await agenda.drain({ timeout: config.shutdownTimeoutMs });
      await disconnectStore();
      await database.stop();
    },
  };
}
