import { resetDemo } from '../runtime/demo';
import { withDatabase } from './database';

// `npm run demo:reset`: the next `npm start` plays the demo's week of history again
withDatabase(resetDemo).then(
  ({ conversations, messages }) => {
    process.stdout.write(`demo reset: deleted ${conversations} demo conversations and ${messages} messages; the next npm start plays the week of history again.\n`);
  },
  (err: unknown) => {
    process.stderr.write(`demo reset failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
