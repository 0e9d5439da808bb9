/**
 * "Sent twice", counted honestly: the sandbox's copies of each message are the ground truth, and each
 * copy beyond the one the service kept is put down to the fault that spoilt its answer (the sandbox names
 * it on the copy). A copy whose answer no fault spoilt is a duplicate the run cannot explain.
 */
import type { AcceptedMessage } from '../../local/sandbox';
import type { TargetKind } from '../../shared/status/types';

/** One message of the run as the accounting needs it. */
export interface MessageCopies {
  messageId: string;
  targetKind: TargetKind;
  /** The sandbox's copies of this message, in the order it accepted them. */
  copies: readonly Pick<AcceptedMessage, 'id' | 'answerFault'>[];
  /** The Genesys id the service recorded, if any. */
  recordedGenesysId?: string;
  /**
   * Attempts the service itself gave up on (client timeout) per its history: an answer that came after
   * `GENESYS_TIMEOUT_MS` on a loaded machine makes a copy no sandbox fault explains.
   */
  clientTimeouts?: number;
}

/** The cause of a copy whose answer no fault spoilt, yet the service timed out waiting for it. */
export const LATE_FOR_CLIENT = 'no fault: the answer came after the client timeout';
/** The cause of a copy whose answer reached the service normally: the run cannot explain it. */
export const UNEXPLAINED = 'UNEXPLAINED: no fault, no client timeout';

export interface DuplicateTally {
  /** Copies beyond one per message, from the sandbox's count: what customers saw twice. */
  total: number;
  /**
   * What the run's own accounting predicts: one extra copy per acceptance whose answer a fault spoilt
   * (the service could not know Genesys had it), except where that copy is the one the service kept in
   * the end (it found it, or nothing later got through), plus the copies whose answer came after the
   * service's own recorded timeout. Equal to `total` when every duplicate is explained.
   */
  predicted: number;
  /** `total` split by the fault that spoilt the extra copy's answer (`after accept: hang`, …). */
  byCause: Record<string, number>;
  /** `total` split by target kind; every kind present. */
  byTarget: Record<TargetKind, number>;
  /** The messages with more than one copy, and why. */
  messages: Array<{ messageId: string; targetKind: TargetKind; copies: number; causes: string[] }>;
}

export function tallyDuplicates(messages: readonly MessageCopies[]): DuplicateTally {
  const tally: DuplicateTally = {
    total: 0,
    predicted: 0,
    byCause: {},
    byTarget: { conversation: 0, botConnector: 0, botSession: 0, agentless: 0 },
    messages: [],
  };
  let spoilt = 0;
  let spoiltKept = 0;
  let lateForClient = 0;
  for (const message of messages) {
    if (message.copies.length === 0) continue;
    // The copy the service kept: the recorded one, else (nothing recorded) the last one Genesys took.
    const keptIndex = message.copies.findIndex((copy) => copy.id === message.recordedGenesysId);
    const kept = keptIndex >= 0 ? keptIndex : message.copies.length - 1;
    spoilt += message.copies.filter((copy) => copy.answerFault !== undefined).length;
    if (message.copies[kept]?.answerFault !== undefined) spoiltKept += 1;
    if (message.copies.length < 2) continue;
    let timeoutsLeft = message.clientTimeouts ?? 0;
    const causes = message.copies
      .filter((_, index) => index !== kept)
      .map((copy) => {
        if (copy.answerFault !== undefined) return `after accept: ${copy.answerFault}`;
        if (timeoutsLeft === 0) return UNEXPLAINED;
        timeoutsLeft -= 1;
        lateForClient += 1;
        return LATE_FOR_CLIENT;
      });
    for (const cause of causes) tally.byCause[cause] = (tally.byCause[cause] ?? 0) + 1;
    tally.total += causes.length;
    tally.byTarget[message.targetKind] += causes.length;
    tally.messages.push({
      messageId: message.messageId,
      targetKind: message.targetKind,
      copies: message.copies.length,
      causes,
    });
  }
  // Each spoilt answer makes one copy the service cannot know of, except the copy it kept in the end.
  tally.predicted = spoilt - spoiltKept + lateForClient;
  return tally;
}

/**
 * Whether a message recorded `failed` although Genesys took a copy is explained: the answer to every copy
 * was spoilt by a fault after acceptance, or came after a client timeout the record shows, so the service
 * could not know. Any other failed-but-delivered message is an inconsistency.
 */
export function failedAfterSpoiltAnswers(copies: MessageCopies['copies'], clientTimeouts: number): boolean {
  const unspoilt = copies.filter((copy) => copy.answerFault === undefined).length;
  return copies.length > 0 && unspoilt <= clientTimeouts;
}
