/** restic versions as `x.y.z`, compared; what each client-side feature needs. */
export type Version = readonly [number, number, number];

export function parseVersion(text: string): Version | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})(?:\.(\d{1,3}))?$/.exec(text);
  return match === null ? undefined : [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

export function atLeast(version: Version, minimum: Version): boolean {
  for (let i = 0; i < 3; i++) if (version[i] !== minimum[i]) return version[i]! > minimum[i]!;
  return true;
}

/** RESTIC_REST_USERNAME / RESTIC_REST_PASSWORD. */
export const REST_CREDENTIAL_VARIABLES_SINCE: Version = [0, 16, 1];
/** RESTIC_CACERT. */
export const CACERT_VARIABLE_SINCE: Version = [0, 16, 0];
/** Debian 12's: the form that works everywhere is the default. */
export const DEFAULT_CLIENT_VERSION = '0.14.0';
