import { streamIds } from "@aidtrail/domain";
import type { EventStore } from "@aidtrail/event-store";

const MAX_CACHED = 50_000;

/**
 * The village a household, payment or loan belongs to, read from the first event of its stream:
 * a household never changes village and an id never changes household, so answers are cached.
 */
export class VillageLookup {
  private readonly cache = new Map<string, string>();

  constructor(private readonly store: EventStore) {}

  household(householdId: string): Promise<string | null> {
    return this.cached(`h:${householdId}`, async () => {
      const data = await this.firstData(streamIds.household(householdId));
      return typeof data?.villageId === "string" ? data.villageId : null;
    });
  }

  disbursement(disbursementId: string): Promise<string | null> {
    return this.cached(`d:${disbursementId}`, async () => {
      const data = await this.firstData(streamIds.disbursement(disbursementId));
      const householdId = (data?.request as { householdId?: unknown } | undefined)?.householdId;
      return typeof householdId === "string" ? this.household(householdId) : null;
    });
  }

  loan(loanId: string): Promise<string | null> {
    return this.cached(`l:${loanId}`, async () => {
      const data = await this.firstData(streamIds.loan(loanId));
      return typeof data?.householdId === "string" ? this.household(data.householdId) : null;
    });
  }

  private async firstData(streamId: string): Promise<Record<string, unknown> | undefined> {
    const [first] = await this.store.readStream(streamId, { limit: 1 });
    return first?.data as Record<string, unknown> | undefined;
  }

  private async cached(key: string, load: () => Promise<string | null>): Promise<string | null> {
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const village = await load();
    // Only found answers are cached: a household registered a moment later must be seen.
    if (village !== null) {
      if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(key, village);
    }
    return village;
  }
}
