/** `npm run send -- <request.json>`: see SEND_USAGE in send-command.ts. */

import { runSendCommand } from './send-command';

const code = await runSendCommand(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  env: process.env,
});
process.exit(code);
