#!/usr/bin/env node
// The `phoenix-re` command. Runs the TypeScript sources through tsx, so it works right after
// `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/main/cli/main.ts');
await runCli(process.argv);
