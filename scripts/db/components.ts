import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUILD_CACHE, FERRETDB_BINARY, FERRETDB_SOURCE, PG_CONFIG } from './paths';
import { run } from './progress';
import { TARBALLS, type SourceName } from './sources';

/** One thing to build; it is skipped while its stamp holds `key` and every file in `installs` exists. */
export interface Component {
  name: string;
  key: string;
  installs: string[];
  /** `make install` writes into PostgreSQL's folders: root (or sudo) */
  needsRoot: boolean;
  build(sudo: string[]): Promise<void>;
}

const JOBS = String(os.availableParallelism());
const LIBBSON_PREFIX = path.join(BUILD_CACHE, 'libbson');
const PKGCONFIG_DIR = path.join(BUILD_CACHE, 'pkgconfig');
const log = (name: string) => path.join(BUILD_CACHE, 'logs', `${name}.log`);

function pgDir(option: '--pkglibdir' | '--sharedir'): string {
  return execFileSync(PG_CONFIG, [option], { encoding: 'utf8' }).trim();
}

/** A clean source tree for `name` under .cache/documentdb/src (the tarball's top folder stripped). */
async function unpack(name: SourceName, tarball: string): Promise<string> {
  const dir = path.join(BUILD_CACHE, 'src', name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1'], { logFile: log(name) });
  return dir;
}

/** Debian's libintelrdfpmath-dev ships no .pc file; DocumentDB finds the library through this one. */
function writeIntelMathPc(): void {
  const libdir = `/usr/lib/${execFileSync('gcc', ['-print-multiarch'], { encoding: 'utf8' }).trim()}`;
  fs.mkdirSync(PKGCONFIG_DIR, { recursive: true });
  const pc = `prefix=/usr\nlibdir=${libdir}\nincludedir=/usr/include\n\nName: intelmathlib\nDescription: Intel Decimal Floating-Point Math Library (Debian libintelrdfpmath-dev)\nVersion: 2.0 Update 2\nCflags: -I\${includedir}\nLibs: -L\${libdir} -lbidgcc000\n`;
  fs.writeFileSync(path.join(PKGCONFIG_DIR, 'intelmathlib.pc'), pc);
}

/** make, then make install (as root), of a PGXS extension folder. */
async function pgxs(name: string, dir: string, sudo: string[]): Promise<void> {
  const env = { ...process.env, PKG_CONFIG_PATH: `${path.join(LIBBSON_PREFIX, 'lib', 'pkgconfig')}:${PKGCONFIG_DIR}` };
  await run('make', ['-C', dir, `-j${JOBS}`, `PG_CONFIG=${PG_CONFIG}`], { env, logFile: log(name) });
  const install = [...sudo, 'make', '-C', dir, 'install', `PG_CONFIG=${PG_CONFIG}`];
  await run(install[0]!, install.slice(1), { env, logFile: log(name) });
}

function ferretdbKey(): string {
  const hash = createHash('sha256');
  for (const f of ['main.go', 'go.mod', 'go.sum']) hash.update(fs.readFileSync(path.join(FERRETDB_SOURCE, f)));
  return hash.digest('hex');
}

/** Build order of the recipe: libbson (static, -fPIC, private prefix), pgvector, pg_cron, DocumentDB, then FerretDB. */
export function components(sources: Record<SourceName, string>): Component[] {
  const lib = pgDir('--pkglibdir');
  const ext = path.join(pgDir('--sharedir'), 'extension');
  return [
    {
      name: 'libbson 1.28.0 (static, in .cache)', key: TARBALLS.libbson.sha256, needsRoot: false,
      installs: [path.join(LIBBSON_PREFIX, 'lib', 'pkgconfig', 'libbson-static-1.0.pc')],
      build: async () => {
        const dir = await unpack('libbson', sources.libbson);
        const build = path.join(dir, 'cmake-build');
        // the version given, not computed from git history: only a release file carries VERSION_CURRENT
        await run('cmake', ['-S', dir, '-B', build, '-DBUILD_VERSION=1.28.0', '-DENABLE_MONGOC=OFF', '-DENABLE_TESTS=OFF', '-DENABLE_EXAMPLES=OFF', '-DENABLE_STATIC=ON',
          '-DENABLE_ICU=OFF', '-DCMAKE_C_FLAGS=-fPIC', '-DCMAKE_BUILD_TYPE=Release', '-DCMAKE_INSTALL_LIBDIR=lib', `-DCMAKE_INSTALL_PREFIX=${LIBBSON_PREFIX}`], { logFile: log('libbson') });
        await run('make', ['-C', build, `-j${JOBS}`, 'install'], { logFile: log('libbson') });
      },
    },
    {
      name: 'pgvector 0.8.0', key: TARBALLS.pgvector.sha256, needsRoot: true,
      installs: [path.join(lib, 'vector.so'), path.join(ext, 'vector.control')],
      build: async (sudo) => pgxs('pgvector', await unpack('pgvector', sources.pgvector), sudo),
    },
    {
      name: 'pg_cron 1.6.3', key: TARBALLS.pgCron.sha256, needsRoot: true,
      installs: [path.join(lib, 'pg_cron.so'), path.join(ext, 'pg_cron.control')],
      build: async (sudo) => pgxs('pg_cron', await unpack('pgCron', sources.pgCron), sudo),
    },
    {
      name: 'DocumentDB 0.106.0 (pg_documentdb_core, pg_documentdb)', key: `${TARBALLS.documentdb.sha256}+${TARBALLS.libbson.sha256}`, needsRoot: true,
      installs: [path.join(lib, 'pg_documentdb_core.so'), path.join(lib, 'pg_documentdb.so'), path.join(ext, 'documentdb.control')],
      build: async (sudo) => {
        writeIntelMathPc();
        const dir = await unpack('documentdb', sources.documentdb);
        await pgxs('documentdb', path.join(dir, 'pg_documentdb_core'), sudo);
        await pgxs('documentdb', path.join(dir, 'pg_documentdb'), sudo);
      },
    },
    {
      name: 'FerretDB 2.5.0 (go build of scripts/ferretdb)', key: ferretdbKey(), needsRoot: false, installs: [FERRETDB_BINARY],
      build: async () => {
        fs.mkdirSync(path.dirname(FERRETDB_BINARY), { recursive: true });
        await run('go', ['build', '-o', FERRETDB_BINARY, '.'], { cwd: FERRETDB_SOURCE, env: { ...process.env, DO_NOT_TRACK: '1' }, logFile: log('ferretdb') });
      },
    },
  ];
}
