import type { Connection } from 'mongoose';

let sortsEveryMatch = false;

/**
 * Asks the server once what it is. FerretDB 2 on DocumentDB 0.106 cannot read an index in order (its RUM access
 * method has no ordered scan), so a sorted query sorts every document its filter matches; MongoDB walks the index.
 */
export async function detectServerKind(connection: Connection): Promise<void> {
  const info = await connection.db!.admin().command({ buildInfo: 1 });
  sortsEveryMatch = Object.keys(info).some((key) => key.toLowerCase().includes('ferretdb'));
}

/** True on FerretDB/DocumentDB: a sorted, limited query costs as much as all the documents its filter matches. */
export const serverSortsEveryMatch = (): boolean => sortsEveryMatch;
