import { cliActor } from '../audit/admin';
import { eraseCustomer, type CustomerRef } from '../privacy/erase';
import { withDatabase } from './database';
import { cardRedrawer } from './slack-cards';

/** Erases a customer's text and profile (src/privacy/erase.ts) and prints the counts as JSON. */
export async function eraseFromCli(customer: CustomerRef): Promise<void> {
  const counts = await withDatabase((config) => eraseCustomer(customer, cliActor(), { locale: config.locale, effects: cardRedrawer(config) }));
  process.stdout.write(`${JSON.stringify(counts)}\n`);
  process.stderr.write(`erased ${counts.messages} message(s) in ${counts.conversations} conversation(s) of ${customer.channel} ${customer.authorId ?? customer.handle ?? ''}; the audit trail records it without content\n`);
}
