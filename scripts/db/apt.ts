import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { EmbeddedDbError } from './errors';
import { BUILD_CACHE } from './paths';
import { run, type Progress } from './progress';

/** Debian/Ubuntu packages the build and the server need (shared/vendor/documentdb/README.md). */
export const APT_PACKAGES = [
  'postgresql-15', 'postgresql-server-dev-15', 'postgresql-15-postgis-3', 'postgresql-15-rum', 'libintelrdfpmath-dev',
  'libpcre2-dev', 'pkg-config', 'build-essential', 'cmake', 'libicu-dev', 'libkrb5-dev', 'libpq-dev', 'libssl-dev',
];
/** Debian's pg_cron 1.4.2 rejects DocumentDB's '2 seconds' schedule; the 1.6.3 we build replaces it */
export const CONFLICTING_PACKAGES = ['postgresql-15-cron'];
/** postgresql-common's script that adds the PostgreSQL project's apt repository for this release (and updates the lists). */
export const PGDG_SCRIPT = '/usr/share/postgresql-common/pgdg/apt.postgresql.org.sh';
/** Debian 12 ships PostgreSQL 15; elsewhere (Ubuntu, Debian 11 or 13) these come from the PostgreSQL project's repository */
const POSTGRESQL_15 = APT_PACKAGES.filter((p) => p.includes('-15'));
const INSTALL = ['apt-get', 'install', '-y', '--no-install-recommends'];

export type Privilege = 'root' | 'sudo' | 'none';

/**
 * The apt-get commands that bring the machine to APT_PACKAGES, as argument lists. `offered`: the packages its apt
 * sources offer, once their lists are read (undefined: not known yet); PostgreSQL 15 missing from them adds the
 * PostgreSQL project's repository first.
 */
export function aptCommands(installed: ReadonlySet<string>, offered?: ReadonlySet<string>): string[][] {
  const missing = APT_PACKAGES.filter((p) => !installed.has(p));
  const extra = CONFLICTING_PACKAGES.filter((p) => installed.has(p));
  const commands: string[][] = [];
  if (missing.length > 0) {
    commands.push(['apt-get', 'update']);
    if (offered && missing.some((p) => POSTGRESQL_15.includes(p) && !offered.has(p))) commands.push([...INSTALL, 'postgresql-common'], [PGDG_SCRIPT, '-y']);
    commands.push([...INSTALL, ...missing]);
  }
  if (extra.length > 0) commands.push(['apt-get', 'remove', '-y', ...extra]);
  return commands;
}

/** Of `apt-cache policy` output, the packages with an installation candidate. */
export function offeredIn(policy: string): Set<string> {
  const offered = new Set<string>();
  let name: string | undefined;
  for (const line of policy.split('\n')) {
    const header = /^(\S+):$/.exec(line);
    if (header) name = header[1];
    else if (name && /^\s+Candidate: /.test(line) && !line.includes('(none)')) offered.add(name);
  }
  return offered;
}

/** The packages this machine's apt lists offer; undefined when they offer none of ours (lists not read yet). */
export async function offeredPackages(): Promise<Set<string> | undefined> {
  const { stdout } = await promisify(execFile)('apt-cache', ['policy', ...APT_PACKAGES], { env: { ...process.env, LC_ALL: 'C' } }).catch(() => ({ stdout: '' }));
  const offered = offeredIn(stdout);
  return offered.size > 0 ? offered : undefined;
}

/** Stops with the exact commands to run when this process may not install packages itself. */
export function needsSetupError(commands: string[][]): EmbeddedDbError {
  const lines = commands.map((c) => `  sudo ${c.join(' ')}`).join('\n');
  return new EmbeddedDbError('db_setup_needed', `the embedded database needs Debian packages this process may not install (not root, no passwordless sudo); run:\n${lines}\nthen try again`);
}

async function installedPackages(): Promise<Set<string>> {
  const names = [...APT_PACKAGES, ...CONFLICTING_PACKAGES];
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)('dpkg-query', ['-W', '-f=${Package} ${db:Status-Status}\n', ...names]));
  } catch (err) {
    const e = err as { code?: string | number; stdout?: string };
    if (e.code === 'ENOENT') throw new EmbeddedDbError('db_setup_needed', 'the embedded database is built on Debian or Ubuntu (dpkg-query not found); or set MONGODB_URI');
    stdout = e.stdout ?? ''; // dpkg-query exits 1 when some package is unknown to it, and still lists the rest
  }
  return new Set(stdout.split('\n').filter((l) => l.endsWith(' installed')).map((l) => l.split(' ')[0]!));
}

export async function privilege(): Promise<Privilege> {
  if (process.getuid?.() === 0) return 'root';
  return promisify(execFile)('sudo', ['-n', 'true']).then(() => 'sudo' as const, () => 'none' as const);
}

/** Installs the missing apt packages (root or passwordless sudo), one logged step per command; else stops with the commands. */
export async function ensureAptPackages(progress: Progress): Promise<void> {
  const installed = await installedPackages();
  const commands = aptCommands(installed);
  if (commands.length === 0) return;
  const who = await privilege();
  if (who === 'none') throw needsSetupError(aptCommands(installed, await offeredPackages()));
  const logFile = path.join(BUILD_CACHE, 'logs', 'apt.log');
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const step = async (command: string[]) => {
    const argv = who === 'sudo' ? ['sudo', '-n', '-E', ...command] : command;
    progress.say(`Debian packages (${who}): ${command.join(' ')}`);
    await progress.step(command.slice(0, 2).join(' '), () => run(argv[0]!, argv.slice(1), { env, logFile }));
  };
  // the lists first: only then is it known whether this release offers PostgreSQL 15
  const listsFirst = commands[0]?.[1] === 'update';
  if (listsFirst) await step(commands[0]!);
  for (const command of listsFirst ? aptCommands(installed, await offeredPackages()).slice(1) : commands) await step(command);
}
