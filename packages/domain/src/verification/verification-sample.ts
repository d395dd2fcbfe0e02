/**
 * Field-visit sampling: a reproducible random sample of paid disbursements per village. The same
 * seed and the same candidates give the same sample whatever order the candidates come in, and
 * each village is drawn with its own stream of numbers, so adding payments in one village does
 * not change the sample of another. Seeded (mulberry32), never Math.random: an auditor can redraw
 * the sample from the seed and check the inspectors visited what was drawn.
 */
export interface SampleCandidate {
  disbursementId: string;
  villageId: string;
}

export interface VillageSample<C extends SampleCandidate> {
  villageId: string;
  /** Paid disbursements of the village the sample was drawn from. */
  population: number;
  sample: C[];
}

/** Draws `perVillage` candidates of each village (all of them when fewer), villages in id order. */
export function drawVerificationSample<C extends SampleCandidate>(seed: string, perVillage: number, candidates: readonly C[]): Array<VillageSample<C>> {
  const byVillage = new Map<string, C[]>();
  for (const c of candidates) {
    const list = byVillage.get(c.villageId) ?? [];
    list.push(c);
    byVillage.set(c.villageId, list);
  }
  return [...byVillage.keys()].sort().map((villageId) => {
    const pool = (byVillage.get(villageId) ?? []).slice().sort((a, b) => (a.disbursementId < b.disbursementId ? -1 : a.disbursementId > b.disbursementId ? 1 : 0));
    const next = mulberry32(fnv1a(`${seed}\u0000${villageId}`));
    const take = Math.min(perVillage, pool.length);
    // Partial Fisher–Yates: the first `take` slots are a uniform sample without replacement.
    for (let i = 0; i < take; i++) {
      const j = i + Math.floor(next() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j] as C, pool[i] as C];
    }
    return { villageId, population: pool.length, sample: pool.slice(0, take).sort((a, b) => (a.disbursementId < b.disbursementId ? -1 : 1)) };
  });
}

/** FNV-1a, 32 bits, over UTF-16 code units: enough to spread seeds, not a security hash. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
