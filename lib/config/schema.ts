/**
 * The shape of hosts.ts as a zod schema: types, unknown fields (typos such as `alowFrom`) and the
 * per-field rules of ./rules.ts. Checks across fields live in ./cross-checks.ts.
 */
import { z } from 'zod';
import * as rules from './rules';
import { STORAGE_KINDS } from '../storage/kinds';
import { FIREWALL_KINDS } from '../firewall/kinds';

function ruled<T extends z.ZodType>(schema: T, rule: rules.Rule<z.output<T>>): T {
  return schema.superRefine((value, ctx) => {
    const allowed = rule(value);
    if (allowed !== undefined) ctx.addIssue({ code: 'custom', message: allowed, input: value });
  }) as unknown as T;
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
  bucket: ruled(z.string(), rules.bucket).optional(),
  prefix: ruled(z.string(), rules.objectPrefix).optional(),
  appendOnly: z.boolean().optional(),
  replica: replicaSchema.optional(),
  acknowledgeStorageChange: z.enum(STORAGE_KINDS).optional(),
});

export const serverSchema = z.strictObject({
  serverName: ruled(z.string(), rules.hostName),
  root: path.optional(),
  user: ruled(z.string(), rules.accountName).optional(),
  group: ruled(z.string(), rules.accountName).optional(),
  tlsCertificate: path.optional(),
  tlsKey: path.optional(),
  storage: z.enum(STORAGE_KINDS).optional(),
  minioBinary: path.optional(),
  restServerBinary: path.optional(),
  rcloneBinary: path.optional(),
  backupSyncdCommand: path.optional(),
  systemd: z.strictObject({ unitPath: path.optional(), manage: z.boolean().optional() }).optional(),
  backend: z.strictObject({ localStatePath: path.optional() }).optional(),
  firewall: z.strictObject({
    backend: z.enum(FIREWALL_KINDS).optional(),
    commandPrefix: ruled(z.string(), rules.commandPrefix).optional(),
    nftables: z.strictObject({ ruleDirectory: path.optional(), table: ruled(z.string(), rules.nftablesName).optional() }).optional(),
  }).optional(),
  leaveAlone: z.array(ruled(z.string(), rules.directoryName)).optional(),
});

export const configSchema = z.strictObject({
  server: serverSchema,
  hosts: z.array(hostSchema),
});
