import type { Config } from '../config';
import { ChannelAccountModel } from '../store/models/channel-account';
import type { Logger } from './logger';
import type { PolledAccount } from './connectors';

/** How to start the demo over today: a fresh database (the replay's cursor lives in it). */
export function resetAdvice(config: Config): string {
  const fresh = `or start with another DB_NAME (now ${config.dbName})`;
  if (config.mongodbUri) return `drop the database ${config.dbName} (mongosh "$MONGODB_URI" --eval 'db.getSiblingDB("${config.dbName}").dropDatabase()') ${fresh}`;
  return `delete the embedded store's folder (rm -rf ${config.ferretdb.dataDir}) ${fresh}`;
}

/** Says at start what the demo replay will do: play from where it stopped, or nothing because it already ran. */
export async function logReplayState(accounts: PolledAccount[], config: Config, logger: Logger): Promise<'done' | 'playing' | undefined> {
  const replay = accounts.find((a) => a.connector.kind === 'replay');
  if (!replay || replay.replayLines === undefined) return undefined;
  const stored = await ChannelAccountModel.findOne({ channel: 'replay', account: replay.account }, { cursor: 1 }).lean<{ cursor?: Record<string, string> }>();
  const played = Number(stored?.cursor?.line ?? 0);
  const file = config.replay.file;
  if (played >= replay.replayLines) {
    logger.warn({ file, played }, `the demo replay already played all ${replay.replayLines} messages of ${file} into this database, so no new ones arrive. To play it again, stop Switchboard, ${resetAdvice(config)}, then npm start`);
    return 'done';
  }
  logger.info({ file, from: played + 1, of: replay.replayLines }, `demo replay: playing ${file} from message ${played + 1} of ${replay.replayLines}, one every ${config.replay.intervalMs} ms`);
  return 'playing';
}
