import dotenv from 'dotenv';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../runtime/logger';
import { openDatabase } from '../runtime/database';
import { TOKEN_ROLES, type TokenRole } from '../store/models/api-token';
import { connectStore, disconnectStore } from '../store/connection';
import { createApiToken } from '../store/repositories/tokens';

const USAGE = `usage: npm run cli -- token create --role ${TOKEN_ROLES.join('|')} [--name NAME]`;

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** Administration from the shell; works whether or not the app is running. */
async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { role: { type: 'string' }, name: { type: 'string' } },
  });
  if (positionals.join(' ') !== 'token create') fail(USAGE);
  const role = values.role as TokenRole | undefined;
  if (!role || !TOKEN_ROLES.includes(role)) fail(`--role must be one of ${TOKEN_ROLES.join(', ')}\n${USAGE}`);

  dotenv.config({ quiet: true });
  const config = loadConfig();
  const logger = createLogger('warn');
  const database = await openDatabase(config, logger);
  try {
    await connectStore(database.uri, config.dbName);
    const { token } = await createApiToken(role, values.name ?? `${role}-${new Date().toISOString().slice(0, 10)}`);
    process.stdout.write(`${token}\n`);
    process.stderr.write(`created a token with role ${role}; it is shown only once. Use it as "Authorization: Bearer <token>".\n`);
  } finally {
    await disconnectStore();
    await database.stop();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) fail(err.message, 1);
  if (err instanceof TypeError && 'code' in err) fail(`${err.message}\n${USAGE}`);
  fail(`cli failed: ${err instanceof Error ? err.message : String(err)}`, 1);
});
