import mongoose from 'mongoose';
import { connectStore, disconnectStore } from '../../src/store/connection';
import { TEST_RUN_ID, testFerretdbUri } from '../setup/ferretdb';

let counter = 0;

/** Gives the calling suite its own database on the test server (embedded or TEST_MONGODB_URI), dropped afterwards. */
export function useTestDatabase(): { dbName: () => string; uri: () => string } {
  let dbName = '';
  before(async () => {
    dbName = `test_${TEST_RUN_ID}_${++counter}`;
    await connectStore(testFerretdbUri(), dbName);
  });
  after(async () => {
    await mongoose.connection.db?.dropDatabase();
    await disconnectStore();
  });
  return { dbName: () => dbName, uri: testFerretdbUri };
}

/** Empties every collection between tests that need a clean slate. */
export async function clearCollections(): Promise<void> {
  const db = mongoose.connection.db;
  if (!db) return;
  for (const c of await db.collections()) await c.deleteMany({});
}
