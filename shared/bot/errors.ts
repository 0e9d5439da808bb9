/** A send to `{ kind: "botSession", conversationId }` found no open session: nothing was sent. → 409 */
export class NoOpenBotSessionError extends Error {
  override name = 'NoOpenBotSessionError';
  readonly code = 'no_open_bot_session';
  constructor(
    readonly conversationId: string,
    readonly reason: 'none' | 'closed' | 'expired',
  ) {
    super(`no open bot session for conversation "${conversationId}": ${WHY[reason]}`);
  }
}

const WHY = {
  none: 'the bot has no session for it (the customer has not written, or the flow does not call this bot)',
  closed: 'its session was closed (Complete or Failed, or Genesys ended it)',
  expired: 'its session expired (botSessionTimeout): the customer must write again',
};
