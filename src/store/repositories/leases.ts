import { claimUntil } from '../connection';
import { LeaseModel } from '../models/lease';

/** Takes the lease `key` for `owner` unless someone holds a live one; true when taken. */
export function acquireLease(key: string, owner: string, leaseMs: number, now = new Date()): Promise<boolean> {
  return claimUntil(LeaseModel, key, now, { owner, until: new Date(now.getTime() + leaseMs) });
}

export async function releaseLease(key: string, owner: string): Promise<void> {
  await LeaseModel.deleteOne({ _id: key, owner });
}
