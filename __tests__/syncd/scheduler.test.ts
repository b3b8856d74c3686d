import { ManualClock } from '../../lib/syncd/clock';
import { Scheduler, type CycleOutcome, type SchedulerOptions } from '../../lib/syncd/scheduler';

const options: SchedulerOptions = { settleMs: 100, maxSettleMs: 1000, rescanMs: 60_000, backoff: { initialMs: 500, maxMs: 2000 } };

/** A cycle whose runs the test finishes one by one. */
function controlledCycle() {
  const started: number[] = [];
  const finishers: Array<(outcome: CycleOutcome) => void> = [];
  let active = 0;
  let maxActive = 0;
  return {
    started,
    get maxActive() {
      return maxActive;
    },
    cycle: (clock: ManualClock) => () =>
      new Promise<CycleOutcome>((resolve) => {
        started.push(clock.now());
        active++;
        maxActive = Math.max(maxActive, active);
        finishers.push((outcome) => {
          active--;
          resolve(outcome);
        });
      }),
    /** Finish the oldest unfinished run and let its continuation run. */
    async finish(outcome: CycleOutcome) {
      finishers.shift()!(outcome);
      for (let i = 0; i < 5; i++) await Promise.resolve();
    },
  };
}

function setUp(overrides: Partial<SchedulerOptions> = {}) {
  const clock = new ManualClock();
  const runs = controlledCycle();
  const retries: Array<[number, number]> = [];
  const scheduler = new Scheduler(clock, { ...options, ...overrides }, runs.cycle(clock), (failures, delay) => retries.push([failures, delay]));
  return { clock, runs, scheduler, retries };
}

describe('scheduler', () => {
  test('scans at start-up at once', () => {
    const { clock, runs, scheduler } = setUp();
    scheduler.start();
    clock.advance(0);
    expect(runs.started).toEqual([0]);
  });

  test('a burst of events coalesces into one run after the settle delay of the last one', async () => {
    const { clock, runs, scheduler } = setUp();
    scheduler.start();
    clock.advance(0);
    await runs.finish('idle');
    for (let i = 0; i < 100; i++) {
      scheduler.notify();
      clock.advance(5);
    }
    // The last event came at 495, the clock is at 500: the run starts 100 ms after that event.
    expect(runs.started).toEqual([0]);
    clock.advance(94);
    expect(runs.started).toEqual([0]);
    clock.advance(1);
    expect(runs.started).toEqual([0, 495 + 100]);
  });

  test('a steady stream of events delays a run by at most maxSettle', async () => {
    const { clock, runs, scheduler } = setUp();
    scheduler.start();
    clock.advance(0);
    await runs.finish('idle');
    for (let i = 0; i < 50; i++) {
      scheduler.notify();
      clock.advance(50);
    }
    expect(runs.started).toEqual([0, 1000]);
  });

  test('a notification from the synchronous part of a cycle (a sync scan adding watches) waits for that cycle', async () => {
    const clock = new ManualClock();
    let active = 0;
    let maxActive = 0;
    const finishers: Array<() => void> = [];
    let scheduler: Scheduler;
    const cycle = (): Promise<CycleOutcome> => {
      active++;
      maxActive = Math.max(maxActive, active);
      scheduler.notify(); // before the cycle's first await
      return new Promise((resolve) => finishers.push(() => { active--; resolve('replicated'); }));
    };
    scheduler = new Scheduler(clock, { ...options, settleMs: 0 }, cycle);
    scheduler.start();
    clock.advance(0);
    clock.advance(1000);
    expect(finishers).toHaveLength(1);
    finishers.shift()!();
    for (let i = 0; i < 5; i++) await Promise.resolve();
    clock.advance(0);
    expect(finishers).toHaveLength(1); // the notification gave exactly one more cycle, after the first
    expect(maxActive).toBe(1);
    const stopped = scheduler.stop();
    finishers.shift()!();
    await stopped;
  });

  test('never two runs at once; what arrives during a run gives exactly one more run', async () => {
    const { clock, runs, scheduler } = setUp();
    scheduler.start();
    clock.advance(0);
    scheduler.notify();
    clock.advance(5000);
    scheduler.notify();
    clock.advance(5000);
    expect(runs.started).toEqual([0]);
    await runs.finish('replicated');
    clock.advance(100);
    expect(runs.started).toEqual([0, 10_100]);
    await runs.finish('replicated');
    clock.advance(10_000);
    expect(runs.started).toHaveLength(2);
    expect(runs.maxActive).toBe(1);
  });

  test('failures retry with doubling, bounded back-off; events do not cut it short; success resets it', async () => {
    const { clock, runs, scheduler, retries } = setUp();
    scheduler.start();
    clock.advance(0);
    await runs.finish('failed');
    scheduler.notify();
    clock.advance(499);
    expect(runs.started).toHaveLength(1);
    clock.advance(1);
    expect(runs.started).toEqual([0, 500]);
    await runs.finish('failed');
    clock.advance(1000);
    await runs.finish('failed');
    clock.advance(2000);
    await runs.finish('failed');
    clock.advance(2000);
    expect(retries).toEqual([[1, 500], [2, 1000], [3, 2000], [4, 2000]]);
    expect(runs.started).toEqual([0, 500, 1500, 3500, 5500]);
    await runs.finish('replicated');
    expect(scheduler.consecutiveFailures).toBe(0);
    scheduler.notify();
    clock.advance(100);
    await runs.finish('failed');
    expect(retries.at(-1)).toEqual([1, 500]);
  });

  test('a cycle that throws counts as a failure', async () => {
    const clock = new ManualClock();
    const retries: number[] = [];
    const scheduler = new Scheduler(clock, options, () => Promise.reject(new Error('boom')), (failures) => retries.push(failures));
    scheduler.start();
    clock.advance(0);
    await scheduler.current;
    expect(retries).toEqual([1]);
  });

  test('rescans every interval without any event', async () => {
    const { clock, runs, scheduler } = setUp({ rescanMs: 1000 });
    scheduler.start();
    clock.advance(0);
    await runs.finish('idle');
    clock.advance(1100);
    expect(runs.started).toEqual([0, 1100]);
    await runs.finish('idle');
    clock.advance(1000);
    expect(runs.started).toEqual([0, 1100, 2100]);
  });

  test('stop waits for the running cycle and starts no other', async () => {
    const { clock, runs, scheduler } = setUp();
    scheduler.start();
    clock.advance(0);
    scheduler.notify();
    const stopped = scheduler.stop();
    let done = false;
    void stopped.then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    await runs.finish('replicated');
    await stopped;
    clock.advance(120_000);
    expect(runs.started).toEqual([0]);
    expect(clock.pending).toBe(0);
  });
});
