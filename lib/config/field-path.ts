/** How a message names a place in the configuration: `hosts[1].allowFrom[0]`, `server["odd key"]`. */
import { escapeUnsafeCharacters, quoteText } from './message-text';

export function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'the default export of hosts.ts';
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    if (typeof key === 'symbol') return `${text}[${escapeUnsafeCharacters(key.toString())}]`;
    if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return `${text}[${quoteText(key)}]`;
    return text ? `${text}.${key}` : key;
  }, '');
}
