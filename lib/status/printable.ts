/**
 * Text from files service accounts write (logs, state) on its way to a terminal or a markdown
 * page: control characters (escape sequences could rewrite the screen) become U+FFFD, and it is
 * cut to a length. Pure.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string, maxLength = 300): string {
  const clean = text.replace(CONTROL, '\ufffd');
  return clean.length > maxLength ? `${clean.slice(0, maxLength - 1)}…` : clean;
}
