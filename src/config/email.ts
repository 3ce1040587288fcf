/** EMAIL_ACCOUNTS_FILE: the mailboxes Switchboard reads (IMAP) and answers from (SMTP), validated naming the bad field. */
import fs from 'node:fs';
import { z } from 'zod';
import type { Env } from './schema';

const server = {
  host: z.string().trim().min(1, 'a host name'),
  port: z.number().int().min(1).max(65535),
  secure: z.boolean(),
};

const emailAccountSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.@-]{1,100}$/, 'letters, digits, _ . @ - (1–100)'),
    address: z.email('an e-mail address'),
    imap: z.object({ ...server, user: z.string().min(1), pass: z.string().min(1) }).strict(),
    smtp: z.object({ ...server, user: z.string().min(1).optional(), pass: z.string().min(1).optional() }).strict(),
    mailboxes: z.array(z.string().trim().min(1)).min(1).default(['INBOX']),
    /** a department hint for this mailbox's mail (jobs@ → hr): a routing rule, checked against the departments at start */
    department: z.string().min(1).optional(),
    /** where the server keeps what we send (findSent looks there); default: the mailbox flagged \Sent */
    sentMailbox: z.string().min(1).optional(),
  })
  .strict()
  .refine((a) => (a.smtp.user === undefined) === (a.smtp.pass === undefined), { message: 'smtp.user and smtp.pass go together', path: ['smtp', 'pass'] })
  .refine((a) => new Set(a.mailboxes).size === a.mailboxes.length, { message: 'a mailbox is listed twice', path: ['mailboxes'] });

export type EmailAccountConfig = z.infer<typeof emailAccountSchema>;

export interface EmailConfig {
  accounts: EmailAccountConfig[];
  pollIntervalSeconds: number;
}

/** Reads EMAIL_ACCOUNTS_FILE; each problem names the file, the account's index and the field. */
export function emailConfig(env: Env, problems: string[]): EmailConfig {
  const config: EmailConfig = { accounts: [], pollIntervalSeconds: env.EMAIL_POLL_INTERVAL_SECONDS };
  const file = env.EMAIL_ACCOUNTS_FILE;
  if (!file) return config;
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    problems.push(`EMAIL_ACCOUNTS_FILE: cannot read ${file}: ${(err as Error).message}`);
    return config;
  }
  const parsed = z.array(emailAccountSchema).safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`EMAIL_ACCOUNTS_FILE: ${file} [${issue.path.join('.')}]: ${issue.message}`);
    return config;
  }
  const ids = parsed.data.map((a) => a.id);
  ids.forEach((id, i) => {
    if (ids.indexOf(id) !== i) problems.push(`EMAIL_ACCOUNTS_FILE: ${file} [${i}.id]: "${id}" is used by another account`);
  });
  return { ...config, accounts: parsed.data };
}

/** A department hint must name a department in force. */
export function emailDepartmentProblems(config: EmailConfig, departments: Set<string>): string[] {
  return config.accounts.flatMap((a, i) =>
    a.department && !departments.has(a.department)
      ? [`EMAIL_ACCOUNTS_FILE: [${i}.department]: "${a.department}" is not a department (known: ${[...departments].join(', ')})`]
      : [],
  );
}
