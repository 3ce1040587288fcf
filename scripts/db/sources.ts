import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { EmbeddedDbError } from './errors';
import { BUILD_CACHE, DEFAULT_SOURCES_DIR } from './paths';
import type { Progress } from './progress';

export type SourceName = 'libbson' | 'pgvector' | 'pgCron' | 'documentdb';

interface Archive {
  file: string;
  sha256: string;
  /** where this version comes from: its project's release file or tag archive */
  url: string;
}

interface Tarball extends Archive {
  /** what `url` serves, where the vendored file is a repack of it: that file's own name and sum */
  released?: Omit<Archive, 'url'>;
}

/** The four C sources no registry here serves; the sums are the ones pinned in shared/vendor/documentdb/README.md. */
export const TARBALLS: Record<SourceName, Tarball> = {
  libbson: {
    file: 'mongo-c-driver-1.28.0-libbson-only.tar.gz',
    sha256: '86b2f867ef347dde21455af3fbc25b164fd998e3174bdf49d5829289da4f60ea',
    url: 'https://github.com/mongodb/mongo-c-driver/releases/download/1.28.0/mongo-c-driver-1.28.0.tar.gz',
    // the vendored file holds the libbson part only, so nothing GitHub serves has its sum; the release file's sum is
    // the one public build recipes pin for it (not checked here: no internet)
    released: { file: 'mongo-c-driver-1.28.0.tar.gz', sha256: 'bec90c85361b4a9f89d80243440d53f39b9e706b1fe4bf901c4d3ffd6f50fbdb' },
  },
  pgvector: {
    file: 'pgvector-0.8.0.tar.gz',
    sha256: '93df40ccdaaaa267d1275c1e6e773004a0e5ff8e14227934a4ec7e8205d0f608',
    url: 'https://github.com/pgvector/pgvector/archive/refs/tags/v0.8.0.tar.gz',
  },
  pgCron: {
    file: 'pg_cron-1.6.3.tar.gz',
    sha256: '3580f4034021e62e459f9f7ab1f625774bfc534a9256844545da85d6f99c2f5b',
    url: 'https://github.com/citusdata/pg_cron/archive/refs/tags/v1.6.3.tar.gz',
  },
  documentdb: {
    file: 'documentdb-0.106.0-ferretdb-2.5.0.tar.gz',
    sha256: '969c712440a880483c0812f8607baab668d12e85a0a9557d3cb1ee0fcaa1c955',
    url: 'https://github.com/FerretDB/documentdb/archive/refs/tags/v0.106.0-ferretdb-2.5.0.tar.gz',
  },
};

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

async function checked(file: string, sha256: string): Promise<string> {
  const actual = await sha256File(file);
  if (actual !== sha256) throw new EmbeddedDbError('db_source_mismatch', `${file}: SHA-256 is ${actual}, expected ${sha256}; refusing to build from it`);
  return file;
}

export interface DownloadOptions {
  /** where the downloads are kept (checked again on the next run, fetched again when refused) */
  into: string;
  /** stands in for `https://github.com` in the archive URLs: only the tests set it, to a local server */
  base?: string;
  /** sums to expect instead of the pinned ones: only the tests set it, for a stand-in of a release file they lack */
  sums?: Partial<Record<SourceName, string>>;
  timeoutMs?: number;
}

/** What a machine without the vendored copy downloads for a source. */
export const downloadOf = ({ url, file, sha256, released }: Tarball): Archive => ({ url, ...(released ?? { file, sha256 }) });

const GITHUB = 'https://github.com';

async function download(name: SourceName, options: DownloadOptions, progress: Progress): Promise<string> {
  const tarball = downloadOf(TARBALLS[name]);
  const file = path.join(options.into, tarball.file);
  const url = options.base === undefined ? tarball.url : `${options.base.replace(/\/$/, '')}${tarball.url.slice(GITHUB.length)}`;
  if (!fs.existsSync(file)) {
    progress.say(`downloading ${url}`);
    const answer = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 120_000) }).catch((err: Error) => {
      throw new EmbeddedDbError('db_source_mismatch', `download of ${url} failed: ${err.message}; or put ${tarball.file} into DOCUMENTDB_SOURCES_DIR`);
    });
    if (!answer.ok) throw new EmbeddedDbError('db_source_mismatch', `download of ${url} failed: HTTP ${answer.status}; or put ${tarball.file} into DOCUMENTDB_SOURCES_DIR`);
    fs.mkdirSync(options.into, { recursive: true });
    fs.writeFileSync(`${file}.part`, Buffer.from(await answer.arrayBuffer())); // a few MB at most
    fs.renameSync(`${file}.part`, file);
  }
  // a refused download is removed so the next run fetches it again
  return checked(file, options.sums?.[name] ?? tarball.sha256).catch((err: unknown) => {
    fs.rmSync(file, { force: true });
    throw new EmbeddedDbError('db_source_mismatch', `${(err as Error).message} (downloaded from ${url})`);
  });
}

/** The four tarballs from their projects' release or tag archives, each checked against its pinned SHA-256. */
export async function downloadedSources(options: DownloadOptions, progress: Progress): Promise<Record<SourceName, string>> {
  const found = {} as Record<SourceName, string>;
  for (const name of Object.keys(TARBALLS) as SourceName[]) found[name] = await download(name, options, progress);
  return found;
}

/**
 * The four tarballs, each checked against its pinned SHA-256: from `sourcesDir` (DOCUMENTDB_SOURCES_DIR), else from
 * ../shared/vendor/documentdb when it exists, else downloaded into .cache/documentdb/downloads.
 */
export async function verifiedSources(sourcesDir: string | undefined, progress: Progress): Promise<Record<SourceName, string>> {
  const dir = sourcesDir ? path.resolve(sourcesDir) : fs.existsSync(DEFAULT_SOURCES_DIR) ? DEFAULT_SOURCES_DIR : undefined;
  if (dir && !fs.existsSync(dir)) throw new EmbeddedDbError('db_source_mismatch', `DOCUMENTDB_SOURCES_DIR ${dir} does not exist`);
  if (!dir) {
    const into = path.join(BUILD_CACHE, 'downloads');
    progress.say(`no ${DEFAULT_SOURCES_DIR}: downloading the sources into ${into}`);
    return downloadedSources({ into }, progress);
  }
  const found = {} as Record<SourceName, string>;
  for (const [name, tarball] of Object.entries(TARBALLS) as [SourceName, Tarball][]) {
    const file = path.join(dir, tarball.file);
    if (!fs.existsSync(file)) throw new EmbeddedDbError('db_source_mismatch', `${file} is missing (DOCUMENTDB_SOURCES_DIR=${dir})`);
    found[name] = await checked(file, tarball.sha256);
  }
  return found;
}
