/** The escaping functions on their own (lib/plan/escape.ts); ./escaping.test.ts shows them at work in every output of a plan. */
import { escapeForTerminal, escapeJsonText, escapeMarkdown } from '../../lib/plan/escape';

describe('escaping', () => {
  test('terminal: controls, DEL, C1, bidi as \\x or \\u; the backslash doubled', () => {
    expect(escapeForTerminal('a\u001b[31m\u0007\n\u007f\u009b\u202e\u2066\u200f\\x1b')).toBe('a\\x1b[31m\\x07\\x0a\\x7f\\x9b\\u202e\\u2066\\u200f\\\\x1b');
    expect(escapeForTerminal('plain-name.example.com é')).toBe('plain-name.example.com é');
  });
  test('markdown: terminal escapes, then markup and HTML', () => {
    expect(escapeMarkdown('a|b<i>&*_`[l](u)~\n')).toBe('a\\|b&lt;i&gt;&amp;\\*\\_\\`\\[l\\](u)\\~\\\\x0a');
  });
  test('json: C1 and bidi as \\u, the same value', () => {
    const json = JSON.stringify({ name: 'x\u009b\u202ey' });
    expect(escapeJsonText(json)).toBe('{"name":"x\\u009b\\u202ey"}');
    expect(JSON.parse(escapeJsonText(json))).toEqual({ name: 'x\u009b\u202ey' });
  });
});
