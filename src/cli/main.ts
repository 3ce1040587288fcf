import { parseArgs } from 'node:util';
import { LabelledDataError } from '../../classifiers';
import { ConfigError } from '../config';
import { TOKEN_ROLES, type TokenRole } from '../store/models/api-token';
import { createApiToken } from '../store/repositories/tokens';
import { withDatabase } from './database';
import { importHistoryFile } from './history';

const USAGE = `usage:
  npm run cli -- token create --role ${TOKEN_ROLES.join('|')} [--name NAME]
  npm run cli -- history import FILE.csv|FILE.jsonl   (columns text,label[,lang]: past conversations and their departments; trains and activates a model)`;

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function createToken(role: string | undefined, name: string | undefined): Promise<void> {
  if (!role || !TOKEN_ROLES.includes(role as TokenRole)) fail(`--role must be one of ${TOKEN_ROLES.join(', ')}\n${USAGE}`);
  await withDatabase(async () => {
    const { token } = await createApiToken(role as TokenRole, name ?? `${role}-${new Date().toISOString().slice(0, 10)}`);
    process.stdout.write(`${token}\n`);
    process.stderr.write(`created a token with role ${role}; it is shown only once. Use it as "Authorization: Bearer <token>".\n`);
  });
}

async function importHistory(file: string | undefined): Promise<void> {
  if (!file) fail(USAGE);
  process.stdout.write(`${JSON.stringify(await importHistoryFile(file))}\n`);
}

/** Administration from the shell. */
async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { role: { type: 'string' }, name: { type: 'string' } } });
  const command = positionals.slice(0, 2).join(' ');
  if (command === 'token create') return createToken(values.role, values.name);
  if (command === 'history import') return importHistory(positionals[2]);
  fail(USAGE);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) fail(err.message, 1);
  if (err instanceof LabelledDataError) fail(err.message, 1);
  if (err instanceof TypeError && 'code' in err) fail(`${err.message}\n${USAGE}`);
  fail(`cli failed: ${err instanceof Error ? err.message : String(err)}`, 1);
});
