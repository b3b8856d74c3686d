/**
 * The shape of hosts.ts as a zod schema: types, unknown fields (typos such as `alowFrom`) and the
 * per-field rules of ./rules.ts. Checks across fields live in ./cross-checks.ts.
 */
import { z } from 'zod';
import * as rules from './rules';
import { serverRoot, statePath, unitPath } from './system-paths';
import { STORAGE_KINDS } from '../storage/kinds';
import { FIREWALL_KINDS } from '../firewall/kinds';

function ruled<T extends z.ZodType>(schema: T, rule: rules.Rule<z.output<T>>): T {
  return schema.superRefine((value, ctx) => {
    const allowed = rule(value);
    if (allowed !== undefined) ctx.addIssue({ code: 'custom', message: allowed, input: value });
  }) as unknown as T;
}

/** The first rule's complaint, else the next one's: one message per value. */
function inOrder<T>(...checks: readonly rules.Rule<T>[]): rules.Rule<T> {
  return (value) => checks.reduce<string | undefined>((found, check) => found ?? check(value), undefined);
}

const path = ruled(z.string(), rules.absolutePath);
const tcpPort = ruled(z.number(), rules.port);

export const replicaSchema = ruled(z.strictObject({
  script: ruled(z.string(), rules.scriptContents).optional(),
  rcloneTargets: z.array(ruled(z.string(), rules.rcloneTarget)).optional(),
  rcloneConfig: path.optional(),
  replaceLegacyScript: z.boolean().optional(),
}), rules.replicaChoice);

export const hostSchema = z.strictObject({
  name: ruled(z.string(), rules.hostName),
  port: tcpPort,
  consolePort: tcpPort.optional(),
  storage: z.enum(STORAGE_KINDS).optional(),
  tlsCertificate: path.optional(),
  tlsKey: path.optional(),
  allowFrom: z.array(ruled(z.string(), rules.cidr)).optional(),
  allowFromAnywhere: z.boolean().optional(),
  bucket: ruled(z.string(), rules.bucket).optional(),
  prefix: ruled(z.string(), rules.objectPrefix).optional(),
  appendOnly: z.boolean().optional(),
  replica: replicaSchema.optional(),
  maxSnapshotAge: ruled(z.string(), rules.age).optional(),
  quota: ruled(z.string(), rules.byteSize).optional(),
  acknowledgeStorageChange: z.enum(STORAGE_KINDS).optional(),
});

export const serverSchema = z.strictObject({
  serverName: ruled(z.string(), rules.hostName),
  root: ruled(z.string(), inOrder(rules.absolutePath, serverRoot)).optional(),
  user: ruled(z.string(), rules.accountName).optional(),
  group: ruled(z.string(), rules.accountName).optional(),
  tlsCertificate: path.optional(),
  tlsKey: path.optional(),
  storage: z.enum(STORAGE_KINDS).optional(),
  minioBinary: path.optional(),
  restServerBinary: path.optional(),
  rcloneBinary: path.optional(),
  backupSyncdCommand: path.optional(),
  systemd: z.strictObject({ unitPath: path.optional(), manage: z.boolean().optional() }).superRefine((systemd, ctx) => {
    // Where the unit may go depends on whether this project manages it (systemd.manage).
    if (systemd.unitPath === undefined || rules.absolutePath(systemd.unitPath) !== undefined) return;
    const allowed = unitPath(systemd.unitPath, systemd.manage ?? true);
    if (allowed !== undefined) ctx.addIssue({ code: 'custom', message: allowed, path: ['unitPath'], input: systemd.unitPath });
  }).optional(),
  backend: z.strictObject({ localStatePath: ruled(z.string(), inOrder(rules.absolutePath, statePath)).optional() }).optional(),
  firewall: z.strictObject({
    backend: z.enum(FIREWALL_KINDS).optional(),
    commandPrefix: ruled(z.string(), rules.commandPrefix).optional(),
    nftables: z.strictObject({ ruleDirectory: path.optional(), table: ruled(z.string(), rules.nftablesName).optional() }).optional(),
  }).optional(),
  maxSnapshotAge: ruled(z.string(), rules.age).optional(),
  newHostGracePeriod: ruled(z.string(), rules.age).optional(),
  monitoring: z.strictObject({ textfileDirectory: path.optional() }).optional(),
  leaveAlone: z.array(ruled(z.string(), rules.directoryName)).optional(),
});

export const configSchema = z.strictObject({
  server: serverSchema,
  hosts: z.array(hostSchema),
});
