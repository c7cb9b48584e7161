import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GetResult } from '../../src/api/results';
import { createClient } from '../../src/client/createClient';
import { startBlackHole } from '../../src/testing/memcached';

// 100,000 calls against a black hole (a loopback server that accepts and never answers): each
// must settle soon after its own deadline. Expiring them must not be one blocking stretch (a
// TimeoutError with a stack trace per call, and the garbage of every call's closures, made them
// settle seconds late), and none may expire early.
//
// A call cannot settle while its caller holds the event loop: issuing 100,000 calls is one
// synchronous stretch of the caller's, and every deadline that passes during it is met at its end
// at the earliest. So each call's lateness is measured from its deadline or from the end of that
// stretch, whichever is later: what the client itself adds once it has the event loop. A third case
// makes the 100,000 calls 5,000 a turn, so no loop of the caller's outlasts a deadline and each
// call's lateness is from its own deadline alone.
//
// How late is too late is measured in the same run: expiring the calls may take the client 250 ms,
// or twice what the caller's loops took to make them when this machine is slower than that (a
// loaded machine slows both alike). The bench (`bench/selfSlow.ts blackhole`) gives the figure on
// an idle machine.
const CALLS = 100_000;
const TIMEOUT_MS = 100;
const SLACK_MS = 250;
/** How many times the caller's issuing time the client may take to expire the calls. */
const ISSUING_FACTOR = 2;

let hole: Awaited<ReturnType<typeof startBlackHole>>;
beforeAll(async () => {
  hole = await startBlackHole();
});
afterAll(async () => {
  await hole?.close();
});

interface Storm {
  readonly answers: GetResult[];
  /** The longest the caller's loop held the event loop issuing calls, in ms. */
  readonly issuingMs: number;
  /** How late a call may settle in this run: SLACK_MS, or more when issuing took longer, in ms. */
  readonly allowedLateMs: number;
  /** The latest any call settled past its deadline or the end of the issuing loop, in ms. */
  readonly worstLateMs: number;
  /** The earliest a `timeout` answer came before its deadline, in ms (negative: early). */
  readonly earliestTimeoutMs: number;
}

/**
 * 100,000 gets, made `batch` at a time (the caller yields one turn of the event loop between
 * batches), each one's lateness measured from its deadline or the end of its batch's loop.
 */
async function storm(allowedFailuresBeforeHealing?: number, batch = CALLS): Promise<Storm> {
  const cache = createClient({ servers: hole.address, timeoutMs: TIMEOUT_MS, allowedFailuresBeforeHealing });
  try {
    // The connection is up (the black hole accepts) before the storm: its first call times out.
    expect(await cache.get('warm')).toMatchObject({ ok: false, reason: 'timeout' });
    const deadlines = new Float64Array(CALLS);
    const settled = new Float64Array(CALLS);
    // When the loop that made each call gave the event loop back.
    const free = new Float64Array(CALLS);
    const calls = new Array<Promise<GetResult>>(CALLS);
    let issuingMs = 0;
    let issuingTotalMs = 0;
    for (let first = 0; first < CALLS; first += batch) {
      const started = performance.now();
      const end = Math.min(CALLS, first + batch);
      for (let i = first; i < end; i++) {
        deadlines[i] = performance.now() + TIMEOUT_MS;
        calls[i] = cache.get('k').then((answer) => {
          settled[i] = performance.now();
          return answer;
        });
      }
      const done = performance.now();
      free.fill(done, first, end);
      issuingMs = Math.max(issuingMs, done - started);
      issuingTotalMs += done - started;
      if (end < CALLS) await new Promise((resolve) => setImmediate(resolve));
    }
    const answers = await Promise.all(calls);
    let worstLateMs = 0;
    let earliestTimeoutMs = Number.POSITIVE_INFINITY;
    for (let i = 0; i < CALLS; i++) {
      const due = Math.max(deadlines[i] as number, free[i] as number);
      worstLateMs = Math.max(worstLateMs, (settled[i] as number) - due);
      const answer = answers[i];
      if (answer !== undefined && !answer.ok && answer.reason === 'timeout') {
        earliestTimeoutMs = Math.min(earliestTimeoutMs, (settled[i] as number) - (deadlines[i] as number));
      }
    }
    const allowedLateMs = Math.max(SLACK_MS, ISSUING_FACTOR * issuingTotalMs);
    const result = { answers, issuingMs, allowedLateMs, worstLateMs, earliestTimeoutMs };
    console.log(
      `100,000 gets against a black hole (allowedFailuresBeforeHealing ${allowedFailuresBeforeHealing ?? 'default'}, ` +
        `${batch.toLocaleString('en')} a turn): issuing ${issuingTotalMs.toFixed(0)} ms (longest loop ${issuingMs.toFixed(0)} ms), ` +
        `worst ${worstLateMs.toFixed(0)} ms late (allowed ${allowedLateMs.toFixed(0)} ms)`,
    );
    return result;
  } finally {
    await cache.close();
  }
}

function reasons(answers: readonly GetResult[]): Set<string> {
  return new Set(answers.map((a) => (a.ok ? 'ok' : a.reason)));
}

describe('100,000 calls against a black hole', () => {
  it('with the defaults: a few time out, the connection is dropped, all settle soon after their deadlines', async () => {
    const { answers, allowedLateMs, worstLateMs, earliestTimeoutMs } = await storm();
    // The drop fails what its slices reach first; the deadlines expire the rest: either way not ok.
    expect([...reasons(answers)].filter((r) => r !== 'timeout' && r !== 'connection')).toEqual([]);
    expect(worstLateMs).toBeLessThanOrEqual(allowedLateMs);
    expect(earliestTimeoutMs).toBeGreaterThanOrEqual(0);
  });

  it('made 5,000 a turn (no loop outlasts a deadline): each settles soon after its own deadline', async () => {
    const { answers, allowedLateMs, worstLateMs, earliestTimeoutMs } = await storm(1_000_000, 5_000);
    // Each batch's loop is far shorter than a deadline: the lateness is from each call's own.
    expect(reasons(answers)).toEqual(new Set(['timeout']));
    expect(worstLateMs).toBeLessThanOrEqual(allowedLateMs);
    expect(earliestTimeoutMs).toBeGreaterThanOrEqual(0);
  });

  it('when every call runs to its own deadline: each expires soon after it, none early', async () => {
    const { answers, allowedLateMs, worstLateMs, earliestTimeoutMs } = await storm(1_000_000);
    expect(reasons(answers)).toEqual(new Set(['timeout']));
    expect(worstLateMs).toBeLessThanOrEqual(allowedLateMs);
    expect(earliestTimeoutMs).toBeGreaterThanOrEqual(0);
  });
});
