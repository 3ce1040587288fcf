import path from 'node:path';
import { portAnswers, startFerretdb } from '../../scripts/db/ferretdb';
import type { Config } from '../config';
import type { Logger } from './logger';

export interface Database {
  uri: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/** MONGODB_URI when set; otherwise our embedded FerretDB (reused if one already answers on its port). */
export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  if (config.mongodbUri) return { uri: config.mongodbUri, embedded: false, stop: () => Promise.resolve() };
  const { port, dataDir } = config.ferretdb;
  if (await portAnswers(port)) {
    logger.info({ port }, 'using the FerretDB already running on this port');
    return { uri: `mongodb://127.0.0.1:${port}/`, embedded: true, stop: () => Promise.resolve() };
  }
  const running = await startFerretdb({
    port,
    dataDir: path.resolve(dataDir),
    log: (line) => logger.info(line),
  });
  logger.info({ port, dataDir }, 'embedded FerretDB started');
  return { uri: running.uri, embedded: true, stop: () => running.stop() };
}
