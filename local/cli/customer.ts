/** `npm run customer -- --text hi`: see CUSTOMER_USAGE in customer-command.ts. */

import { runCustomerCommand } from './customer-command';

const code = await runCustomerCommand(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
process.exit(code);
