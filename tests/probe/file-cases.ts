import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { armlsCsv, armlsFixture } from '../support/armls.js';
import { call, cli, countsChanged, dataCounts, garbage, leaks, repeat, stillAnswers, writeParts, type CliAnswer, type ProbeCase, type ProbeContext } from './harness.js';

/**
 * Bad files, from tables, given to `import armls` (through the CLI and through `serve`'s
 * `collect.import`), `rents import` and `restore --drop`: empty, binary, the wrong header, torn
 * gzip, huge values, huge or endless files. Each must end cleanly (exit 1, or a run that failed
 * or counted the bad rows), with a plain message naming the file, nothing secret, no stack, no
 * data changed, and `serve` still answering.
 */

const MB = 1024 * 1024;
const SAFMR_HEADER = 'ZIP Code,HUD Area Code,HUD Metro Fair Market Rent Area Name,SAFMR 0BR,SAFMR 0BR - 90% Payment Standard,SAFMR 0BR - 110% Payment Standard,SAFMR 1BR,SAFMR 2BR,SAFMR 3BR,SAFMR 4BR';

/** How a bad file is made: written into `file` (which it may replace with a link). */
type Maker = (file: string) => Promise<void> | void;

const sparse = (bytes: number): Maker => (file) => {
  fs.closeSync(fs.openSync(file, 'w'));
  fs.truncateSync(file, bytes);
};
const text = (content: string | Buffer): Maker => (file) => fs.writeFileSync(file, content);
const link = (target: string): Maker => (file) => fs.symlinkSync(target, file);

function armlsHeader(): string {
  return armlsCsv(armlsFixture().header, []);
}

/** Bad ARMLS exports: [name, how it is made]. */
const BAD_EXPORTS: [string, Maker][] = [
  ['an empty file', text('')],
  ['binary bytes', text(garbage(64 * 1024))],
  ['a PNG image', text(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), garbage(4096)]))],
  ['a CSV with another header', text('name,age\r\nbob,3\r\n')],
  ['a gzipped export', () => undefined],
  ['a quote never closed (2 MB after it)', (file) => writeParts(file, [armlsHeader(), '"', ...repeat(Buffer.alloc(MB, 'a'), 2)])],
  ['one value of 2 MB', (file) => writeParts(file, [armlsHeader(), '"', ...repeat(Buffer.alloc(MB, 'v'), 2), '"\r\n'])],
  ['a row of 5,000 columns', (file) => writeParts(file, [armlsHeader(), `${Array.from({ length: 5000 }, () => '"x"').join(',')}\r\n`])],
  ['NUL bytes after the header', (file) => writeParts(file, [armlsHeader(), Buffer.alloc(64 * 1024)])],
  ['a sparse file of 600 MB', sparse(600 * MB)],
  ['/dev/zero (endless)', link('/dev/zero')],
  ['a folder', (file) => fs.mkdirSync(file)],
];

/** Bad HUD SAFMR tables for `rents import`. */
const BAD_RENT_TABLES: [string, Maker][] = [
  ['an empty file', text('')],
  ['binary bytes', text(garbage(64 * 1024, 11))],
  ['a CSV with another header', text('name,age\r\nbob,3\r\n')],
  ['the header alone', text(`${SAFMR_HEADER}\r\n`)],
  ['a blank rent cell', text(`${SAFMR_HEADER}\r\n85003,METRO38060M38060,"Phoenix-Mesa-Scottsdale, AZ MSA",1500,1350,1650,,1900,2500,2900\r\n`)],
  ['a gzipped table', text(zlib.gzipSync(`${SAFMR_HEADER}\r\n`))],
  ['a row of 100 KB', text(`${SAFMR_HEADER}\r\n85003,${'x'.repeat(100 * 1024)}\r\n`)],
  ['a sparse file of 40 MB', sparse(40 * MB)],
  ['/dev/zero (endless)', link('/dev/zero')],
  ['a folder', (file) => fs.mkdirSync(file)],
];

/** Plain: exit 1, no stack and nothing secret; names one of `names` (the file, or a row of it). */
function plainAnswer(ctx: ProbeContext, answer: CliAnswer, names: (string | RegExp)[]): string | null {
  const all = `${answer.stdout}\n${answer.stderr}`;
  if (answer.signal) return `the command was killed by ${answer.signal} (out of memory or hung)`;
  if (answer.code !== 1) return `exit code ${answer.code}, not 1: ${all.trim().slice(-300)}`;
  if (!names.some((n) => (typeof n === 'string' ? all.includes(n) : n.test(all)))) return `the output names none of ${names.join(', ')}: ${all.trim().slice(-300)}`;
  return leaks(all, ctx);
}

/** A case that makes a file, runs `check` on it and then checks that no data changed and serve answers. */
function fileCase(group: string, name: string, fileName: string, make: Maker, check: (ctx: ProbeContext, file: string) => Promise<string | null>, slow = false): ProbeCase {
  return {
    group,
    name,
    slow,
    async run(ctx) {
      const file = path.join(ctx.scratch, fileName);
      await make(file);
      const before = await dataCounts(ctx.db);
      const wrong = await check(ctx, file);
      return wrong ?? countsChanged(before, await dataCounts(ctx.db)) ?? (await stillAnswers(ctx));
    },
  };
}

/** Prepare the makers that need the fixture (the header alone, a gzipped export). */
function exportMaker(name: string, make: Maker): Maker {
  if (name === 'the header alone') return text(armlsHeader());
  if (name === 'a gzipped export') return text(zlib.gzipSync(fs.readFileSync(EXPORT_FIXTURE)));
  return make;
}

/** The real export the probed console holds (seeded by run.ts). */
export const EXPORT_FIXTURE = path.resolve(import.meta.dirname, '../../../shared/fixtures/armls-export/closed-sales-85251-2025.csv');

const importCliCases = BAD_EXPORTS.map(([name, make], i) =>
  fileCase('files: import armls (CLI)', name, `bad-export-${i}.csv`, exportMaker(name, make), async (ctx, file) => {
    // A file refused whole names the file; one that parses but holds bad rows names the rows.
    return plainAnswer(ctx, await cli(ctx, ['import', 'armls', file]), [path.basename(file), /row \d+/]);
  }, i % 3 !== 0),
);

/** Start `collect.import` of `file` on serve and wait for its run: status, message and errors. */
async function importThroughServe(ctx: ProbeContext, file: string): Promise<{ status: string; message: string; errors: string[] } | string> {
  const started = await call(ctx, 'collect.import', { kind: 'armls', path: file });
  if (started.status !== 200) return `collect.import answered ${started.status}: ${started.body.slice(0, 200)}`;
  const { runId } = JSON.parse(started.body) as { runId: string };
  for (let i = 0; i < 600; i += 1) {
    const answer = await call(ctx, 'runs.get', { runId });
    const run = JSON.parse(answer.body) as { status: string; message?: string; errors: { message: string }[] };
    if (run.status !== 'running') return { status: run.status, message: run.message ?? '', errors: run.errors.map((e) => e.message) };
    await new Promise((r) => setTimeout(r, 200));
  }
  return 'the import was still running after 2 minutes';
}

const importServeCases = BAD_EXPORTS.map(([name, make], i) =>
  fileCase('files: collect.import (serve)', name, `served-export-${i}.csv`, exportMaker(name, make), async (ctx, file) => {
    const run = await importThroughServe(ctx, file);
    if (typeof run === 'string') return run;
    const all = [run.message, ...run.errors].join('\n');
    if (run.status === 'succeeded' && run.errors.length === 0 && !/0 rows stored/.test(run.message)) return `the run succeeded without a word: ${run.message}`;
    if (run.status === 'failed' && !all.includes(path.basename(file)) && !/row \d+/.test(all)) return `the run's message names neither the file nor a row: ${all.slice(0, 300)}`;
    return leaks(all, ctx);
  }),
);

const rentCases = BAD_RENT_TABLES.map(([name, make], i) =>
  fileCase('files: rents import', name, `bad-rents-${i}.csv`, make, async (ctx, file) => plainAnswer(ctx, await cli(ctx, ['rents', 'import', file]), [path.basename(file)])),
);

/** Damage done to one file of a backup. */
const DAMAGE: [string, (file: string) => void, boolean][] = [
  ['cut in half', (file) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2)), false],
  ['emptied', (file) => fs.truncateSync(file, 0), true],
  ['replaced by binary bytes', (file) => fs.writeFileSync(file, garbage(4096, 3)), true],
  ['replaced by a gzip of garbage', (file) => fs.writeFileSync(file, zlib.gzipSync(garbage(4096, 5))), true],
];

/**
 * Restore cases: a backup of the probed console (made by run.ts into `backupDir`) with one file
 * damaged, restored with `--drop` into the console's own database: refused, the file named,
 * nothing changed. Cut in half is tried on every file; the other damage on the first data file
 * and the first metadata file.
 */
export function restoreCases(backupDir: string): ProbeCase[] {
  const files = listFiles(backupDir).filter((f) => /\.(bson\.gz|metadata\.json\.gz)$/.test(f));
  const firstData = files.find((f) => f.endsWith('raw_properties.bson.gz')) ?? files.find((f) => f.endsWith('.bson.gz'));
  const firstMeta = files.find((f) => f.endsWith('.metadata.json.gz'));
  const cases: ProbeCase[] = [];
  for (const [damage, apply, onlySome] of DAMAGE) {
    for (const relative of onlySome ? [firstData, firstMeta].filter((f): f is string => f !== undefined) : files) {
      cases.push({
        group: 'files: restore --drop',
        name: `${relative} ${damage}`,
        slow: !onlySome && !relative.endsWith('raw_properties.bson.gz') && !relative.endsWith('raw_originals.bson.gz'),
        async run(ctx) {
          const copy = path.join(ctx.scratch, 'backup');
          fs.cpSync(backupDir, copy, { recursive: true });
          const damaged = path.join(copy, relative);
          if (fs.statSync(damaged).size === 0 && damage === 'cut in half') return null;
          apply(damaged);
          const before = await dataCounts(ctx.db);
          const answer = await cli(ctx, ['restore', copy, '--drop']);
          return plainAnswer(ctx, answer, [path.basename(relative)]) ?? countsChanged(before, await dataCounts(ctx.db)) ?? (await stillAnswers(ctx));
        },
      });
    }
  }
  const whole: [string, (dir: string) => void][] = [
    ['a folder that does not exist', () => undefined],
    ['an empty folder', (dir) => fs.mkdirSync(dir)],
    ['a file, not a folder', (dir) => fs.writeFileSync(dir, 'not a backup')],
    ['a folder of binary files', (dir) => {
      fs.mkdirSync(path.join(dir, 'phoenix'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'phoenix', 'raw_properties.bson.gz'), garbage(4096, 9));
    }],
  ];
  for (const [name, make] of whole) {
    cases.push({
      group: 'files: restore --drop',
      name,
      async run(ctx) {
        const dir = path.join(ctx.scratch, 'not-a-backup');
        make(dir);
        const before = await dataCounts(ctx.db);
        const answer = await cli(ctx, ['restore', dir, '--drop']);
        return plainAnswer(ctx, answer, ['not-a-backup']) ?? countsChanged(before, await dataCounts(ctx.db)) ?? (await stillAnswers(ctx));
      },
    });
  }
  return cases;
}

/** Files under `dir`, relative to it. */
function listFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

/** The import and rents cases (restore cases need the backup: restoreCases). */
export const fileCases: ProbeCase[] = [...importCliCases, ...importServeCases, ...rentCases];
