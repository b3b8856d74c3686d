/** The real file system for ./ancestors.ts: lstat, realpath, and names from /etc/passwd and /etc/group. */
import * as fs from 'node:fs';
import type { AncestorFs } from './ancestors';

/** `name:x:id:...` lines of a passwd or group file as id -> name; empty when unreadable. */
function namesOf(file: string): Map<number, string> {
  const names = new Map<number, string>();
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return names;
  }
  for (const line of text.split('\n')) {
    const [name, , id] = line.split(':');
    if (name && id !== undefined && /^\d+$/.test(id) && !names.has(Number(id))) names.set(Number(id), name);
  }
  return names;
}

export function nodeAncestorFs(): AncestorFs {
  let users: Map<number, string> | undefined;
  let groups: Map<number, string> | undefined;
  return {
    lstat: (path) => {
      try {
        return fs.lstatSync(path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
        throw error;
      }
    },
    realpath: (path) => fs.realpathSync(path),
    userName: (uid) => (users ??= namesOf('/etc/passwd')).get(uid),
    groupName: (gid) => (groups ??= namesOf('/etc/group')).get(gid),
  };
}
