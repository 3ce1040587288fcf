import { Command, InvalidArgumentError, Option } from 'commander';
import { TOKEN_ROLES, type TokenRole } from '../store/models/api-token';
import { parseExpiry } from '../store/repositories/tokens';
import { importHistoryFile } from './history';
import { blockFromCli, listFromCli, unblockFromCli } from './senders';
import { createToken, listTokens, revokeToken } from './tokens';
import { personCommands } from './people';
import { eraseFromCli } from './customers';
import { retentionFromCli } from './retention';

function expiry(text: string): Date {
  const date = parseExpiry(text);
  if (!date) throw new InvalidArgumentError('a duration such as 30d, 12h or 2w, or a future ISO date such as 2027-06-30');
  return date;
}

/** Administration from the shell: `npm run cli -- --help`, and `--help` after any command. */
export function program(): Command {
  const cli = new Command('npm run cli --').description('Switchboard administration: API tokens, blocked senders, history imports, customer erasure and retention. Uses .env (MONGODB_URI or the embedded database), whether or not the app runs.');
  const token = cli.command('token').description('API tokens (stored as SHA-256 hashes; the plain token is shown once)');
  token
    .command('create')
    .description('create a token and print it on stdout')
    .addOption(new Option('--role <role>', 'what the token may do').choices(TOKEN_ROLES).makeOptionMandatory())
    .option('--name <name>', 'who or what uses it (default: ROLE-DATE)')
    .option('--expires <when>', 'expire after a duration (30d, 12h, 2w) or at an ISO date; default: never', expiry)
    .action((options: { role: TokenRole; name?: string; expires?: Date }) => createToken(options.role, options.name, options.expires));
  token
    .command('list')
    .description('list every token, newest first: id, prefix, role, state, created, last used, expiry, name')
    .option('--json', 'one JSON array instead of a table')
    .action((options: { json?: boolean }) => listTokens(options.json ?? false));
  token
    .command('revoke')
    .description('revoke a token now; requests with it answer 401')
    .argument('<id-or-prefix>', 'the ID or PREFIX that token list shows')
    .action((idOrPrefix: string) => revokeToken(idOrPrefix));
  const sender = cli.command('sender').description('blocked senders: their messages are stored, never routed, carded or timed');
  sender
    .command('block')
    .description('block a sender by author id or handle; prints its id; their open conversations are marked and lose their SLA clocks')
    .requiredOption('--channel <kind>', 'the channel: x, webhook, ...')
    .option('--id <authorId>', "the author id the channel gives (X: the user's numeric id)")
    .option('--handle <handle>', 'the handle, with or without @ (any case)')
    .option('--reason <text>', 'why, for the list')
    .action(async (o: { channel: string; id?: string; handle?: string; reason?: string }) => {
      if (!o.id && !o.handle) throw new InvalidArgumentError('give --id or --handle');
      await blockFromCli({ channel: o.channel, ...(o.id ? { authorId: o.id } : {}), ...(o.handle ? { handle: o.handle } : {}), ...(o.reason ? { reason: o.reason } : {}) });
    });
  sender
    .command('unblock')
    .description('unblock a sender; their new messages are routed again')
    .argument('<id-or-handle>', 'the ID that sender list shows, a handle, or channel:handle')
    .action((idOrHandle: string) => unblockFromCli(idOrHandle));
  sender
    .command('list')
    .description('every blocked sender, newest first')
    .option('--json', 'one JSON array instead of a table')
    .action((o: { json?: boolean }) => listFromCli(o.json ?? false));
  personCommands(cli);
  cli
    .command('history')
    .description('a company\'s past conversations')
    .command('import')
    .description('read FILE (.csv or .jsonl, columns text,label[,lang]) whole, store it as training examples, train and activate a model')
    .argument('<file>', 'the labelled history')
    .action(async (file: string) => {
      process.stdout.write(`${JSON.stringify(await importHistoryFile(file))}\n`);
    });
  cli
    .command('customer')
    .description("a customer's data")
    .command('erase')
    .description("replace their messages' text and remove their profile everywhere it is stored; prints the counts (0 the second time)")
    .argument('<channel>', 'the channel: x, webhook, ...')
    .argument('<id>', 'their author id, or @handle')
    .action((channel: string, id: string) => eraseFromCli({ channel, ...(id.startsWith('@') ? { handle: id } : { authorId: id }) }));
  cli
    .command('retention')
    .description('resolved conversations past their retention (retentionDays in the departments file, else RETENTION_DAYS)')
    .command('run')
    .description('delete them now, with their messages, activity, routing events and Slack thread records; prints what it deleted')
    .option('--dry-run', 'only list them: counts per department and ids')
    .action((o: { dryRun?: boolean }) => retentionFromCli(o.dryRun ?? false));
  return cli.showHelpAfterError('(add --help for usage)');
}

