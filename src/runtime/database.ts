import { startEmbeddedDb } from '../../scripts/db/embedded';
import { portAnswers } from '../../scripts/db/net';
import type { Config } from '../config';
import type { Logger } from './logger';

export interface Database {
  uri: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/** MONGODB_URI when set; otherwise the embedded FerretDB 2 + PostgreSQL (reused if one already answers on its port). */
export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  if (config.mongodbUri) return { uri: config.mongodbUri, embedded: false, stop: () => Promise.resolve() };
  const { port, dataDir, sourcesDir } = config.ferretdb;
  if (await portAnswers(port)) {
    logger.info({ port }, 'using the embedded database already running on this port');
    return { uri: `mongodb://127.0.0.1:${port}/`, embedded: true, stop: () => Promise.resolve() };
  }
  const running = await startEmbeddedDb({ port, dataDir, sourcesDir, log: (line) => logger.info(line) });
  logger.info({ port, dataDir }, 'embedded database started (FerretDB 2 on PostgreSQL 15 + DocumentDB)');
  return { uri: running.uri, embedded: true, stop: () => running.stop() };
}
