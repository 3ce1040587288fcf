import { parseArgs } from 'node:util';
import dotenv from 'dotenv';
import { loadConfig } from '../../src/config';
import { startEmbeddedDb } from './embedded';

// `npm run db:start -- --port P --data DIR`: the embedded database alone, until SIGTERM or Ctrl-C.
async function main(): Promise<void> {
  dotenv.config({ quiet: true });
  const { ferretdb } = loadConfig();
  const { values } = parseArgs({ options: { port: { type: 'string' }, data: { type: 'string' } } });
  const port = values.port === undefined ? ferretdb.port : Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--port: a TCP port (1-65535), got ${values.port}`);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const db = await startEmbeddedDb({ port, dataDir: values.data ?? ferretdb.dataDir, sourcesDir: ferretdb.sourcesDir, log });
  process.stdout.write(`${db.uri}\n`);
  const stop = (signal: string) => {
    log(`${signal}: stopping FerretDB and PostgreSQL`);
    db.stop().then(() => process.exit(0), (err: unknown) => {
      log(`stop failed: ${String(err)}`);
      process.exit(1);
    });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
