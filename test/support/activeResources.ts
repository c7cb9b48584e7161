/** Counts of the resources keeping the event loop alive, by type (`TCPSocketWrap`, `Timeout`, ...). */
export type ResourceCounts = Record<string, number>;

export function activeResources(): ResourceCounts {
  const counts: ResourceCounts = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** The types that have more live resources now than in `baseline`, with both counts. */
export function resourcesAbove(baseline: ResourceCounts, now: ResourceCounts = activeResources()): string[] {
  return Object.entries(now)
    .filter(([type, count]) => count > (baseline[type] ?? 0))
    .map(([type, count]) => `${type}: ${baseline[type] ?? 0} -> ${count}`);
}

/**
 * Resolves once nothing is above `baseline` (destroyed sockets release their handles a few event
 * loop turns later); rejects after `timeoutMs`, naming what is still open.
 */
export async function waitForResourcesAtBaseline(baseline: ResourceCounts, timeoutMs = 2000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const above = resourcesAbove(baseline);
    if (above.length === 0) return;
    if (performance.now() > deadline)
      throw new Error(`resources above baseline after ${timeoutMs} ms: ${above.join(', ')}`);
    // Re-check on the next turns of the loop: this waits for a condition, it does not sleep a fixed time.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
