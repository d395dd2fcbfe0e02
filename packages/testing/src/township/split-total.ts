import type { Prng } from "./prng.js";

/**
 * `n` integers in [min, max] summing exactly to `total`, varied by the PRNG: start even, then
 * move units between random pairs. Throws if the bounds cannot hold the total.
 */
export function splitTotal(rng: Prng, total: number, n: number, min: number, max: number, step = 1): number[] {
  if (total % step !== 0) throw new RangeError(`${total} is not a multiple of ${step}`);
  const units = total / step;
  const lo = Math.ceil(min / step);
  const hi = Math.floor(max / step);
  if (units < lo * n || units > hi * n) throw new RangeError(`cannot split ${total} into ${n} parts in [${min}, ${max}]`);
  const base = Math.floor(units / n);
  const parts = Array.from({ length: n }, (_, i) => base + (i < units - base * n ? 1 : 0));
  for (let k = 0; k < n * 4; k++) {
    const i = rng.int(0, n - 1);
    const j = rng.int(0, n - 1);
    const d = rng.int(1, Math.max(1, Math.floor((hi - lo) / 3)));
    if (i === j || (parts[i] as number) - d < lo || (parts[j] as number) + d > hi) continue;
    parts[i] = (parts[i] as number) - d;
    parts[j] = (parts[j] as number) + d;
  }
  return rng.shuffle(parts.map((p) => p * step));
}

/** A random date between two dates (inclusive), as YYYY-MM-DD. */
export function dateBetween(rng: Prng, from: string, to: string): string {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  return new Date(a + rng.int(0, Math.round((b - a) / 86_400_000)) * 86_400_000).toISOString().slice(0, 10);
}
