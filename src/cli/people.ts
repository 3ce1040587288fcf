import { cliActor } from '../audit/admin';
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { loadDepartments } from '../config/departments';
import { addPerson, listPeople, removePerson, setPerson, unknownDepartments } from '../people/repository';
import { personBody, personPatch, type PersonView } from '../people/schema';
import { withDatabase } from './database';
import { printTable } from './table';

const list = (text: string): string[] => text.split(',').map((s) => s.trim()).filter(Boolean);

/** A zod result as the CLI's error, naming the option. */
function parsed<T>(result: { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } }): T {
  if (result.success) return result.data;
  throw new InvalidArgumentError(result.error.issues.map((i) => `--${i.path.map(String).join('.') || 'options'}: ${i.message}`).join('; '));
}

async function checked<T>(departments: string[] | undefined, work: () => Promise<T>): Promise<T> {
  return withDatabase(async (config) => {
    const keys = new Set(loadDepartments(config.departmentsFile).map((d) => d.key));
    const unknown = unknownDepartments(departments ?? [], (k) => keys.has(k));
    if (unknown.length) throw new InvalidArgumentError(`--departments: no department ${unknown.join(', ')}`);
    return work();
  });
}

const print = (p: PersonView) => process.stdout.write(`${JSON.stringify(p)}\n`);

/** `person add|set|remove|list`: the Slack users Switchboard knows (the same checks as /api/people). */
export function personCommands(cli: Command): void {
  const person = cli.command('person').description('people: Slack users with their departments and roles (agent, approver, manager, admin); once one exists, Slack users not listed are refused');
  person
    .command('add')
    .description('add a Slack user; prints the person as JSON')
    .requiredOption('--slack <userId>', 'their Slack user id (U0123ABCD)')
    .requiredOption('--name <name>', 'how Switchboard names them')
    .requiredOption('--roles <roles>', 'comma-separated: agent, approver, manager, admin')
    .option('--departments <keys>', 'comma-separated department keys (default: every department)')
    .action(async (o: { slack: string; name: string; roles: string; departments?: string }) => {
      const input = parsed(personBody.safeParse({ slackUserId: o.slack, name: o.name, roles: list(o.roles), departments: list(o.departments ?? '') }));
      const added = await checked(input.departments, () => addPerson(input, cliActor()));
      if (!added) throw new Error(`Slack user ${input.slackUserId} is on the list already (person set changes them)`);
      print(added);
    });
  person
    .command('set')
    .description("change a person's name, roles or departments")
    .argument('<id-or-slack-user>', 'the ID that person list shows, or their Slack user id')
    .option('--name <name>')
    .option('--roles <roles>', 'comma-separated: agent, approver, manager, admin')
    .option('--departments <keys>', 'comma-separated department keys; "" for every department')
    .action(async (ref: string, o: { name?: string; roles?: string; departments?: string }) => {
      const change = parsed(personPatch.safeParse({
        ...(o.name !== undefined ? { name: o.name } : {}), ...(o.roles !== undefined ? { roles: list(o.roles) } : {}), ...(o.departments !== undefined ? { departments: list(o.departments) } : {}),
      }));
      const changed = await checked(change.departments, () => setPerson(ref, change, cliActor()));
      if (!changed) throw new Error(`no person ${ref} (see npm run cli -- person list)`);
      print(changed);
    });
  person
    .command('remove')
    .description('remove a person; they are refused from then on (unless the list becomes empty)')
    .argument('<id-or-slack-user>')
    .action(async (ref: string) => {
      const removed = await withDatabase(() => removePerson(ref, cliActor()));
      if (!removed) throw new Error(`no person ${ref} (see npm run cli -- person list)`);
      print(removed);
    });
  person
    .command('list')
    .description('every person, by name')
    .option('--json', 'one JSON array instead of a table')
    .action(async (o: { json?: boolean }) => {
      const people = await withDatabase(() => listPeople());
      if (o.json) return void process.stdout.write(`${JSON.stringify(people)}\n`);
      const rows = [['ID', 'SLACK', 'NAME', 'ROLES', 'DEPARTMENTS']];
      for (const p of people) rows.push([p.id, p.slackUserId, p.name, p.roles.join(','), p.departments.join(',') || '(all)']);
      printTable(rows);
    });
}
