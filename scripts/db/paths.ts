import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
/** build output and downloads, kept between runs (git-ignored) */
export const BUILD_CACHE = path.join(ROOT, '.cache', 'documentdb');
/** held (pid inside) while a build or its check runs: one build at a time per checkout */
export const BUILD_LOCK = path.join(BUILD_CACHE, 'build.lock');
export const FERRETDB_SOURCE = path.join(ROOT, 'scripts', 'ferretdb');
export const FERRETDB_BINARY = path.join(ROOT, '.cache', 'ferretdb', 'ferretdb2');
/** Debian's PostgreSQL 15 (postgresql-15, postgresql-server-dev-15) */
export const PG_BIN = '/usr/lib/postgresql/15/bin';
export const PG_CONFIG = path.join(PG_BIN, 'pg_config');
/** where the source tarballs are when the shared folder sits beside the repo */
export const DEFAULT_SOURCES_DIR = path.resolve(ROOT, '..', 'shared', 'vendor', 'documentdb');
