import { insertOnce } from '../connection';
import { LeaseModel, LeaseTakeoverModel } from '../models/lease';

// FerretDB's findAndModify is a read then a write, not atomic: leases are taken with inserts.
/** Takes the lease `key` for `owner` unless someone holds a live one; true when taken. */
export async function acquireLease(key: string, owner: string, leaseMs: number, now = new Date()): Promise<boolean> {
  const until = new Date(now.getTime() + leaseMs);
  if (await insertOnce(() => LeaseModel.create({ _id: key, owner, until }))) return true;
  const current = await LeaseModel.findById(key).lean();
  if (!current) return insertOnce(() => LeaseModel.create({ _id: key, owner, until }));
  if (current.until > now) return false;
  // an expired lease (its holder died): exactly one poller may claim this expiry
  if (!(await insertOnce(() => LeaseTakeoverModel.create({ _id: `${key}@${current.until.getTime()}` })))) return false;
  await LeaseModel.updateOne({ _id: key }, { $set: { owner, until } });
  return true;
}

export async function releaseLease(key: string, owner: string): Promise<void> {
  await LeaseModel.deleteOne({ _id: key, owner });
}
