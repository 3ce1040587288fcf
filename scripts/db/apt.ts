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

export type Privilege = 'root' | 'sudo' | 'none';

/** The apt-get commands that bring the machine to APT_PACKAGES, as argument lists. */
export function aptCommands(installed: ReadonlySet<string>): string[][] {
  const missing = APT_PACKAGES.filter((p) => !installed.has(p));
  const extra = CONFLICTING_PACKAGES.filter((p) => installed.has(p));
  const commands: string[][] = [];
  if (missing.length > 0) commands.push(['apt-get', 'update'], ['apt-get', 'install', '-y', '--no-install-recommends', ...missing]);
  if (extra.length > 0) commands.push(['apt-get', 'remove', '-y', ...extra]);
  return commands;
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

/** Installs the missing apt packages (root or passwordless sudo), one logged step per command; else stops with the command. */
export async function ensureAptPackages(progress: Progress): Promise<void> {
  const commands = aptCommands(await installedPackages());
  if (commands.length === 0) return;
  const who = await privilege();
  if (who === 'none') throw needsSetupError(commands);
  const logFile = path.join(BUILD_CACHE, 'logs', 'apt.log');
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const command of commands) {
    const argv = who === 'sudo' ? ['sudo', '-n', '-E', ...command] : command;
    progress.say(`Debian packages (${who}): ${command.join(' ')}`);
    await progress.step(command.slice(0, 2).join(' '), () => run(argv[0]!, argv.slice(1), { env, logFile }));
  }
}
