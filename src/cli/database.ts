import dotenv from 'dotenv';
import { loadConfig, type Config } from '../config';
import { openDatabase } from '../runtime/database';
import { createLogger } from '../runtime/logger';
import { connectStore, disconnectStore } from '../store/connection';

/** Runs `work` against the configured database (.env, MONGODB_URI or the embedded FerretDB), whether or not the app is running. */
export async function withDatabase<T>(work: (config: Config) => Promise<T>): Promise<T> {
  dotenv.config({ quiet: true });
  const config = loadConfig();
  const database = await openDatabase(config, createLogger('warn'));
  try {
    await connectStore(database.uri, config.dbName);
    return await work(config);
  } finally {
    await disconnectStore();
    await database.stop();
  }
}
