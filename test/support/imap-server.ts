/**
 * A real IMAP server for the e-mail tests and benchmark: Debian's dovecot-imapd as a foreground child process on a
 * free 127.0.0.1 port, with a throw-away config, Maildir folder and passwd-file users, plaintext login allowed
 * (loopback only). Mail goes in by IMAP APPEND (imapflow), as a mail server's delivery would put it there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { freePort, sleep } from '../../scripts/db/net';

const DOVECOT = '/usr/sbin/dovecot';

export interface ImapServer {
  host: string;
  port: number;
  /** the password every user has */
  pass: string;
  /** IMAP settings for `user` (or with a wrong password) */
  settings(user: string, pass?: string): { host: string; port: number; secure: false; user: string; pass: string };
  /** APPENDs a raw RFC 5322 mail to `mailbox` of `user`; returns its UID */
  deliver(user: string, raw: string, mailbox?: string): Promise<number>;
  /** many mails over one connection */
  deliverMany(user: string, raws: string[], mailbox?: string): Promise<void>;
  /** deletes and creates `mailbox` again: it gets a new UIDVALIDITY, and the mails given are put back */
  recreate(user: string, mailbox: string, raws: string[]): Promise<void>;
  /** Sent is flagged \Sent (special-use) */
  createMailbox(user: string, mailbox: string): Promise<void>;
  /** empties INBOX and deletes every other mailbox of `user` */
  clear(user: string): Promise<void>;
  stop(): Promise<void>;
}

function config(dir: string, port: number, root: boolean): string {
  const me = os.userInfo();
  const users = root ? 'uid=nobody gid=nogroup' : `uid=${me.uid} gid=${me.gid}`;
  return `
base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = switchboard-test-${port}
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# IDLE notices new mail at once through inotify; this is the fallback check
mailbox_idle_check_interval = 1 secs
first_valid_uid = 1
mail_location = maildir:${dir}/mail/%n
${root ? '' : `default_internal_user = ${me.username}\ndefault_login_user = ${me.username}\ndefault_internal_group = ${os.userInfo().username}`}
namespace inbox {
  inbox = yes
  mailbox Sent {
    special_use = \\Sent
  }
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = ${users} home=${dir}/mail/%n
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
${root ? '' : '  chroot =\n'}}
protocol imap {
  # each test's connectors keep their connection until the suite ends
  mail_max_userip_connections = 500
}
service stats {
  unix_listener stats-writer {
    mode = 0666
  }
}
`;
}

async function waitForGreeting(port: number, child: ChildProcess, logFile: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (child.exitCode !== null) throw new Error(`dovecot exited (${child.exitCode}): ${fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.once('data', (d) => {
        socket.destroy();
        resolve(d.toString().startsWith('* OK'));
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error('dovecot did not greet within 10 s');
}

export async function startImapServer(users: string[], pass = 'test-password'): Promise<ImapServer> {
  if (!fs.existsSync(DOVECOT)) throw new Error('dovecot is not installed: apt-get install -y dovecot-imapd (.ci/run does)');
  const root = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-imap-'));
  for (const sub of ['run', 'state', 'mail']) fs.mkdirSync(path.join(dir, sub));
  // the temp folder is private to us: the mail processes (nobody, as root) need to reach their Maildir
  fs.chmodSync(dir, 0o755);
  if (root) fs.chownSync(path.join(dir, 'mail'), 65534, 65534);
  fs.writeFileSync(path.join(dir, 'passwd'), users.map((u) => `${u}:{PLAIN}${pass}::::::\n`).join(''));
  const port = await freePort();
  const conf = path.join(dir, 'dovecot.conf');
  fs.writeFileSync(conf, config(dir, port, root));
  // setpriv: dovecot dies with the test process, even on kill -9
  const child = spawn('setpriv', ['--pdeathsig', 'KILL', DOVECOT, '-F', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.resume();
  const logFile = path.join(dir, 'dovecot.log');
  try {
    await waitForGreeting(port, child, logFile);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const settings = (user: string, p = pass) => ({ host: '127.0.0.1', port, secure: false as const, user, pass: p });
  const withClient = async <T>(user: string, run: (c: ImapFlow) => Promise<T>): Promise<T> => {
    const c = new ImapFlow({ ...settings(user), auth: { user, pass }, logger: false });
    await c.connect();
    try {
      return await run(c);
    } finally {
      await c.logout().catch(() => c.close());
    }
  };
  const append = async (c: ImapFlow, mailbox: string, raw: string): Promise<number> => {
    const done = await c.append(mailbox, raw.replace(/\r?\n/g, '\r\n'));
    if (!done || done.uid === undefined) throw new Error(`APPEND to ${mailbox} gave no UID`);
    return done.uid;
  };
  return {
    host: '127.0.0.1',
    port,
    pass,
    settings,
    deliver: (user, raw, mailbox = 'INBOX') => withClient(user, (c) => append(c, mailbox, raw)),
    deliverMany: (user, raws, mailbox = 'INBOX') =>
      withClient(user, async (c) => {
        for (const raw of raws) await append(c, mailbox, raw);
      }),
    recreate: (user, mailbox, raws) =>
      withClient(user, async (c) => {
        await c.mailboxDelete(mailbox);
        await c.mailboxCreate(mailbox);
        for (const raw of raws) await append(c, mailbox, raw);
      }),
    createMailbox: (user, mailbox) =>
      withClient(user, async (c) => {
        await c.mailboxCreate(mailbox);
      }),
    clear: (user) =>
      withClient(user, async (c) => {
        for (const box of await c.list()) {
          if (box.path !== 'INBOX') await c.mailboxDelete(box.path);
        }
        const lock = await c.getMailboxLock('INBOX');
        try {
          if (c.mailbox && c.mailbox.exists > 0) await c.messageDelete('1:*');
        } finally {
          lock.release();
        }
      }),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, sleep(5000)]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
