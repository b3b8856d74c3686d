/** `npm run plan`: see lib/plan/cli.ts. */
import { runPlanCli } from '../lib/plan/cli';

process.exitCode = runPlanCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
