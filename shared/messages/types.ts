import type { BotComplete, BotFail } from './bot-outcome-schema';
import type { Channel } from './channels';
import type { Message } from './content-schema';
import type { Target } from './target-schema';

/** What rendering reads from a send request (idempotency key, schedule and metadata do not change the body). */
export interface RenderInput {
  target: Target;
  channel?: Channel | undefined;
  message: Message;
  /** Ends the bot session (bot targets only; at most one of the two). */
  complete?: BotComplete | undefined;
  fail?: BotFail | undefined;
}

/** A problem found by a rule, with its path as segments (formatted only at the edge). */
export interface RuleIssue {
  path: (string | number)[];
  message: string;
}
