import type { RecordedEvent } from "@aidtrail/event-store";

/** Leaves `firstLeaf … firstLeaf + leaves − 1` hold the events at positions `firstPosition …` + the same offsets. */
export interface LeafRun {
  readonly firstPosition: bigint;
  readonly firstLeaf: number;
  readonly leaves: number;
}

/**
 * The runs of consecutive positions in a batch sealed from leaf `firstLeaf` on: one
 * writer's events usually have consecutive positions, so a batch is a run or a few, not a
 * row per event. Positions are unique, so runs never overlap: the run starting at or
 * before a position is the only one that can hold it.
 */
export function leafRuns(events: readonly Pick<RecordedEvent, "position">[], firstLeaf: number): LeafRun[] {
  const runs: LeafRun[] = [];
  let start = 0;
  for (let i = 1; i <= events.length; i++) {
    if (i < events.length && events[i]!.position === events[i - 1]!.position + 1n) continue;
    runs.push({ firstPosition: events[start]!.position, firstLeaf: firstLeaf + start, leaves: i - start });
    start = i;
  }
  return events.length === 0 ? [] : runs;
}
