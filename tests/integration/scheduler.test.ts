import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../src/shared/schemas/run.js';
import type { ScheduleDef } from '../../src/shared/schemas/schedule.js';
import { Scheduler, type WorkRunner } from '../../src/main/scheduler/scheduler.js';
import { openTestCore, type TestCore } from '../support/core.js';
import { manualClock } from '../support/clock.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';
import { CountyLayerSimulator } from '../support/county-layer-simulator.js';
import { MaricopaSimulator } from '../support/maricopa-simulator.js';
import { manualTimers } from '../support/schedule-timers.js';
import { until } from '../support/until.js';

// 05:00 in Phoenix (UTC-7 all year): an hour before the morning job.
const BEFORE_SIX = '2026-11-28T12:00:00Z';
const SIX = '2026-11-28T13:00:00Z';

const job = (over: Partial<ScheduleDef> = {}): ScheduleDef => ({
  id: 'assessor-morning',
  cron: '0 6 * * *',
  enabled: true,
  work: { kind: 'sync', source: 'maricopa_api', zips: ['85035'], limit: 3 },
  ...over,
});

let sim: MaricopaSimulator;
beforeAll(async () => {
  sim = await new MaricopaSimulator().start();
});
afterAll(async () => sim.stop());

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function core(options: { clock: ReturnType<typeof manualClock>; schedules?: ScheduleDef[]; env?: Record<string, string>; tdb?: TestDatabase }) {
  const timers = manualTimers();
  const tc: TestCore = await openTestCore({
    clock: options.clock.clock,
    scheduleTimers: timers.timers,
    ...(options.tdb && { tdb: options.tdb }),
    env: {
      MARICOPA_API_BASE_URL: sim.baseUrl,
      MARICOPA_API_TOKEN: sim.token,
      MARICOPA_RATE_LIMIT_PER_MINUTE: '6000',
      SCHEDULES: JSON.stringify(options.schedules ?? [job()]),
      ...options.env,
    },
  });
  open.push(tc);
  return { tc, timers };
}

/**
 * Work a test finishes by hand: each start records a real run (so records and leases are the
 * scheduler's own) and ends when the test calls `finish`, or is cancelled by the signal.
 */
function heldWork(tc: TestCore) {
  const started: { def: string; trigger: string; finish: () => void }[] = [];
  const runWork: WorkRunner = async (def, { trigger, signal }) => {
    const run = await tc.core.repos.runs.start({ kind: 'sync', source: 'maricopa_api', trigger, params: { schedule: def.id } });
    let finish!: () => void;
    const finished = new Promise<'succeeded' | 'cancelled'>((resolve) => {
      finish = () => resolve('succeeded');
      signal.addEventListener('abort', () => resolve('cancelled'), { once: true });
    });
    started.push({ def: def.id, trigger, finish });
    const done = finished.then(async (status) => (await tc.core.repos.runs.finish(run._id, status, status))!);
    return { run, done };
  };
  return { runWork, started };
}

function scheduler(tc: TestCore, clock: ReturnType<typeof manualClock>, runWork: WorkRunner, instanceId: string, timers = manualTimers()) {
  const s = new Scheduler({
    repos: tc.core.repos,
    settings: tc.core.settings,
    clock: clock.clock,
    logger: tc.core.logger,
    events: tc.core.events,
    runWork,
    instanceId,
    timers: timers.timers,
  });
  open.push({ close: () => s.stop() });
  return { s, timers };
}

const runs = (tc: TestCore) => tc.core.repos.runs.list({ limit: 50 });

describe('the scheduler', () => {
  it('runs a due job through the same service as Sync now, recorded with its trigger', async () => {
    const clock = manualClock(BEFORE_SIX);
    const { tc, timers } = await core({ clock });
    await tc.core.scheduler.start();
    expect(timers.armed()).toEqual(['assessor-morning']);
    expect(await runs(tc)).toHaveLength(0); // first start: nothing owed yet

    clock.set(SIX);
    timers.due('assessor-morning', SIX);
    await until(async () => (await runs(tc)).some((r) => r.status === 'succeeded'), 20_000, 'the scheduled sync');
    const [run] = await runs(tc);
    expect(run).toMatchObject({ kind: 'sync', source: 'maricopa_api', trigger: 'schedule', status: 'succeeded' });
    expect(run!.params).toMatchObject({ zips: ['85035'], limit: 3 });
    expect(run!.counters.inserted).toBe(3);

    // The job's lease goes once the run's record is written: wait for both.
    const settled = async () => (await tc.core.api['schedule.list']({})).jobs[0]!;
    await until(async () => (await settled()).running === null && (await settled()).last_run?.status === 'succeeded', 20_000, 'the job to settle');
    const listed = await settled();
    expect(listed).toMatchObject({ id: 'assessor-morning', enabled: true, enabled_by: 'settings', running: null });
    expect(listed!.last_run).toMatchObject({ run_id: run!._id, status: 'succeeded', trigger: 'schedule', due_at: new Date(SIX) });
    expect(listed!.next_run_at).toEqual(new Date('2026-11-29T13:00:00Z')); // tomorrow 06:00 Phoenix

    // "Run now" from the console: the same call, trigger manual.
    const now = await tc.core.api['schedule.runNow']({ id: 'assessor-morning' });
    expect(now.status).toBe('started');
    await until(async () => (await tc.core.repos.runs.get(now.runId))?.status === 'succeeded', 20_000, 'the manual run');
    expect(await tc.core.repos.runs.get(now.runId)).toMatchObject({ kind: 'sync', trigger: 'manual' });
    await expect(tc.core.api['schedule.runNow']({ id: 'nightly' })).rejects.toThrow('No schedule "nightly". Schedules: assessor-morning.');
  });

  it('skips a due time that finds the previous run still going, and records the skip', async () => {
    const clock = manualClock(SIX);
    // A lease longer than the test's jumps of the clock (renewals go by real time).
    const { tc } = await core({ clock, env: { SCHEDULE_LEASE_MS: '3600000' } });
    const work = heldWork(tc);
    const { s } = scheduler(tc, clock, work.runWork, 'host-a:1:aaaa');
    const def = job({ cron: '*/5 * * * *' });

    const first = await s.fire(def, new Date('2026-11-28T13:00:00Z'), 'schedule');
    expect(first.outcome).toBe('started');
    clock.set('2026-11-28T13:05:00Z');
    const second = await s.fire(def, new Date('2026-11-28T13:05:00Z'), 'schedule');
    expect(second.outcome).toBe('skipped');
    expect(second.outcome === 'skipped' && second.run).toMatchObject({ status: 'skipped', trigger: 'schedule' });
    expect(second.outcome === 'skipped' && second.run.message).toMatch(/^skipped: the previous run of assessor-morning is still going \(started 2026-11-28T13:00:00.000Z by host-a:1:aaaa\)$/);
    // "Run now" meets the same rule.
    expect((await s.runNow(def.id)).outcome).toBe('skipped');
    expect(work.started).toHaveLength(1);

    work.started[0]!.finish();
    await (first.outcome === 'started' && first.done);
    clock.set('2026-11-28T13:10:00Z');
    expect((await s.fire(def, new Date('2026-11-28T13:10:00Z'), 'schedule')).outcome).toBe('started');
    expect(work.started).toHaveLength(2);
    const statuses = (await runs(tc)).map((r) => r.status).sort();
    expect(statuses).toEqual(['running', 'skipped', 'skipped', 'succeeded']);
  });

  it('runs each due time on one instance only, however many share the database', async () => {
    const clock = manualClock(SIX);
    const { tc } = await core({ clock });
    const work = heldWork(tc);
    const a = scheduler(tc, clock, work.runWork, 'host-a:1:aaaa').s;
    const b = scheduler(tc, clock, work.runWork, 'host-b:2:bbbb').s;
    const def = job();
    const due = new Date(SIX);

    const results = await Promise.all([a.fire(def, due, 'schedule'), b.fire(def, due, 'schedule')]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['elsewhere', 'started']);
    expect(work.started).toHaveLength(1);
    const list = await b.list();
    expect(list[0]!.running?.owner).toMatch(/^host-[ab]:/);

    // The winner finishes; a late instance (its clock behind) does not run that due time again.
    work.started[0]!.finish();
    await Promise.all(results.map((r) => (r.outcome === 'started' ? r.done : null)));
    expect((await a.fire(def, due, 'schedule')).outcome).toBe('elsewhere');
    expect((await b.fire(def, due, 'schedule')).outcome).toBe('elsewhere');
    expect(work.started).toHaveLength(1);
    expect((await runs(tc)).filter((r) => r.status === 'skipped')).toHaveLength(0);
  });

  it('takes over the lease of an instance that died while running', async () => {
    const clock = manualClock(SIX);
    const { tc } = await core({ clock, env: { SCHEDULE_LEASE_MS: '60000' } });
    // An instance took the job's lease and died: no renewal, no release.
    await tc.core.repos.schedules.acquire('assessor-morning', 'host-dead:9:dddd', new Date(SIX), 60_000);
    const work = heldWork(tc);
    const { s } = scheduler(tc, clock, work.runWork, 'host-b:2:bbbb');
    clock.set('2026-11-29T13:00:00Z'); // a day later: the lease ran out long ago
    const result = await s.fire(job(), new Date('2026-11-29T13:00:00Z'), 'schedule');
    expect(result.outcome).toBe('started');
    expect((await s.list())[0]!.running?.owner).toBe('host-b:2:bbbb');
  });

  it('catches up once on start on a job missed within the window, and records older misses', async () => {
    const clock = manualClock('2026-11-25T12:00:00Z');
    const tdb = await openTestDatabase();
    open.push(tdb);
    // The app ran three days ago (05:00 Phoenix), then was closed.
    const before = await core({ clock, tdb });
    await before.tc.core.scheduler.start();
    await before.tc.close();
    open.splice(open.indexOf(before.tc), 1);

    // Started again at 08:00 Phoenix on the 28th: due times on the 25th, 26th, 27th and 28th passed.
    clock.set('2026-11-28T15:00:00Z');
    const { tc, timers } = await core({ clock, tdb });
    await tc.core.scheduler.start();
    await until(async () => (await runs(tc)).some((r) => r.trigger === 'catch-up' && r.status === 'succeeded'), 20_000, 'the catch-up run');
    const all = await runs(tc);
    const missed = all.filter((r) => r.status === 'missed');
    expect(missed).toHaveLength(1);
    expect(missed[0]!.message).toBe(
      'missed 3 runs from 2026-11-25T13:00:00.000Z to 2026-11-27T13:00:00.000Z while no instance was running',
    );
    const ran = all.filter((r) => r.status === 'succeeded');
    expect(ran).toHaveLength(1);
    expect(ran[0]).toMatchObject({ kind: 'sync', trigger: 'catch-up' });
    expect((await tc.core.scheduler.list())[0]!.last_run).toMatchObject({ trigger: 'catch-up', due_at: new Date(SIX) });

    // A later start owes nothing more, and node-cron's "missed" (the machine slept) re-checks the same way.
    timers.missed('assessor-morning');
    await tc.core.scheduler.catchUp(job());
    expect(await runs(tc)).toHaveLength(2);
  });

  it('only records a miss older than the window, and does not run it', async () => {
    const clock = manualClock(BEFORE_SIX);
    const tdb = await openTestDatabase();
    open.push(tdb);
    const before = await core({ clock, tdb, env: { SCHEDULE_CATCH_UP_HOURS: '12' } });
    await before.tc.core.scheduler.start();
    await before.tc.close();
    open.splice(open.indexOf(before.tc), 1);

    clock.set('2026-11-29T02:00:00Z'); // 19:00 Phoenix: 06:00 was 13 hours ago
    const { tc } = await core({ clock, tdb, env: { SCHEDULE_CATCH_UP_HOURS: '12' } });
    await tc.core.scheduler.start();
    const all = await runs(tc);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ status: 'missed', trigger: 'catch-up' });
    expect(all[0]!.message).toBe('missed 1 run due 2026-11-28T13:00:00.000Z while no instance was running; the latest was more than 12 h ago');
    await tc.core.scheduler.catchUp(job());
    expect(await runs(tc)).toHaveLength(1);
  });

  it('on stop cancels running jobs and releases their leases', async () => {
    const clock = manualClock(SIX);
    const { tc } = await core({ clock });
    const work = heldWork(tc);
    const { s } = scheduler(tc, clock, work.runWork, 'host-a:1:aaaa');
    const result = await s.fire(job(), new Date(SIX), 'schedule');
    expect(result.outcome).toBe('started');
    expect(await tc.core.repos.schedules.holder('assessor-morning')).not.toBeNull();
    await s.stop();
    const run = (await (result.outcome === 'started' && result.done)) as Run;
    expect(run.status).toBe('cancelled');
    expect(await tc.core.repos.schedules.holder('assessor-morning')).toBeNull();
  });

  it('keeps the on/off switch in the database for every instance', async () => {
    const clock = manualClock(BEFORE_SIX);
    const tdb = await openTestDatabase();
    open.push(tdb);
    const schedules = [job(), job({ id: 'processing-evening', cron: '0 20 * * *', work: { kind: 'process' } })];
    const a = await core({ clock, tdb, schedules });
    await a.tc.core.scheduler.start();
    expect(a.timers.armed()).toEqual(['assessor-morning', 'processing-evening']);
    const { job: off } = await a.tc.core.api['schedule.setEnabled']({ id: 'processing-evening', enabled: false });
    expect(off).toMatchObject({ enabled: false, enabled_by: 'switch', next_run_at: null });
    expect(a.timers.armed()).toEqual(['assessor-morning']);

    const b = await core({ clock, tdb, schedules });
    await b.tc.core.scheduler.start();
    expect(b.timers.armed()).toEqual(['assessor-morning']);
    // Switched on again at 21:00 Phoenix: the 20:00 it was off for is not owed.
    clock.set('2026-11-29T04:00:00Z');
    await a.tc.core.api['schedule.setEnabled']({ id: 'processing-evening', enabled: true });
    expect(a.timers.armed()).toEqual(['assessor-morning', 'processing-evening']);
    await b.tc.core.scheduler.catchUp(schedules[1]!);
    expect(await runs(a.tc)).toHaveLength(0);
  });

  it('records a job whose work cannot start as failed, with the reason, and frees the job', async () => {
    const clock = manualClock(SIX);
    const { tc } = await core({ clock });
    const { s } = scheduler(tc, clock, async () => {
      throw new Error('no browser to drive');
    }, 'host-a:1:aaaa');
    const result = await s.runNow('assessor-morning');
    expect(result.outcome).toBe('skipped');
    const [run] = await runs(tc);
    expect(run).toMatchObject({ status: 'failed', kind: 'sync', source: 'maricopa_api', trigger: 'manual' });
    expect(run!.message).toBe('assessor-morning could not start: no browser to drive');
    expect(await tc.core.repos.schedules.holder('assessor-morning')).toBeNull();
  });

  it('runs the MLS job through the MLS collector, whose run says what is missing', async () => {
    const clock = manualClock(SIX);
    const { tc } = await core({ clock, schedules: [job({ id: 'mls-afternoon', cron: '0 14 * * *', work: { kind: 'sync', source: 'phoenix_mls', zips: ['85031'] } })] });
    const result = await tc.core.scheduler.runNow('mls-afternoon');
    expect(result.outcome).toBe('started');
    const run = await (result.outcome === 'started' && result.done);
    expect(run).toMatchObject({ status: 'failed', kind: 'sync', source: 'phoenix_mls', trigger: 'manual' });
    expect((run as Run).message).toMatch(/WEBSHARE_API_TOKEN is not set|No Chromium or Chrome found/);
  });
});

describe('the default schedules', () => {
  it("sync the county parcel layer for the analyst's ZIP codes before the assessor's details, as a real county sync", async () => {
    const layer = await new CountyLayerSimulator({ seed: 3, parcelsPerZip: { '85031': 30, '85033': 20 } }).start();
    try {
      const clock = manualClock(BEFORE_SIX);
      const timers = manualTimers();
      const tc = await openTestCore({
        clock: clock.clock,
        scheduleTimers: timers.timers,
        env: { COUNTY_LAYER_URL: layer.layerUrl, TARGET_ZIP_CODES: '85031,85033', MARICOPA_API_BASE_URL: sim.baseUrl, MARICOPA_API_TOKEN: sim.token },
      });
      open.push(tc);
      await tc.core.scheduler.start();
      const jobs = (await tc.core.api['schedule.list']({})).jobs;
      const county = jobs.find((j) => j.id === 'county-morning');
      const assessor = jobs.find((j) => j.id === 'assessor-morning');
      expect(county).toMatchObject({ enabled: true, work: { kind: 'sync', source: 'county_layer' } });
      expect(assessor?.enabled).toBe(true);
      // 05:30 Phoenix, half an hour before the assessor's 06:00.
      expect(county!.next_run_at).toEqual(new Date('2026-11-28T12:30:00Z'));
      expect(county!.next_run_at!.getTime()).toBeLessThan(assessor!.next_run_at!.getTime());

      const due = '2026-11-28T12:30:00Z';
      clock.set(due);
      timers.due('county-morning', due);
      await until(async () => (await runs(tc)).some((r) => r.source === 'county_layer' && r.status === 'succeeded'), 20_000, 'the scheduled county sync');
      const run = (await runs(tc)).find((r) => r.source === 'county_layer')!;
      expect(run).toMatchObject({ kind: 'sync', trigger: 'schedule', params: { zips: ['85031', '85033'] } });
      expect(run.counters).toMatchObject({ inserted: 50 });
    } finally {
      await layer.stop();
    }
  });
});
