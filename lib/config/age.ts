/**
 * Ages in hosts.ts (`maxSnapshotAge: '26h'`): a whole number and a unit, s, m, h or d. Whole numbers
 * and a short alphabet keep the value unambiguous in every place it is shown (status, metrics, docs).
 */
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** Seconds, or undefined when `text` is not a positive age of at most ten years. */
export function parseAge(text: string): number | undefined {
  const match = /^(\d{1,6})(s|m|h|d)$/.exec(text);
  if (match === null) return undefined;
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2]!]!;
  return seconds >= 1 && seconds <= 10 * 365 * 86_400 ? seconds : undefined;
}

export const AGE_ALLOWED = 'an age such as "26h", "90m", "8d" or "3600s": a whole number and one of s, m, h, d; more than zero and at most ten years';
