import { StatusInputError } from './errors';
import { messageIdProblem } from './message-id';

/** Argument checks for the store: each throws a StatusInputError naming the field and the reason. */

export function checkMessageId(field: string, value: unknown): string {
  const problem = messageIdProblem(value);
  if (problem !== undefined) throw new StatusInputError(field, problem);
  return value as string;
}

export function checkText(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new StatusInputError(field, 'must be a non-empty string');
  }
  return value;
}

export function checkIsoTime(field: string, value: unknown): string {
  if (typeof value !== 'string' || !ISO_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    throw new StatusInputError(
      field,
      `must be an ISO-8601 time such as 2026-01-31T12:00:00Z, got ${show(value)}`,
    );
  }
  return value;
}

export function checkPositiveInteger(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new StatusInputError(field, `must be a positive integer, got ${show(value)}`);
  }
  return value;
}

export function checkNonNegativeInteger(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new StatusInputError(field, `must be a non-negative integer, got ${show(value)}`);
  }
  return value;
}

export function checkPositiveNumber(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new StatusInputError(field, `must be a positive number, got ${show(value)}`);
  }
  return value;
}

// Date and time with an offset: sorting and TTL need an absolute time.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function show(value: unknown): string {
  const text = typeof value === 'string' ? `"${value}"` : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
