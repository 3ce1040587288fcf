import { LabelledDataError } from '../../classifiers';
import { ConfigError } from '../config';
import { program } from './program';

program()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    const known = err instanceof ConfigError || err instanceof LabelledDataError;
    process.stderr.write(`${known ? '' : 'cli failed: '}${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
