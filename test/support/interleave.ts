interface Readable {
  findOne(...args: never[]): { lean(): Promise<unknown> };
}

/**
 * Another process's write between a read and the write it leads to: `meanwhile` runs right after the next
 * `model.findOne(...).lean()` has read, before its caller goes on. Returns the function that puts findOne back.
 */
export function afterNextRead(model: Readable, meanwhile: () => Promise<unknown>): () => void {
  const target = model as unknown as { findOne: (...args: unknown[]) => { lean(): Promise<unknown> } };
  const findOne = target.findOne.bind(model);
  let hooked = false;
  target.findOne = (...args: unknown[]) => {
    const query = findOne(...args);
    if (hooked) return query;
    hooked = true;
    return {
      lean: async () => {
        const read = await query.lean();
        await meanwhile();
        return read;
      },
    };
  };
  return () => {
    target.findOne = findOne;
  };
}
